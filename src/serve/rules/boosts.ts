/**
 * Boosts compiled into one factor per catalogue index. A factor multiplies positive scores and
 * divides negative ones, so a factor above 1 always promotes, whatever the sign of a model's score.
 */
import type { Catalog } from '../catalog.js';
import type { Boost } from '../types.js';

const DAY_MS = 86_400_000;

/**
 * The factor of every boost matching item `c`, multiplied together; null when there are no boosts
 * (the caller then skips the call entirely).
 *
 * @example
 * const factor = compileBoosts(catalog, [{ kind: 'brand', brand: 'Acme', factor: 2 }]);
 * factor?.(catalog.indexOf('acme-mug')); // 2
 */
export function compileBoosts(catalog: Catalog, boosts: readonly Boost[] | undefined, now = Date.now()): ((c: number) => number) | null {
  if (!boosts || boosts.length === 0) return null;
  const parts = boosts.map((boost): ((c: number) => boolean) => {
    switch (boost.kind) {
      case 'new': {
        const since = now - boost.withinDays * DAY_MS;
        return (c) => catalog.createdAt[c]! >= since;
      }
      case 'promotion':
        return (c) => catalog.rows[c]?.attributes['promotion'] === true;
      case 'attribute':
        return (c) => catalog.rows[c]?.attributes[boost.attribute] === boost.equals;
      case 'category': {
        const id = catalog.categoryId(boost.category);
        return (c) => id >= 0 && catalog.inCategory(c, id);
      }
      case 'brand':
        return (c) => catalog.rows[c]?.brand === boost.brand;
    }
  });
  const factors = boosts.map((b) => b.factor);
  return (c) => {
    let f = 1;
    for (let k = 0; k < parts.length; k++) if (parts[k]!(c)) f *= factors[k]!;
    return f;
  };
}

/** `score` boosted by `factor`: multiplied when ≥ 0, divided when negative. */
export function applyFactor(score: number, factor: number): number {
  return score >= 0 ? score * factor : score / factor;
}
