/**
 * Scores every test user of a split with a fitted model and turns the result into ranking
 * metrics, one user at a time: one reused score buffer, top-k lists of k items per user, and AUC
 * computed on the fly, so memory stays O(users · k + items) whatever the catalogue size.
 */
import { silentProgress, withBatchedProgress, type Progress } from '../core/progress.js';
import type { CsrMatrix } from '../dataset/types.js';
import { TopKHeap } from '../math/topk.js';
import type { Recommender } from '../models/recommender.js';
import { rankingMetrics, type RankingMetricName } from './metrics.js';

/** Metrics of one model on one split, with the time the scoring pass took. */
export interface UserScoringResult {
  metrics: Record<RankingMetricName, number>;
  /** Test users that got a top-k list. */
  users: number;
  /** Seconds spent scoring, ranking and measuring all test users. */
  seconds: number;
}

/**
 * Per-user AUC from full scores without sorting the catalogue: the positives' scores are sorted
 * (few of them), then each negative candidate finds by binary search how many positives beat it
 * and how many tie. O(n log P) instead of the O(n log n) sort of `auc` in metrics.ts, with the
 * same definition: ties count 1/2, NaN scores rank lowest. Candidates are the items with
 * `excluded[i] !== stamp` (the caller stamps a user's training items with the user's index, so
 * the array is reused across users without clearing; `stamp` must be ≥ 0). `excluded` doubles
 * as scratch space: entries stamped `stamp` stay so, relevant items may be reset to -1 (a stale
 * stamp of an earlier user means nothing anyway). Returns NaN without a positive or a negative.
 *
 * @param positives scratch space at least as long as `relevant`; overwritten.
 */
export function streamingUserAuc(
  scores: ArrayLike<number>,
  relevant: ArrayLike<number>,
  excluded: Int32Array,
  stamp: number,
  positives: Float64Array,
): number {
  let p = 0;
  for (let r = 0; r < relevant.length; r++) {
    const item = relevant[r]!;
    if (excluded[item] === stamp) continue;
    const s = scores[item]!;
    positives[p++] = s === s ? s : -Infinity;
  }
  if (p === 0) return Number.NaN;
  const sorted = positives.subarray(0, p).sort();
  // Positives get a temporary negative tag (never -1, never a user index) so the pass over
  // candidates can skip them without a set lookup.
  const mark = excluded;
  const positiveStamp = -stamp - 2;
  for (let r = 0; r < relevant.length; r++) if (mark[relevant[r]!] !== stamp) mark[relevant[r]!] = positiveStamp;
  let correct = 0;
  let negatives = 0;
  for (let i = 0; i < scores.length; i++) {
    const tag = mark[i];
    if (tag === stamp || tag === positiveStamp) continue;
    negatives++;
    const raw = scores[i]!;
    const s = raw === raw ? raw : -Infinity;
    // Lower bound written with selects rather than branches: on random scores a branchy binary
    // search mispredicts at nearly every step, which measured ~1.5× slower here.
    let lo = 0;
    let hi = p;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const less = sorted[mid]! < s;
      lo = less ? mid + 1 : lo;
      hi = less ? hi : mid;
    }
    let ties = 0;
    while (lo + ties < p && sorted[lo + ties] === s) ties++;
    correct += p - lo - ties + 0.5 * ties;
  }
  // Clear the temporary tags so they cannot be mistaken for anything by a later call.
  for (let r = 0; r < relevant.length; r++) if (mark[relevant[r]!] === positiveStamp) mark[relevant[r]!] = -1;
  return negatives === 0 ? Number.NaN : correct / (p * negatives);
}

/** Options of {@link scoreTestUsers}. */
export interface ScoreUsersOptions {
  k: number;
  /** Catalogue size for coverage (default: the matrix width). */
  itemCount?: number;
  /** Drop the user's training items from the candidates (MS Recommenders' `remove_seen`); default true. */
  removeSeen?: boolean;
  progress?: Progress;
}

/**
 * Ranks all items for every user with test entries, using the model's own view of the user
 * (`{ user }`, i.e. their training history), and computes every ranking metric against the
 * test matrix. Training items are removed from the candidates before top-k and AUC.
 *
 * @example
 * const { metrics } = scoreTestUsers(model, train.matrix, test.matrix, { k: 10 });
 * metrics['ndcg@k'];
 */
export function scoreTestUsers(model: Recommender, train: CsrMatrix, test: CsrMatrix, options: ScoreUsersOptions): UserScoringResult {
  const { k } = options;
  const items = test.cols;
  const removeSeen = options.removeSeen ?? true;
  const progress = options.progress ?? silentProgress;
  const scores = new Float32Array(items);
  // excluded[i] === u marks item i as a training item of user u; -1 means a candidate.
  const excluded = new Int32Array(items).fill(-1);
  const heap = new TopKHeap(k);
  const topScores = new Float32Array(k);
  const recs: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(test.rows);
  const truth: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(test.rows);
  let positives = new Float64Array(16);
  let aucTotal = 0;
  let aucUsers = 0;
  let users = 0;
  let testUsers = 0;
  for (let u = 0; u < test.rows; u++) if (test.indptr[u + 1]! > test.indptr[u]!) testUsers++;

  const started = performance.now();
  withBatchedProgress(progress, `${model.name} recommend`, testUsers, (tick) => {
    for (let u = 0; u < test.rows; u++) {
      const start = test.indptr[u]!;
      const end = test.indptr[u + 1]!;
      if (end === start) continue;
      const relevant = test.indices.subarray(start, end);
      truth[u] = new Set(relevant);
      model.scoreItems({ user: u }, scores);
      if (removeSeen && u < train.rows) {
        for (let q = train.indptr[u]!; q < train.indptr[u + 1]!; q++) {
          const i = train.indices[q]!;
          excluded[i] = u;
          scores[i] = -Infinity;
        }
      }
      heap.reset(k);
      for (let i = 0; i < items; i++) {
        const s = scores[i]!;
        if (s > -Infinity && excluded[i] !== u) heap.push(i, s);
      }
      const list = new Int32Array(heap.length);
      heap.drainInto(list, topScores);
      recs[u] = list;
      if (list.length > 0) users++;
      if (positives.length < relevant.length) positives = new Float64Array(relevant.length * 2);
      // Training items were set to -Infinity for top-k, but they are not candidates at all for AUC.
      const value = streamingUserAuc(scores, relevant, excluded, u, positives);
      if (value === value) {
        aucTotal += value;
        aucUsers++;
      }
      tick();
    }
  });
  const metrics = rankingMetrics(recs, truth, k, { itemCount: options.itemCount ?? items });
  metrics.auc = aucUsers === 0 ? 0 : aucTotal / aucUsers;
  return { metrics, users, seconds: (performance.now() - started) / 1000 };
}
