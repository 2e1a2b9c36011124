/**
 * Magpie's library API: the same services the CLI and the HTTP server use.
 *
 * @example
 * import { openStore, importSource, onlineRetailSource, buildDataset, splitDataset, createModel } from 'magpie';
 * const store = await openStore('sqlite:./data/magpie.db');
 * await importSource(store, onlineRetailSource('online_retail.csv.gz'));
 */
export * from './core/errors.js';
export * from './core/types.js';
export * from './core/schemas.js';
export type { Progress } from './core/progress.js';
export { silentProgress } from './core/progress.js';
export * from './store/index.js';
export * from './ingest/index.js';
export * from './dataset/types.js';
export { buildDataset, datasetFromLog, interactionsOf, type BuildOptions } from './dataset/build.js';
export { splitDataset, validationSplit, type SplitProtocol, type SplitName, type Split } from './dataset/split.js';
export * from './eval/metrics.js';
export type { Recommender, FitOptions, RecommendOptions, ScoredItem, UserQuery } from './models/recommender.js';
export { createModel, parseModelSpec, MODEL_NAMES, type ModelSpec } from './models/registry.js';
export * from './serve/index.js';
export { createExperimentService } from './serve/experiments/index.js';
export * as abStats from './analytics/ab-stats.js';
export { buildServer } from './server/index.js';
export { buildReport, writeReport } from './report/index.js';
export * from './marketing/index.js';
