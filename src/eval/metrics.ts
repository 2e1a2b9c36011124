/**
 * Offline metrics as pure functions. Ranking metrics follow Microsoft Recommenders'
 * `python_evaluation` with binary relevance: lists are cut to the top k, and the mean is taken
 * over users that have both relevant items and recommendations (others are not counted at all,
 * as in its inner join of truth and predictions).
 */
import type { CsrMatrix } from '../dataset/types.js';

/** Per user index, that user's recommended item indices, best first (may be longer than k). */
export type RankedLists = ReadonlyArray<ArrayLike<number> | undefined>;

/** Per user index, the set of relevant (held-out) item indices. */
export type RelevantSets = ReadonlyArray<ReadonlySet<number> | undefined>;

/** Full score arrays per user (one score per item index): an array by user, or a function. */
export type ScoreSource = ReadonlyArray<ArrayLike<number> | undefined> | ((user: number) => ArrayLike<number> | undefined);

/** Names of the metrics {@link rankingMetrics} reports, as they appear in the evaluation JSON. */
export type RankingMetricName = 'precision@k' | 'recall@k' | 'ndcg@k' | 'map' | 'map@k' | 'hit@k' | 'mrr@k' | 'auc' | 'coverage';

/** Relevant sets from a (test) matrix: row u's stored columns are user u's relevant items. */
export function relevantSets(matrix: CsrMatrix): Set<number>[] {
  const sets: Set<number>[] = [];
  for (let u = 0; u < matrix.rows; u++) sets.push(new Set(matrix.indices.subarray(matrix.indptr[u]!, matrix.indptr[u + 1]!)));
  return sets;
}

/**
 * Averages `score(top-k list, relevant)` over users with a non-empty relevant set and a
 * non-empty list; 0 when there are none.
 */
function meanOverUsers(recs: RankedLists, truth: RelevantSets, k: number, score: (top: ArrayLike<number>, relevant: ReadonlySet<number>) => number): number {
  if (!(k >= 1)) throw new RangeError(`k must be ≥ 1, got ${k}`);
  let total = 0;
  let users = 0;
  const n = Math.min(recs.length, truth.length);
  for (let u = 0; u < n; u++) {
    const relevant = truth[u];
    const list = recs[u];
    if (relevant === undefined || relevant.size === 0 || list === undefined || list.length === 0) continue;
    const top = list.length > k ? Array.prototype.slice.call(list, 0, k) as number[] : list;
    total += score(top, relevant);
    users++;
  }
  return users === 0 ? 0 : total / users;
}

function hitsOf(top: ArrayLike<number>, relevant: ReadonlySet<number>): number {
  let hits = 0;
  for (let r = 0; r < top.length; r++) if (relevant.has(top[r]!)) hits++;
  return hits;
}

/** Precision@k: hits in the top k divided by k (not by the list's length, as in MS Recommenders). */
export function precisionAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => hitsOf(top, relevant) / k);
}

/** Recall@k: hits in the top k divided by the number of relevant items. */
export function recallAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => hitsOf(top, relevant) / relevant.size);
}

/**
 * nDCG@k with binary gains: DCG = Σ over hits at 1-based rank r of 1/log2(r + 1), divided by the
 * ideal DCG over min(|relevant|, k) positions.
 */
export function ndcgAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => {
    let dcg = 0;
    for (let r = 0; r < top.length; r++) if (relevant.has(top[r]!)) dcg += 1 / Math.log2(r + 2);
    let ideal = 0;
    for (let r = 0; r < Math.min(relevant.size, k); r++) ideal += 1 / Math.log2(r + 2);
    return dcg / ideal;
  });
}

/** Σ over hits of precision at the hit's rank (the numerator of average precision). */
function precisionSum(top: ArrayLike<number>, relevant: ReadonlySet<number>): number {
  let hits = 0;
  let sum = 0;
  for (let r = 0; r < top.length; r++) {
    if (!relevant.has(top[r]!)) continue;
    hits++;
    sum += hits / (r + 1);
  }
  return sum;
}

/** MAP as MS Recommenders' `map`: the precision sum over hits in the top k, divided by |relevant|. */
export function map(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => precisionSum(top, relevant) / relevant.size);
}

