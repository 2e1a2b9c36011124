/**
 * Filters compiled into one predicate over catalogue indices. The checks a request does not ask
 * for are left out of the closure, so the common case (visible, in stock, not bought) is a few
 * typed-array reads per item.
 */
import type { Catalog } from '../catalog.js';
import type { Filters } from '../types.js';

/** What besides the rules decides whether an item may be listed. */
export interface FilterContext {
  /** Whether bought items are dropped when the rules do not say (true for feed, session, cart). */
  excludePurchasedByDefault: boolean;
  /** Catalogue indices the shopper bought. */
  purchased?: ReadonlySet<number>;
  /** Catalogue indices never to list (the seed item, the cart). */
  exclude?: ReadonlySet<number>;
  /** {@link Catalog.idHash} values of items already served on earlier pages. */
  servedHashes?: ReadonlySet<number>;
}

/**
 * The predicate deciding which catalogue indices may appear: never hidden items; then every
 * filter given.
 *
 * @example
 * const allowed = compileFilters(catalog, { priceMax: 20, brands: ['Acme'] }, { excludePurchasedByDefault: false });
 * allowed(catalog.indexOf('sku-1'));
 */
export function compileFilters(catalog: Catalog, filters: Filters | undefined, context: FilterContext): (c: number) => boolean {
  const f = filters ?? {};
  const checks: ((c: number) => boolean)[] = [];
  if (f.inStock !== false) checks.push((c) => catalog.inStock[c] === 1);
  const purchased = context.purchased;
  if ((f.excludePurchased ?? context.excludePurchasedByDefault) && purchased && purchased.size > 0) {
    checks.push((c) => catalog.rebuyable[c] === 1 || !purchased.has(c));
  }
  let exclude = context.exclude;
  if (f.excludeItems !== undefined && f.excludeItems.length > 0) {
    const merged = new Set(exclude ?? []);
    for (const id of f.excludeItems) {
      const c = catalog.indexOf(id);
      if (c >= 0) merged.add(c);
    }
    exclude = merged;
  }
  if (exclude !== undefined && exclude.size > 0) {
    const never = exclude;
    checks.push((c) => !never.has(c));
  }
  const served = context.servedHashes;
  if (served && served.size > 0) checks.push((c) => !served.has(catalog.idHash[c]!));
  if (f.categories !== undefined) {
    const wanted = new Set(f.categories.map((name) => catalog.categoryId(name)).filter((id) => id >= 0));
    checks.push((c) => {
      const cats = catalog.categories[c]!;
      for (let k = 0; k < cats.length; k++) if (wanted.has(cats[k]!)) return true;
      return false;
    });
  }
  if (f.brands !== undefined) {
    const brands = new Set(f.brands);
    checks.push((c) => {
      const brand = catalog.rows[c]?.brand;
      return brand != null && brands.has(brand);
    });
  }
  if (f.priceMin !== undefined || f.priceMax !== undefined) {
    const min = f.priceMin ?? -Infinity;
    const max = f.priceMax ?? Infinity;
    // NaN (unknown price) fails both comparisons: an item without a price is not in any range.
    checks.push((c) => catalog.price[c]! >= min && catalog.price[c]! <= max);
  }
  if (f.attributes !== undefined) {
    for (const [name, expected] of Object.entries(f.attributes)) {
      const accepted = new Set<unknown>(Array.isArray(expected) ? expected : [expected]);
      checks.push((c) => {
        const value = catalog.rows[c]?.attributes[name];
        if (Array.isArray(value)) return value.some((v) => accepted.has(v));
        return accepted.has(value);
      });
    }
  }
  return combine(catalog, checks);
}

function combine(catalog: Catalog, checks: ((c: number) => boolean)[]): (c: number) => boolean {
  const visible = (c: number): boolean => catalog.visible(c);
  if (checks.length === 0) return visible;
  if (checks.length === 1) {
    const [a] = checks as [(c: number) => boolean];
    return (c) => visible(c) && a(c);
  }
  if (checks.length === 2) {
    const [a, b] = checks as [(c: number) => boolean, (c: number) => boolean];
    return (c) => visible(c) && a(c) && b(c);
  }
  return (c) => {
    if (!visible(c)) return false;
    for (const check of checks) if (!check(c)) return false;
    return true;
  };
}
