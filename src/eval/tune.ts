/**
 * Hyper-parameter search on a validation split carved out of the training part only, so the
 * test part of the benchmark's split is never looked at while choosing params.
 */
import { MagpieError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { splitDataset, validationSplit, type SplitProtocol } from '../dataset/split.js';
import type { Dataset } from '../dataset/types.js';
import { createModel } from '../models/registry.js';
import type { RankingMetricName } from './metrics.js';
import { fitAndScore, METRIC_NAMES, type SingleRun } from './runner.js';
import { gridCandidates, randomCandidates, type SearchSpace } from './search-space.js';

/** One evaluated candidate: what {@link fitAndScore} measured for it on the validation split. */
export type Trial = SingleRun;

/** What `magpie tune --json` writes. */
export interface TuningReport {
  dataset: string;
  model: string;
  protocol: string;
  k: number;
  seed: number;
  /** The metric trials were ranked by (higher is better). */
  metric: RankingMetricName;
  search: 'random' | 'grid';
  trials: Trial[];
  /** Index into `trials` of the best one. */
  bestTrial: number;
  best: { params: Record<string, unknown>; metrics: Record<RankingMetricName, number> };
}

/** Options of {@link runTuning}. */
export interface TuningOptions {
  datasetName: string;
  model: string;
  /** Params fixed for every trial (from `--model ease:binary=false`); the space's draws override them. */
  baseParams?: Record<string, unknown>;
  space: SearchSpace;
  protocol: SplitProtocol;
  k: number;
  seed: number;
  metric: RankingMetricName;
  search: 'random' | 'grid';
  /** Random search: number of candidates. */
  trials: number;
  /** Grid search: values per numeric range. */
  gridPoints?: number;
  threads?: number;
  progress?: () => Progress;
  /** Called after each trial (to print it as it lands). */
  onTrial?: (trial: Trial, index: number, total: number) => void;
}

/**
 * Resolves a metric name as typed: `ndcg@k`, `ndcg@10` (the number is the run's k) or `map`.
 *
 * @example
 * parseMetricName('ndcg@10'); // 'ndcg@k'
 */
export function parseMetricName(text: string): RankingMetricName {
  const name = text.trim().replace(/@\d+$/, '@k');
  if (!(METRIC_NAMES as readonly string[]).includes(name)) {
    throw new MagpieError('invalid_input', `unknown metric "${text}"`, { location: { field: 'metric' }, hint: `use one of ${METRIC_NAMES.join(', ')}` });
  }
  return name as RankingMetricName;
}

/**
 * Splits with the protocol and seed, then splits the training part again
 * ({@link validationSplit}) and fits/scores every candidate on that inner split. Candidates are
 * checked against the model's param table before any fitting, so a typo fails at once.
 */
export async function runTuning(dataset: Dataset, options: TuningOptions): Promise<TuningReport> {
  const candidates =
    options.search === 'grid' ? gridCandidates(options.space, options.gridPoints ?? 5) : randomCandidates(options.space, options.trials, options.seed);
  const specs = candidates.map((drawn) => ({ name: options.model, params: { ...options.baseParams, ...drawn } }));
  for (const spec of specs) createModel(spec.name, spec.params);

  const { train } = splitDataset(dataset, options.protocol, options.seed);
  const validation = validationSplit(train, options.protocol, options.seed);
  const trials: Trial[] = [];
  let bestTrial = 0;
  for (const [index, spec] of specs.entries()) {
    const run = await fitAndScore(spec, validation.train, validation.test, {
      k: options.k,
      seed: options.seed,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.progress ? { progress: options.progress } : {}),
    });
    trials.push(run);
    if (run.metrics[options.metric] > trials[bestTrial]!.metrics[options.metric]) bestTrial = index;
    options.onTrial?.(run, index, specs.length);
  }
  const best = trials[bestTrial]!;
  return {
    dataset: options.datasetName,
    model: options.model,
    protocol: options.protocol.name,
    k: options.k,
    seed: options.seed,
    metric: options.metric,
    search: options.search,
    trials,
    bestTrial,
    best: { params: best.params, metrics: best.metrics },
  };
}
