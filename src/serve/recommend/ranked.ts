/**
 * A ranked list of catalogue indices as the pipeline passes it along: candidate selection fills
 * it, diversity and pins reorder it, pagination slices it.
 */

/**
 * Where an item of a list came from, best first: the main evidence of the surface (model scores,
 * co-purchases), secondary evidence (similar items filling a bought-together list), trending in
 * a preferred category, trending overall, newest items; pins are placed by the shop.
 */
export const Tier = { latest: 0, trending: 1, categoryTrending: 2, secondary: 3, primary: 4, pinned: 5 } as const;

/** One of {@link Tier}. */
export type TierValue = (typeof Tier)[keyof typeof Tier];

/** Items best first, with the score and tier of each. */
export interface RankedList {
  items: number[];
  scores: number[];
  tiers: TierValue[];
  /** True when no candidate beyond these exists (the last page can say so). */
  exhausted: boolean;
}

/** An empty list. */
export function emptyList(exhausted = true): RankedList {
  return { items: [], scores: [], tiers: [], exhausted };
}

/** The entries of `list` reordered by `order` (positions into it). */
export function reorder(list: RankedList, order: readonly number[]): RankedList {
  return {
    items: order.map((p) => list.items[p]!),
    scores: order.map((p) => list.scores[p]!),
    tiers: order.map((p) => list.tiers[p]!),
    exhausted: list.exhausted,
  };
}
