/**
 * Diversity: a cap on items per first-level category on every page, and MMR (maximal marginal
 * relevance) re-ranking, which trades an item's relevance against its similarity to the items
 * already placed above it.
 */
import type { Catalog } from '../catalog.js';
import { reorder, type RankedList } from '../recommend/ranked.js';

/**
 * Reorders so that each page of `pageSize` holds at most `cap` items of any first-level
 * category, keeping rank order otherwise; items over the cap move to later pages. When too few
 * other categories remain to fill a page, the page is filled anyway (in rank order), so a
 * narrow catalogue still gets full pages. Items without a category are not capped.
 *
 * @example
 * spreadByCategory(list, 10, 2, catalog); // no category more than twice per page of 10
 */
export function spreadByCategory(list: RankedList, pageSize: number, cap: number, catalog: Catalog): RankedList {
  const remaining = list.items.map((_, p) => p);
  const order: number[] = [];
  while (remaining.length > 0) {
    const counts = new Map<number, number>();
    const page: number[] = [];
    const skipped: number[] = [];
    for (const p of remaining) {
      if (page.length === pageSize) {
        skipped.push(p);
        continue;
      }
      const category = catalog.firstCategory[list.items[p]!]!;
      const count = counts.get(category) ?? 0;
      if (category >= 0 && count >= cap) {
        skipped.push(p);
        continue;
      }
      counts.set(category, count + 1);
      page.push(p);
    }
    // Only when no other category could fill the page does it take capped items.
    while (page.length < pageSize && skipped.length > 0) page.push(skipped.shift()!);
    page.sort((a, b) => a - b);
    order.push(...page);
    remaining.length = 0;
    remaining.push(...skipped);
  }
  return reorder(list, order);
}

/**
 * MMR over the first `poolSize` items: each next item maximises
 * λ · relevance − (1 − λ) · (largest similarity to an item already placed), where relevance is
 * 1 for the top-ranked item falling linearly with rank (model scores of different sources are
 * not comparable; ranks are). Items past the pool keep their order after it.
 *
 * @example
 * mmr(list, 0.7, (a, b) => categoryOverlap(catalog, a, b)); // similar items spread apart
 */
export function mmr(list: RankedList, lambda: number, similarity: (a: number, b: number) => number, poolSize = 100): RankedList {
  const pool = Math.min(list.items.length, poolSize);
  if (pool < 3 || lambda >= 1) return list;
  const chosen = new Uint8Array(pool);
  const maxSim = new Float64Array(pool);
  const order: number[] = [];
  for (let step = 0; step < pool; step++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let p = 0; p < pool; p++) {
      if (chosen[p]) continue;
      const value = lambda * (1 - p / pool) - (1 - lambda) * maxSim[p]!;
      if (value > bestValue) {
        bestValue = value;
        best = p;
      }
    }
    chosen[best] = 1;
    order.push(best);
    const item = list.items[best]!;
    for (let p = 0; p < pool; p++) {
      if (chosen[p]) continue;
      const s = similarity(list.items[p]!, item);
      if (s > maxSim[p]!) maxSim[p] = s;
    }
  }
  for (let p = pool; p < list.items.length; p++) order.push(p);
  return reorder(list, order);
}

/** Jaccard overlap of two items' category sets (all levels), in [0, 1]. */
export function categoryOverlap(catalog: Catalog, a: number, b: number): number {
  const ca = catalog.categories[a]!;
  const cb = catalog.categories[b]!;
  if (ca.length === 0 || cb.length === 0) return 0;
  let common = 0;
  for (const x of ca) if (cb.includes(x)) common++;
  return common / (ca.length + cb.length - common);
}
