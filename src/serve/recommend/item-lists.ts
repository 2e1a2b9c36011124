/**
 * Builders of the lists about items rather than shoppers: similar items, bought together,
 * trending and latest.
 */
import { MagpieError } from '../../core/errors.js';
import { boughtWith, newIn, similarTo, trendingIn } from '../explain.js';
import { compileBoosts } from '../rules/boosts.js';
import { compileFilters } from '../rules/filters.js';
import { fallbackOf, fallbackReason } from './personal.js';
import { Tier } from './ranked.js';
import { scanCatalog } from './scan.js';
import { similarItems } from './similarity.js';
import type { Builder, Built, ServeState } from './state.js';

/** The catalogue index of an item a list is about; MagpieError('not_found') when nothing knows it. */
export function seedItem(state: ServeState, itemId: string): number {
  const c = typeof itemId === 'string' ? state.catalog.indexOf(itemId) : -1;
  if (c < 0) {
    throw new MagpieError('not_found', `no item "${String(itemId)}"`, {
      location: { field: 'itemId' },
      hint: 'use the id of an item in the catalogue (send it with the items API) or one that events have named',
    });
  }
  return c;
}

/** Items similar to `seed` (by the model), then trending in its category. */
export function similarBuilder(state: ServeState, seed: number, withBaskets: boolean): Builder {
  return ({ version, rules, depth, servedHashes }): Built => {
    const { catalog, evidence } = state;
    const allowed = compileFilters(catalog, rules.filters, { excludePurchasedByDefault: false, exclude: new Set([seed]), servedHashes });
    const boost = compileBoosts(catalog, rules.boosts);
    evidence.reset(catalog.size);
    const m = version ? version.catToModel()[seed] ?? -1 : -1;
    if (version && m >= 0) {
      if (withBaskets) {
        const { indptr, items, scores } = version.serving.together;
        for (let p = indptr[m]!; p < indptr[m + 1]!; p++) evidence.add(version.modelToCat[items[p]!]!, Tier.primary, scores[p]!);
      }
      try {
        for (const entry of similarItems(version, m, depth + 20)) {
          evidence.add(version.modelToCat[entry.item]!, withBaskets ? Tier.secondary : Tier.primary, entry.score);
        }
      } catch (error) {
        state.warn(`model ${version.info.id} failed to list similar items`, error);
      }
    }
    const preferred = catalog.firstCategory[seed]!;
    const list = scanCatalog({ catalog, trending: state.trending.sync(), allowed, boost, depth, evidence, preferCategory: preferred });
    const modelled = version !== null && evidence.size > 0;
    return {
      list,
      version: modelled ? version : null,
      fallback: modelled ? null : fallbackOf(list),
      explain: (items, tiers) =>
        items.map((_, k) => {
          const tier = tiers[k]!;
          if (tier === Tier.primary) return withBaskets ? boughtWith(catalog, seed) : similarTo(catalog, seed);
          if (tier === Tier.secondary) return similarTo(catalog, seed);
          return fallbackReason(catalog, tier, preferred);
        }),
    };
  };
}

/** Trending (by decayed popularity) or latest (by creation time), overall or within a category. */
export function catalogueBuilder(state: ServeState, kind: 'trending' | 'latest', category: string | undefined): Builder {
  return ({ rules, depth, servedHashes }): Built => {
    const { catalog } = state;
    const categoryId = category === undefined ? -1 : catalog.categoryId(category);
    const base = compileFilters(catalog, rules.filters, { excludePurchasedByDefault: false, servedHashes });
    const allowed = category === undefined ? base : (c: number) => categoryId >= 0 && catalog.inCategory(c, categoryId) && base(c);
    const boost = compileBoosts(catalog, rules.boosts);
    const list = scanCatalog({ catalog, trending: state.trending.sync(), allowed, boost, depth, useTrending: kind === 'trending' });
    return {
      list,
      version: null,
      fallback: null,
      explain: (items, tiers) => items.map((_, k) => (tiers[k] === Tier.latest ? newIn(catalog, categoryId) : trendingIn(catalog, categoryId))),
    };
  };
}
