import type { Dataset } from '../dataset/types.js';

import type { Progress } from '../core/progress.js';

export { silentProgress, type Progress } from '../core/progress.js';

/** Options every `fit` accepts. */
export interface FitOptions {
  /** Seed for every random choice; the same seed on the same data gives the same model. */
  seed?: number;
  progress?: Progress;
  /** Worker threads to use for parallel kernels (default: available cores). */
  threads?: number;
}

/**
 * Who to recommend for: a known training user (by dense index), and/or a recent history of
 * item indices (oldest first) — a new session, or events newer than the model.
 */
export interface UserQuery {
  user?: number;
  history?: readonly number[];
}

/** One recommended item with its score (comparable within one model). */
export interface ScoredItem {
  item: number;
  score: number;
}

/** Options of `recommend`. */
export interface RecommendOptions {
  n: number;
  /** Item indices never to return (e.g. already seen). */
  exclude?: ReadonlySet<number> | ((item: number) => boolean);
  /** Keep only items for which this returns true. */
  filter?: (item: number) => boolean;
}

/**
 * The contract every model honours (popularity, item-knn, ease, ials, bpr, …).
 * Models work on dense indices of the Dataset they were fitted on; the serving layer maps ids.
 */
export interface Recommender {
  /** Model id as on the command line (`ease`, `item-knn`, …). */
  readonly name: string;
  /** The hyper-parameters in force (after defaults). */
  readonly params: Readonly<Record<string, unknown>>;
  /** True when the model reads the query's `history` at request time (no refit needed for new events). */
  readonly historyAware: boolean;

  fit(data: Dataset, options?: FitOptions): Promise<void>;
  /**
   * Writes a score for every item into `out` (length = number of items; higher is better).
   * Items the model knows nothing about get -Infinity.
   */
  scoreItems(query: UserQuery, out: Float32Array): void;
  /** Top-n items for the query, best first. */
  recommend(query: UserQuery, options: RecommendOptions): ScoredItem[];
  /** Items most similar to `item`, best first, never `item` itself. */
  similarItems(item: number, options: { n: number }): ScoredItem[];
  /** Writes the fitted model into `dir` (created if missing), atomically. */
  save(dir: string): Promise<void>;
  /** Reads a model written by `save`; throws MagpieError('corrupt', …) on a damaged file. */
  load(dir: string): Promise<void>;
}
