/**
 * SAR's item–item similarity: binary co-occurrence counts (from item-knn's kernel), pairs below a
 * minimum count dropped, then Jaccard, lift or the raw count, as in Microsoft Recommenders' SAR.
 */
import type { CsrMatrix } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { itemNeighbors } from '../item-knn/similarity.js';
import { similarityOf, type NeighborLists } from '../neighbors.js';

/** How SAR turns a co-occurrence count c(i, j) into similarity; n(i) = users of item i. */
export type SarSimilarityKind = 'jaccard' | 'lift' | 'cooccurrence';

/** Options of {@link sarSimilarity}. */
export interface SarSimilarityOptions {
  similarity: SarSimilarityKind;
  /** Pairs co-occurring fewer times are dropped (MS `threshold`). */
  threshold: number;
  /** Most similar items kept per item; 0 keeps all (as MS does). */
  neighbors: number;
}

/**
 * Item–item similarity lists, row i best first, never i itself.
 * jaccard = c / (n(i) + n(j) − c), lift = c / (n(i)·n(j)), cooccurrence = c.
 *
 * @example
 * const lists = sarSimilarity(dataset.matrix, { similarity: 'jaccard', threshold: 1, neighbors: 0 });
 */
export function sarSimilarity(matrix: CsrMatrix, options: SarSimilarityOptions): NeighborLists {
  const n = matrix.cols;
  // Every co-occurring pair, as raw counts: the count threshold must see them before any cut.
  const counts = itemNeighbors(matrix, { similarity: 'cooccurrence', neighbors: Math.max(0, n - 1), shrink: 0, binary: true, alpha: 0.5 });
  const users = new Float64Array(n);
  for (const j of matrix.indices) users[j]!++;
  const { threshold, similarity } = options;
  const k = options.neighbors > 0 ? Math.min(options.neighbors, n - 1) : Math.max(0, n - 1);
  const heap = new TopKHeap(k);
  const indptr = new Int32Array(n + 1);
  const items = new Int32Array(counts.items.length);
  const scores = new Float32Array(counts.items.length);
  let written = 0;
  for (let i = 0; i < n; i++) {
    heap.reset(k);
    const ni = users[i]!;
    for (let p = counts.indptr[i]!; p < counts.indptr[i + 1]!; p++) {
      const c = counts.scores[p]!;
      if (c < threshold) continue;
      const j = counts.items[p]!;
      const nj = users[j]!;
      heap.push(j, similarityOf(similarity, c, ni, nj, 0));
    }
    indptr[i] = written;
    written += heap.drainInto(items, scores, written);
  }
  indptr[n] = written;
  return { indptr, items: items.slice(0, written), scores: scores.slice(0, written) };
}
