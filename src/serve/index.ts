/**
 * The serving core: `openEngine` and everything behind the HTTP API's recommendation, event,
 * model and rule routes.
 *
 * @example
 * import { openStore } from '../store/index.js';
 * import { openEngine } from './index.js';
 * const engine = await openEngine({ store: await openStore('sqlite:./data/magpie.db') });
 * const feed = await engine.recommendations.feed({ userId: 'u1' }, { n: 10, explain: true });
 */
export * from './types.js';
export { makeRecId, parseRecId, type RecIdParts } from './rec-id.js';
export { openEngine, type EngineOptions, type EngineLogger } from './engine.js';
export { noExperiments } from './no-experiments.js';
export { validateEvents, MAX_INGEST_BATCH } from './ingest.js';
export { rulesSchema, filtersSchema, boostSchema, ruleSetNameSchema, parseRules } from './rules/schema.js';
export { mergeRules } from './rules/merge.js';
export { MAX_SERVED } from './rules/cursor.js';
export { StoredRuleSets } from './rules/rule-sets.js';
export { ModelManager } from './models/manager.js';
export { trainVersion, resolveSpec, AUTO_EASE_MAX_ITEMS, type TrainProgress } from './models/train.js';
export { DEFAULT_MODELS_DIR, listVersions } from './models/versions.js';
export { ACTIVE_KEY, HISTORY_KEY, readActive, writeActive } from './models/pointer.js';
