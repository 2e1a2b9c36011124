/**
 * `markov`: "what comes next" — a first-order Markov chain over each user's item sequence, with
 * an optional skip step (the item before the last one) and smoothing towards what usually follows.
 */
import { csrFromTriples } from '../../dataset/csr.js';
import type { CsrMatrix, Dataset } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';

/** The params of `markov`. */
export const MARKOV_PARAMS = {
  smoothing: {
    type: 'number',
    default: 0,
    min: 0,
    doc: 'pseudo-count α mixing in how often each item is a next item: P(j|i) = (c_ij + α·q_j) / (c_i + α)',
  },
  skipWeight: { type: 'number', default: 0, min: 0, doc: 'weight of the two-step transition from the item before the last (0 = first order only)' },
} as const;

/** Transition counts collected from sequences. */
export interface TransitionCounts {
  /** items × items: c(i → j) for consecutive distinct items. */
  next: CsrMatrix;
  /** items × items: c(i → k) for distinct items two steps apart (empty unless asked for). */
  skip: CsrMatrix;
  /** How often each item is the target of a one-step transition. */
  arrivals: Float64Array;
}

/**
 * Counts i → j over consecutive events, repeats of the same item collapsed first (a user viewing
 * one item three times has not moved), and optionally i → k two steps apart.
 *
 * @example
 * transitionCounts([Int32Array.of(0, 0, 1, 2)], 3, true); // next: 0→1, 1→2 · skip: 0→2
 */
export function transitionCounts(sequences: readonly ArrayLike<number>[], items: number, withSkip: boolean): TransitionCounts {
  const from: number[] = [];
  const to: number[] = [];
  const skipFrom: number[] = [];
  const skipTo: number[] = [];
  const arrivals = new Float64Array(items);
  for (const sequence of sequences) {
    const path = collapse(sequence, sequence.length, items);
    for (let t = 1; t < path.length; t++) {
      from.push(path[t - 1]!);
      to.push(path[t]!);
      arrivals[path[t]!]!++;
      if (withSkip && t >= 2 && path[t - 2] !== path[t]) {
        skipFrom.push(path[t - 2]!);
        skipTo.push(path[t]!);
      }
    }
  }
  const matrix = (rows: number[], cols: number[]): CsrMatrix =>
    csrFromTriples(items, items, Int32Array.from(rows), Int32Array.from(cols), new Float32Array(rows.length).fill(1));
  return { next: matrix(from, to), skip: matrix(skipFrom, skipTo), arrivals };
}

/** The last `limit` items of a sequence with runs of one item collapsed and unknown items dropped. */
function collapse(sequence: ArrayLike<number>, end: number, items: number, limit = Infinity): number[] {
  const path: number[] = [];
  for (let t = 0; t < end; t++) {
    const item = sequence[t]!;
    if (!Number.isInteger(item) || item < 0 || item >= items || path[path.length - 1] === item) continue;
    path.push(item);
    if (path.length > limit) path.shift();
  }
  return path;
}

/**
 * A first-order Markov chain for next-item recommendation. A query's state is the last item of
 * its history (or of the user's training sequence); scores are the transition probabilities
 * from it, plus `skipWeight` × the two-step probabilities from the item before it.
 * A query with no known item gets the marginal next-item distribution.
 *
 * @example
 * const model = new Markov({ smoothing: 1 });
 * await model.fit(dataset);
 * model.recommend({ history: [12, 40] }, { n: 5 }); // what usually follows item 40
 */