/** MAP@k as MS Recommenders' `map_at_k`: the precision sum over hits in the top k, divided by min(|relevant|, k). */
export function mapAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => precisionSum(top, relevant) / Math.min(relevant.size, k));
}

/** Hit rate@k: the share of users with at least one relevant item in their top k. */
export function hitAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => (hitsOf(top, relevant) > 0 ? 1 : 0));
}

/** MRR@k: the reciprocal 1-based rank of the first relevant item in the top k (0 without one). */
export function mrrAtK(recs: RankedLists, truth: RelevantSets, k: number): number {
  return meanOverUsers(recs, truth, k, (top, relevant) => {
    for (let r = 0; r < top.length; r++) if (relevant.has(top[r]!)) return 1 / (r + 1);
    return 0;
  });
}

/**
 * AUC from full scores, per user then averaged: among the user's candidate items (every item
 * index of the score array except `exclude[u]`, e.g. the training items), the share of
 * (relevant, non-relevant) pairs where the relevant item scores higher, ties counting 1/2.
 * Users without relevant or without non-relevant candidates are not counted.
 */
export function auc(scores: ScoreSource, truth: RelevantSets, exclude: RelevantSets = []): number {
  const scoresOf = typeof scores === 'function' ? scores : (u: number) => scores[u];
  let total = 0;
  let users = 0;
  for (let u = 0; u < truth.length; u++) {
    const relevant = truth[u];
    const row = relevant && relevant.size > 0 ? scoresOf(u) : undefined;
    if (relevant === undefined || row === undefined) continue;
    const value = userAuc(row, relevant, exclude[u]);
    if (Number.isNaN(value)) continue;
    total += value;
    users++;
  }
  return users === 0 ? 0 : total / users;
}

/** Mann–Whitney form: (rank sum of positives − P(P+1)/2) / (P·N), with tied scores sharing their mean rank. */
function userAuc(row: ArrayLike<number>, relevant: ReadonlySet<number>, excluded: ReadonlySet<number> | undefined): number {
  const candidates: number[] = [];
  for (let i = 0; i < row.length; i++) if (!excluded?.has(i)) candidates.push(i);
  candidates.sort((a, b) => row[a]! - row[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < candidates.length; ) {
    let end = start + 1;
    while (end < candidates.length && row[candidates[end]!] === row[candidates[start]!]) end++;
    const meanRank = (start + 1 + end) / 2; // ranks start+1 .. end, 1-based
    for (let j = start; j < end; j++) {
      if (!relevant.has(candidates[j]!)) continue;
      positives++;
      rankSum += meanRank;
    }
    start = end;
  }
  const negatives = candidates.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * AUC from top-k lists alone: listed items rank by position above every unlisted candidate, and
 * unlisted candidates tie with each other (1/2 per pair). Candidates are the `itemCount` items
 * minus `exclude[u]`. Equals {@link auc} for scores that put the list first and tie the rest.
 */
export function rankedAuc(recs: RankedLists, truth: RelevantSets, k: number, itemCount: number, exclude: RelevantSets = []): number {
  let total = 0;
  let users = 0;
  for (let u = 0; u < Math.min(recs.length, truth.length); u++) {
    const relevant = truth[u];
    const list = recs[u];
    if (relevant === undefined || relevant.size === 0 || list === undefined || list.length === 0) continue;
    const excluded = exclude[u];
    let positives = 0;
    for (const i of relevant) if (!excluded?.has(i)) positives++;
    const negatives = itemCount - (excluded?.size ?? 0) - positives;
    if (positives === 0 || negatives <= 0) continue;
    let correct = 0;
    let listedNegatives = 0;
    let listedPositives = 0;
    for (let r = 0; r < Math.min(k, list.length); r++) {
      const i = list[r]!;
      if (excluded?.has(i)) continue;
      if (relevant.has(i)) {
        correct += negatives - listedNegatives; // beats every negative not listed above it
        listedPositives++;
      } else {
        listedNegatives++;
      }
    }
    correct += 0.5 * (positives - listedPositives) * (negatives - listedNegatives);
    total += correct / (positives * negatives);
    users++;
  }
  return users === 0 ? 0 : total / users;
}

/** Catalog coverage: distinct items in anyone's top k divided by the catalogue size. */
export function catalogCoverage(recs: RankedLists, itemCount: number, k = Infinity): number {
  const seen = new Set<number>();
  for (const list of recs) {
    if (list === undefined) continue;
    for (let r = 0; r < Math.min(k, list.length); r++) seen.add(list[r]!);
  }
  return itemCount > 0 ? seen.size / itemCount : 0;
}

/**
 * Intra-list diversity: per user, the mean of 1 − similarity(a, b) over unordered pairs of the
 * top k; averaged over users with at least two items.
 */
export function intraListDiversity(recs: RankedLists, similarity: (a: number, b: number) => number, k = Infinity): number {
  let total = 0;
  let users = 0;
  for (const list of recs) {
    const n = list === undefined ? 0 : Math.min(k, list.length);
    if (list === undefined || n < 2) continue;
    let sum = 0;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) sum += 1 - similarity(list[a]!, list[b]!);
    total += sum / ((n * (n - 1)) / 2);
    users++;
  }
  return users === 0 ? 0 : total / users;
}

/**
 * Novelty: the mean over all recommendations (user, item) in the top k of −log2(popularity[item]
 * / total), where `total` defaults to Σ popularity. With popularity = number of training users of
 * each item and total = number of users this is MS Recommenders' `novelty`. Items with zero
 * popularity are skipped (their novelty would be infinite).
 */
export function novelty(recs: RankedLists, popularity: ArrayLike<number>, k = Infinity, total?: number): number {
  let denominator = total ?? 0;
  if (total === undefined) for (let i = 0; i < popularity.length; i++) denominator += popularity[i]!;
  let sum = 0;
  let count = 0;
  for (const list of recs) {
    if (list === undefined) continue;
    for (let r = 0; r < Math.min(k, list.length); r++) {
      const p = popularity[list[r]!] ?? 0;
      if (!(p > 0)) continue;
      sum += -Math.log2(p / denominator);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

function checkLengths(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) throw new RangeError(`length mismatch: ${predicted.length} predictions, ${actual.length} actual values`);
}

/** Root mean squared error of rating predictions (0 for empty input). */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let j = 0; j < predicted.length; j++) sum += (predicted[j]! - actual[j]!) ** 2;
  return predicted.length === 0 ? 0 : Math.sqrt(sum / predicted.length);
}

/** Mean absolute error of rating predictions (0 for empty input). */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkLengths(predicted, actual);
  let sum = 0;
  for (let j = 0; j < predicted.length; j++) sum += Math.abs(predicted[j]! - actual[j]!);
  return predicted.length === 0 ? 0 : sum / predicted.length;
}

