/**
 * The offline benchmark: for each seed, split once, then fit and score every model on that
 * split; metrics are averaged over seeds with their standard deviation beside them.
 */
import { isMagpieError, MagpieError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { splitDataset, type SplitProtocol } from '../dataset/split.js';
import type { Dataset } from '../dataset/types.js';
import { createModel, type ModelSpec } from '../models/registry.js';
import type { RankingMetricName } from './metrics.js';
import { scoreTestUsers } from './score-users.js';

/** Metric names in the order tables and JSON list them. */
export const METRIC_NAMES: readonly RankingMetricName[] = ['precision@k', 'recall@k', 'ndcg@k', 'map', 'map@k', 'hit@k', 'mrr@k', 'auc', 'coverage'];

/** One model's averaged outcome: the `results[]` entry of the evaluation JSON. */
export interface ModelResult {
  model: string;
  /** Params in force (after defaults). */
  params: Record<string, unknown>;
  /** Mean over seeds. */
  metrics: Record<RankingMetricName, number>;
  /** Sample standard deviation over seeds (0 for one seed). */
  std: Record<RankingMetricName, number>;
  /** Mean seconds to fit. */
  trainSeconds: number;
  /** Mean seconds to score, rank and measure every test user. */
  recommendSeconds: number;
}

/** The evaluation JSON written by `magpie evaluate --json` (see ARCHITECTURE.md). */
export interface EvaluationReport {
  dataset: string;
  protocol: string;
  k: number;
  seeds: number[];
  results: ModelResult[];
}

/** Options of {@link runEvaluation}. */
export interface EvaluationOptions {
  /** How the dataset is named in the report (the `--data` value). */
  datasetName: string;
  protocol: SplitProtocol;
  k: number;
  seeds: readonly number[];
  models: readonly ModelSpec[];
  /** Skip models that refuse the data (`unsupported`, `too_large`) instead of failing: `--models all`. */
  skipInapplicable?: boolean;
  /** Worker threads for models with parallel kernels. */
  threads?: number;
  /** A fresh progress reporter per phase (fit, recommend); silent by default. */
  progress?: () => Progress;
  /** Where notes go (skipped models, per-seed lines); nowhere by default. */
  log?: (line: string) => void;
}

/** Mean and sample standard deviation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, std: 0 };
  const squares = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (n - 1)) };
}

/** What one model produced on one split. */
export interface SingleRun {
  /** Params in force (after defaults). */
  params: Record<string, unknown>;
  metrics: Record<RankingMetricName, number>;
  trainSeconds: number;
  recommendSeconds: number;
}

/**
 * Fits one model on `train` and measures it on `test` (training items removed from candidates).
 * Shared by the benchmark and by tuning.
 */
export async function fitAndScore(
  spec: ModelSpec,
  train: Dataset,
  test: Dataset,
  options: { k: number; seed: number; threads?: number; progress?: () => Progress },
): Promise<SingleRun> {
  const model = createModel(spec.name, spec.params);
  const makeProgress = options.progress ?? (() => silentProgress);
  const fitStarted = performance.now();
  await model.fit(train, { seed: options.seed, progress: makeProgress(), ...(options.threads === undefined ? {} : { threads: options.threads }) });
  const trainSeconds = (performance.now() - fitStarted) / 1000;
  const scored = scoreTestUsers(model, train.matrix, test.matrix, { k: options.k, itemCount: train.items.ids.length, progress: makeProgress() });
  return { params: { ...model.params }, metrics: scored.metrics, trainSeconds, recommendSeconds: scored.seconds };
}

/**
 * Runs the benchmark. Seeds are the outer loop so every model sees the same split per seed.
 *
 * @example
 * const report = await runEvaluation(dataset, {
 *   datasetName: 'movielens:ml-100k', protocol: { name: 'msr-item-stratified' }, k: 10, seeds: [1, 2, 3],
 *   models: [{ name: 'popularity', params: {} }, { name: 'ease', params: { lambda: 400 } }],
 * });
 * report.results[1]!.metrics['ndcg@k'];
 */
export async function runEvaluation(dataset: Dataset, options: EvaluationOptions): Promise<EvaluationReport> {
  const { k, seeds, models } = options;
  if (!Number.isInteger(k) || k < 1) throw new MagpieError('invalid_input', `k must be a whole number ≥ 1, got ${k}`, { location: { field: 'k' } });
  if (seeds.length === 0) throw new MagpieError('invalid_input', 'no seeds to run', { location: { field: 'seeds' }, hint: 'use --seeds 3 or --seed-list 1,2,3' });
  const log = options.log ?? (() => {});
  const runs: SingleRun[][] = models.map(() => []);
  const skipped = new Set<number>();
  for (const seed of seeds) {
    const { train, test } = splitDataset(dataset, options.protocol, seed);
    log(`seed ${seed}: ${train.log.length.toLocaleString('en-US')} train and ${test.log.length.toLocaleString('en-US')} test interactions`);
    for (let m = 0; m < models.length; m++) {
      if (skipped.has(m)) continue;
      const spec = models[m]!;
      try {
        const run = await fitAndScore(spec, train, test, { k, seed, ...(options.threads === undefined ? {} : { threads: options.threads }), ...(options.progress ? { progress: options.progress } : {}) });
        runs[m]!.push(run);
        // Each model's line as soon as it is scored: a long run shows what it has so far.
        log(`seed ${seed}, ${spec.name}: ndcg@${k} ${run.metrics['ndcg@k'].toFixed(4)}, trained in ${run.trainSeconds.toFixed(1)} s, recommended in ${run.recommendSeconds.toFixed(1)} s`);
      } catch (error) {
        if (!options.skipInapplicable || !(isMagpieError(error, 'unsupported') || isMagpieError(error, 'too_large'))) throw error;
        skipped.add(m);
        log(`skipped ${spec.name}: ${error.message}`);
      }
    }
  }
  const results: ModelResult[] = [];
  models.forEach((spec, m) => {
    const modelRuns = runs[m]!;
    if (modelRuns.length === 0) return;
    const metrics = {} as Record<RankingMetricName, number>;
    const std = {} as Record<RankingMetricName, number>;
    for (const name of METRIC_NAMES) {
      const stats = meanStd(modelRuns.map((r) => r.metrics[name]));
      metrics[name] = stats.mean;
      std[name] = stats.std;
    }
    results.push({
      model: spec.name,
      params: modelRuns[0]!.params,
      metrics,
      std,
      trainSeconds: meanStd(modelRuns.map((r) => r.trainSeconds)).mean,
      recommendSeconds: meanStd(modelRuns.map((r) => r.recommendSeconds)).mean,
    });
  });
  return { dataset: options.datasetName, protocol: options.protocol.name, k, seeds: [...seeds], results };
}
