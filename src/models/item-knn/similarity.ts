/**
 * Sparse item–item neighbour lists from a users × items matrix: co-occurrence counted one item
 * row at a time into a dense accumulator, turned into a similarity and cut to the top k.
 */
import { transpose } from '../../dataset/csr.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { similarityOf, type NeighborLists, type SimilarityKind } from '../neighbors.js';

/** Options of {@link itemNeighbors}. */
export interface NeighborOptions {
  similarity: SimilarityKind;
  /** Neighbours kept per item. */
  neighbors: number;
  /** Added to the denominator so pairs seen by few users count less (not used by cooccurrence). */
  shrink: number;
  /** Treat every stored entry as 1. */
  binary: boolean;
  /** Asymmetric cosine exponent: c / (d(i)^α · d(j)^(1−α)); 0.5 is plain cosine. */
  alpha: number;
  /** Called after each item row, for progress bars. */
  onItem?: (done: number, total: number) => void;
}

/**
 * Computes top-k neighbour lists: row i lists j ≠ i best first with sim(i → j). Cost is Σ_u |row u|² multiply-adds with O(items) memory, so it scales
 * to catalogues where a dense items × items matrix would not fit.
 *
 * @example
 * const lists = itemNeighbors(matrix, { similarity: 'cosine', neighbors: 50, shrink: 10, binary: true, alpha: 0.5 });
 */
export function itemNeighbors(m: CsrMatrix, options: NeighborOptions): NeighborLists {
  const n = m.cols;
  const k = Math.max(0, Math.min(options.neighbors, n - 1));
  const byItem = transpose(m);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) s += options.binary ? 1 : byItem.data[p]! * byItem.data[p]!;
    norms[i] = s;
  }
  const acc = new Float64Array(n);
  const stamp = new Int32Array(n);
  const touched = new Int32Array(n);
  const heap = new TopKHeap(k);
  const indptr = new Int32Array(n + 1);
  let items = new Int32Array(n * k);
  let scores = new Float32Array(n * k);
  let written = 0;
  const { similarity, shrink, alpha, binary } = options;
  const rowPtr = m.indptr;
  const rowItems = m.indices;
  const rowValues = m.data;

  for (let i = 0; i < n; i++) {
    let count = 0;
    const mark = i + 1;
    for (let p = byItem.indptr[i]!; p < byItem.indptr[i + 1]!; p++) {
      const u = byItem.indices[p]!;
      const xi = binary ? 1 : byItem.data[p]!;
      const end = rowPtr[u + 1]!;
      // First touch of j in this row sets rather than adds, so acc never needs clearing.
      if (binary) {
        for (let q = rowPtr[u]!; q < end; q++) {
          const j = rowItems[q]!;
          if (stamp[j] === mark) acc[j] = acc[j]! + 1;
          else {
            stamp[j] = mark;
            acc[j] = 1;
            touched[count++] = j;
          }
        }
      } else {
        for (let q = rowPtr[u]!; q < end; q++) {
          const j = rowItems[q]!;
          const product = xi * rowValues[q]!;
          if (stamp[j] === mark) acc[j] = acc[j]! + product;
          else {
            stamp[j] = mark;
            acc[j] = product;
            touched[count++] = j;
          }
        }
      }
    }
    heap.reset(k);
    const di = norms[i]!;
    const leftNorm = Math.pow(di, alpha);
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      if (j === i) continue;
      const c = acc[j]!;
      const dj = norms[j]!;
      const s = similarityOf(similarity, c, di, dj, shrink, similarity === 'cosine' ? leftNorm * Math.pow(dj, 1 - alpha) : 0);
      // Zero or negative similarities (weighted data can cancel) add nothing when scoring.
      if (s > 0) heap.push(j, s);
    }
    indptr[i] = written;
    written += heap.drainInto(items, scores, written);
    options.onItem?.(i + 1, n);
  }
  indptr[n] = written;
  if (written < items.length) {
    items = items.slice(0, written);
    scores = scores.slice(0, written);
  }
  return { indptr, items, scores };
}