/** Extra inputs of {@link rankingMetrics}; without them `auc`/`coverage` cannot be computed and are NaN. */
export interface RankingContext {
  /** Catalogue size: enables `coverage` and, without `scores`, the top-k form of `auc`. */
  itemCount?: number;
  /** Per user, items that were not candidates (usually the training items). */
  exclude?: RelevantSets;
  /** Full scores per user, for the exact `auc`. */
  scores?: ScoreSource;
}

/**
 * Every ranking metric under the names of the evaluation JSON (`k` itself is reported beside
 * them, so the keys literally read `"precision@k"`).
 *
 * @example
 * const m = rankingMetrics([[3, 1, 2]], [new Set([1])], 3, { itemCount: 10 });
 * m['precision@k']; // 1/3
 */
export function rankingMetrics(recs: RankedLists, truth: RelevantSets, k: number, context: RankingContext = {}): Record<RankingMetricName, number> {
  const { itemCount, exclude, scores } = context;
  let aucValue = Number.NaN;
  if (scores !== undefined) aucValue = auc(scores, truth, exclude);
  else if (itemCount !== undefined) aucValue = rankedAuc(recs, truth, k, itemCount, exclude);
  return {
    'precision@k': precisionAtK(recs, truth, k),
    'recall@k': recallAtK(recs, truth, k),
    'ndcg@k': ndcgAtK(recs, truth, k),
    map: map(recs, truth, k),
    'map@k': mapAtK(recs, truth, k),
    'hit@k': hitAtK(recs, truth, k),
    'mrr@k': mrrAtK(recs, truth, k),
    auc: aucValue,
    coverage: itemCount === undefined ? Number.NaN : catalogCoverage(recs, itemCount, k),
  };
}