export class Markov extends BaseRecommender<typeof MARKOV_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private counts: TransitionCounts | undefined;
  /** Per row: Σ_j c(i → j), for next and skip. */
  private nextTotals: Float64Array = new Float64Array(0);
  private skipTotals: Float64Array = new Float64Array(0);
  private arrivalTotal = 0;
  /** Per user: [last, previous] distinct item of the training sequence, -1 where none. */
  private lastItems: Int32Array = new Int32Array(0);

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('markov', MARKOV_PARAMS, params);
  }

  /** Counts transitions in `data.sequences`. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    void options;
    const items = data.matrix.cols;
    const users = data.matrix.rows;
    const counts = transitionCounts(data.sequences.map((s) => s.items), items, this.current.skipWeight > 0);
    const lastItems = new Int32Array(2 * users).fill(-1);
    for (let u = 0; u < users; u++) {
      const sequence = data.sequences[u];
      if (sequence === undefined) continue;
      const tail = collapse(sequence.items, sequence.items.length, items, 2);
      lastItems[2 * u] = tail[tail.length - 1] ?? -1;
      lastItems[2 * u + 1] = tail[tail.length - 2] ?? -1;
    }
    this.install(counts, lastItems);
    this.itemCount = items;
    this.userCount = users;
  }

  /** P(j | last) + skipWeight · P₂(j | previous), each smoothed towards the next-item marginal. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const [last, previous] = this.state(query);
    const counts = this.counts!;
    if (last < 0) {
      for (let j = 0; j < out.length; j++) out[j] = this.arrivalTotal > 0 ? counts.arrivals[j]! / this.arrivalTotal : 0;
      return;
    }
    out.fill(0);
    this.addRow(counts.next, this.nextTotals, last, 1, out);
    const skipWeight = this.current.skipWeight;
    if (skipWeight > 0 && previous >= 0) this.addRow(counts.skip, this.skipTotals, previous, skipWeight, out);
  }

  /** The most likely next items after `item` (observed transitions only), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const { next } = this.counts!;
    const total = this.nextTotals[item]! + this.current.smoothing;
    const heap = new TopKHeap(Math.max(0, options.n));
    for (let p = next.indptr[item]!; p < next.indptr[item + 1]!; p++) {
      const j = next.indices[p]!;
      heap.push(j, this.probability(next.data[p]!, j, total));
    }
    return heap.drain();
  }

  /** The transition probability estimate P(j | i) for one stored count (smoothed). */
  private probability(count: number, j: number, rowTotal: number): number {
    const alpha = this.current.smoothing;
    const prior = this.arrivalTotal > 0 ? this.counts!.arrivals[j]! / this.arrivalTotal : 0;
    return rowTotal > 0 ? (count + alpha * prior) / rowTotal : 0;
  }

  /** Adds weight · P(· | row) into `out`, including the smoothing mass spread over every item. */
  private addRow(matrix: CsrMatrix, totals: Float64Array, row: number, weight: number, out: Float32Array): void {
    const alpha = this.current.smoothing;
    const total = totals[row]! + alpha;
    if (total === 0) return;
    const { arrivals } = this.counts!;
    if (alpha > 0 && this.arrivalTotal > 0) {
      const scale = (weight * alpha) / (total * this.arrivalTotal);
      for (let j = 0; j < out.length; j++) out[j]! += scale * arrivals[j]!;
    }
    for (let p = matrix.indptr[row]!; p < matrix.indptr[row + 1]!; p++) out[matrix.indices[p]!]! += (weight * matrix.data[p]!) / total;
  }

  /** [last, previous] distinct known items of the query, -1 where missing. */
  private state(query: UserQuery): [number, number] {
    if (query.history !== undefined) {
      const tail = collapse(query.history, query.history.length, this.itemCount, 2);
      return [tail[tail.length - 1] ?? -1, tail[tail.length - 2] ?? -1];
    }
    if (query.user === undefined) return [-1, -1];
    this.checkUser(query.user);
    return [this.lastItems[2 * query.user]!, this.lastItems[2 * query.user + 1]!];
  }

  private install(counts: TransitionCounts, lastItems: Int32Array): void {
    const rowTotals = (m: CsrMatrix): Float64Array => {
      const totals = new Float64Array(m.rows);
      for (let i = 0; i < m.rows; i++) for (let p = m.indptr[i]!; p < m.indptr[i + 1]!; p++) totals[i]! += m.data[p]!;
      return totals;
    };
    this.counts = counts;
    this.nextTotals = rowTotals(counts.next);
    this.skipTotals = rowTotals(counts.skip);
    this.arrivalTotal = counts.arrivals.reduce((a, b) => a + b, 0);
    this.lastItems = lastItems;
  }

  protected exportState(): ModelState {
    const { next, skip, arrivals } = this.counts!;
    return {
      arrays: {
        nextIndptr: next.indptr,
        nextItems: next.indices,
        nextCounts: next.data,
        skipIndptr: skip.indptr,
        skipItems: skip.indices,
        skipCounts: skip.data,
        arrivals,
        lastItems: this.lastItems,
      },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const matrix = (prefix: string): CsrMatrix => {
      const indptr = requireArray(dir, artifact, `${prefix}Indptr`, Int32Array, n + 1);
      const indices = requireArray(dir, artifact, `${prefix}Items`, Int32Array, indptr[n]);
      const data = requireArray(dir, artifact, `${prefix}Counts`, Float32Array, indptr[n]);
      for (let i = 0; i < n; i++) if (indptr[i]! > indptr[i + 1]!) throw corruptModelError(dir, `${prefix} transitions are out of order`);
      for (const j of indices) if (j < 0 || j >= n) throw corruptModelError(dir, `${prefix} transitions name unknown items`);
      return { rows: n, cols: n, indptr, indices, data };
    };
    const counts: TransitionCounts = { next: matrix('next'), skip: matrix('skip'), arrivals: requireArray(dir, artifact, 'arrivals', Float64Array, n) };
    const lastItems = requireArray(dir, artifact, 'lastItems', Int32Array, 2 * this.userCount);
    for (const i of lastItems) if (i < -1 || i >= n) throw corruptModelError(dir, 'last items name unknown items');
    this.install(counts, lastItems);
  }
}
