/**
 * Which items of a query fire rules: distinct items ordered by their latest occurrence, so
 * "the last n" means the n most recently touched items, not the last n events.
 */
import type { Dataset } from '../../dataset/types.js';

/** Per user, distinct item indices ordered by latest occurrence (CSR). */
export interface ItemLists {
  indptr: Int32Array;
  items: Int32Array;
}

/**
 * Distinct known items of `history` (oldest first), ordered by their latest occurrence; only the
 * last `recent` of them when `recent` > 0.
 *
 * @example
 * recentItems([4, 7, 4, 9], 10, 2); // [4, 9]
 */
export function recentItems(history: ArrayLike<number>, items: number, recent: number): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  // Walk backwards so each item lands at its latest position.
  for (let t = history.length - 1; t >= 0; t--) {
    const item = history[t]!;
    if (!Number.isInteger(item) || item < 0 || item >= items || seen.has(item)) continue;
    seen.add(item);
    out.push(item);
    if (recent > 0 && out.length === recent) break;
  }
  return out.reverse();
}

/**
 * Every training user's items from their time-ordered sequence; a user without a sequence
 * (a hand-built dataset) falls back to the matrix row.
 */
export function userItemLists(data: Dataset): ItemLists {
  const m = data.matrix;
  const indptr = new Int32Array(m.rows + 1);
  const flat: number[] = [];
  for (let u = 0; u < m.rows; u++) {
    const sequence = data.sequences[u]?.items;
    const row = sequence !== undefined && sequence.length > 0 ? recentItems(sequence, m.cols, 0) : Array.from(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!));
    for (const item of row) flat.push(item);
    indptr[u + 1] = flat.length;
  }
  return { indptr, items: Int32Array.from(flat) };
}
