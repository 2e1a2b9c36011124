/**
 * `sar`: Smart Adaptive Recommendations (Microsoft Recommenders' `SARSingleNode`) — time-decayed
 * user affinities multiplied by an item–item co-occurrence similarity.
 */
import { csrFromTriples } from '../../dataset/csr.js';
import type { CsrMatrix, Dataset } from '../../dataset/types.js';
import type { ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { emptyNeighborLists, neighborsOf, readNeighborLists, scoreByNeighbors, type NeighborLists } from '../neighbors.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { UserHistory } from '../user-history.js';
import { sarSimilarity, type SarSimilarityKind } from './similarity.js';

const DAY_MS = 86_400_000;

/** The params of `sar` (names follow Magpie's style; MS's in the docs). */
export const SAR_PARAMS = {
  similarity: { type: 'choice', default: 'jaccard', choices: ['jaccard', 'lift', 'cooccurrence'], doc: 'MS similarity_type' },
  threshold: { type: 'number', default: 1, min: 1, integer: true, doc: 'minimum co-occurrence count for a pair to count (MS threshold)' },
  timeDecayDays: { type: 'number', default: 30, min: 0, doc: 'half-life of affinity decay in days before the latest event (MS time_decay_coefficient); 0 = no decay' },
  binary: { type: 'boolean', default: false, doc: 'affinity counts each interaction as 1 instead of its weight (the rating column in MS)' },
  neighbors: { type: 'number', default: 0, min: 0, integer: true, doc: 'most similar items kept per item (0 = all, as MS)' },
} as const;

/**
 * The affinity matrix: per user–item pair, weight × 2^(−age / half-life) summed over log entries,
 * age measured back from `now` (MS `compute_time_decay` with `timedecay_formula=True`).
 *
 * @example
 * const affinity = sarAffinity(dataset, { timeDecayDays: 30, binary: false });
 */
export function sarAffinity(data: Dataset, options: { timeDecayDays: number; binary: boolean; now?: number }): CsrMatrix {
  const { log } = data;
  let now = options.now ?? -Infinity;
  if (options.now === undefined) for (let e = 0; e < log.length; e++) if (log.time[e]! > now) now = log.time[e]!;
  const halfLife = options.timeDecayDays * DAY_MS;
  const values = new Float32Array(log.length);
  for (let e = 0; e < log.length; e++) {
    const weight = options.binary ? 1 : log.weight[e]!;
    // Entries newer than `now` (only possible with an explicit `now`) count fully, never more.
    values[e] = halfLife > 0 ? weight * Math.pow(0.5, Math.max(0, now - log.time[e]!) / halfLife) : weight;
  }
  return csrFromTriples(data.matrix.rows, data.matrix.cols, log.user, log.item, values);
}

/**
 * SAR: score(u, j) = Σ_h affinity(u, h) · sim(h, j). Affinity is each interaction's weight (the
 * rating on MovieLens) decayed by its age; similarity comes from how many users share two items.
 * A history-only query gets affinity 1 per item, as MS `get_item_based_topk` does.
 *
 * Unlike MS, an item's similarity to itself is left out, so a seen item is not ranked first
 * merely for being seen; callers drop seen items with `exclude` (MS `remove_seen`) either way.
 *
 * @example
 * const model = new Sar({ similarity: 'jaccard', timeDecayDays: 30 });
 * await model.fit(dataset);
 * model.recommend({ user: 4 }, { n: 10, exclude: seenByUser4 });
 */
export class Sar extends BaseRecommender<typeof SAR_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private lists: NeighborLists = emptyNeighborLists();
  private affinity: UserHistory | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('sar', SAR_PARAMS, params);
  }

  /** Builds the affinity matrix and the item similarity. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const progress = options.progress ?? silentProgress;
    const { similarity, threshold, timeDecayDays, binary, neighbors } = this.current;
    progress.start('sar similarity', 1);
    try {
      this.lists = sarSimilarity(data.matrix, { similarity: similarity as SarSimilarityKind, threshold, neighbors });
      this.affinity = new UserHistory(sarAffinity(data, { timeDecayDays, binary }));
      progress.tick(1);
    } finally {
      progress.stop();
    }
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /** The user's decayed affinities (or 1 per history item) times the similarity rows. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    if (query.history === undefined && query.user !== undefined) this.checkUser(query.user);
    // binary=false: the affinity matrix already holds each pair's (decayed) weight.
    scoreByNeighbors(this.lists, this.affinity!, query, false, out);
  }

  /** The items most similar to `item` under the chosen similarity, best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    return neighborsOf(this.lists, item, options.n);
  }

  protected exportState(): ModelState {
    return {
      arrays: { similarityIndptr: this.lists.indptr, similarityItems: this.lists.items, similarityScores: this.lists.scores, ...this.affinity!.toArrays() },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const keys = { indptr: 'similarityIndptr', items: 'similarityItems', scores: 'similarityScores' };
    const lists = readNeighborLists(dir, artifact, keys, n, 'similarity rows', 'items');
    const affinity = UserHistory.fromArtifact(dir, artifact, this.userCount, n);
    this.lists = lists;
    this.affinity = affinity;
  }
}
