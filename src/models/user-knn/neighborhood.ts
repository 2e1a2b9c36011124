/**
 * User–user similarity for `user-knn`: one query (a training user's row or a fresh history)
 * against every training user, through the items × users transpose so only users sharing an item
 * with the query are touched.
 */
import { transpose } from '../../dataset/csr.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { similarityOf } from '../neighbors.js';

/** How overlap becomes similarity; d(x) = Σ x_i² (the item count when binary). */
export type UserSimilarityKind = 'cosine' | 'jaccard';

/** Options of {@link UserNeighborhood}. */
export interface UserNeighborhoodOptions {
  similarity: UserSimilarityKind;
  /** Neighbours kept per query. */
  neighbors: number;
  /** Added to the denominator so users sharing few items count less. */
  shrink: number;
  /** Treat every stored entry as 1. */
  binary: boolean;
}

/** A query as parallel lists of distinct items and their weights. */
export interface QueryVector {
  items: number[];
  weights: number[];
}

/**
 * Finds a query's nearest training users. Holds reusable accumulators, so one instance serves
 * one caller at a time (scoring is synchronous, so a model's queries never overlap).
 */
export class UserNeighborhood {
  /** users × items training rows. */
  readonly matrix: CsrMatrix;
  private readonly byItem: CsrMatrix;
  private readonly norms: Float64Array;
  private readonly acc: Float64Array;
  private readonly overlap: Int32Array;
  private readonly touched: Int32Array;
  private readonly heap: TopKHeap;
  private readonly options: UserNeighborhoodOptions;

  /** Indexes `matrix` (kept by reference) for neighbour queries. */
  constructor(matrix: CsrMatrix, options: UserNeighborhoodOptions) {
    this.matrix = matrix;
    this.options = options;
    this.byItem = transpose(matrix);
    const users = matrix.rows;
    this.norms = new Float64Array(users);
    for (let u = 0; u < users; u++) {
      let s = 0;
      for (let p = matrix.indptr[u]!; p < matrix.indptr[u + 1]!; p++) s += options.binary ? 1 : matrix.data[p]! * matrix.data[p]!;
      this.norms[u] = s;
    }
    this.acc = new Float64Array(users);
    this.overlap = new Int32Array(users);
    this.touched = new Int32Array(users);
    this.heap = new TopKHeap(Math.max(0, Math.min(options.neighbors, users)));
  }

  /**
   * Writes the query's neighbours best first into `users`/`sims` from `offset`; returns how many.
   *
   * A training user holding exactly the query's items is skipped: it adds nothing outside the
   * query, and skipping it means a known user and the same items sent as a history find the same
   * neighbours (the user is never its own neighbour).
   */
  find(query: QueryVector, users: Int32Array, sims: Float32Array, offset: number): number {
    const { acc, overlap, touched, norms, heap } = this;
    const { indptr, indices, data } = this.byItem;
    const { binary, similarity, shrink } = this.options;
    let count = 0;
    let queryNorm = 0;
    const size = query.items.length;
    for (let q = 0; q < size; q++) {
      const item = query.items[q]!;
      const w = query.weights[q]!;
      queryNorm += w * w;
      for (let p = indptr[item]!; p < indptr[item + 1]!; p++) {
        const v = indices[p]!;
        const product = w * (binary ? 1 : data[p]!);
        // overlap doubles as the "touched" mark: 0 means first visit in this query.
        if (overlap[v] === 0) {
          touched[count++] = v;
          acc[v] = product;
          overlap[v] = 1;
        } else {
          acc[v] = acc[v]! + product;
          overlap[v] = overlap[v]! + 1;
        }
      }
    }
    heap.reset();
    const rootQ = Math.sqrt(queryNorm);
    const rowPtr = this.matrix.indptr;
    for (let t = 0; t < count; t++) {
      const v = touched[t]!;
      const c = acc[v]!;
      const shared = overlap[v]!;
      overlap[v] = 0;
      if (shared === size && shared === rowPtr[v + 1]! - rowPtr[v]!) continue;
      const dv = norms[v]!;
      const s = similarityOf(similarity, c, queryNorm, dv, shrink, similarity === 'cosine' ? rootQ * Math.sqrt(dv) : 0);
      if (s > 0) heap.push(v, s);
    }
    return heap.drainInto(users, sims, offset);
  }

  /** Adds Σ over neighbours v of sim · x_vj into `out` (x_vj = 1 when binary), best neighbour first. */
  accumulate(users: Int32Array, sims: Float32Array, start: number, end: number, out: Float32Array): void {
    const { indptr, indices, data } = this.matrix;
    const binary = this.options.binary;
    for (let n = start; n < end; n++) {
      const v = users[n]!;
      const s = sims[n]!;
      for (let p = indptr[v]!; p < indptr[v + 1]!; p++) out[indices[p]!]! += binary ? s : s * data[p]!;
    }
  }
}
