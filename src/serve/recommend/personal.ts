/**
 * Builders of the personal lists — feed, session, cart — from the shopper's latest events: the
 * model scores the catalogue for the user and/or their recent items; without any signal the list
 * falls back to trending in their favourite category, then trending, then newest items.
 */
import type { Catalog } from '../catalog.js';
import { basedOnActivity, becauseOf, boughtWith, goesWithCart, newIn, trendingIn } from '../explain.js';
import type { HistoryEntry } from '../history.js';
import type { LoadedVersion } from '../models/loaded.js';
import { compileBoosts } from '../rules/boosts.js';
import { compileFilters } from '../rules/filters.js';
import type { Explanation, RecommendationList, Target } from '../types.js';
import { rankCandidates } from './candidates.js';
import { MarkedSet } from './marks.js';
import { candidatesFor } from './precompute.js';
import { Tier, type RankedList, type TierValue } from './ranked.js';
import { scanCatalog } from './scan.js';
import { favouriteCategory, modelUser, purchasedBy, targetHistory } from './shopper.js';
import type { Builder, Built, ServeState } from './state.js';

/** History items used to explain a recommendation (the most recent distinct ones). */
const EXPLAIN_HISTORY = 10;

/** What a list without model evidence is called, from its best item's tier. */
export function fallbackOf(list: RankedList): RecommendationList['fallback'] {
  const top = list.tiers[0];
  if (top === Tier.categoryTrending) return 'trending-in-category';
  if (top === Tier.latest) return 'latest';
  return 'trending';
}

/** Explanations of the fallback tiers. */
export function fallbackReason(catalog: Catalog, tier: TierValue, preferred: number): Explanation {
  if (tier === Tier.categoryTrending) return trendingIn(catalog, preferred);
  if (tier === Tier.trending) return trendingIn(catalog, -1);
  return newIn(catalog, -1);
}

/**
 * For each of `items`, the history item (model index) that alone gives it the highest score,
 * or -1 — the "because you viewed …" of an explanation.
 */
function strongestSource(version: LoadedVersion, sources: readonly number[], items: readonly number[]): number[] {
  const toModel = version.catToModel();
  const best = items.map(() => 0);
  const from = items.map(() => -1);
  for (const h of sources) {
    version.model.scoreItems({ history: [h] }, version.explainScores);
    items.forEach((c, k) => {
      const m = toModel[c] ?? -1;
      const s = m >= 0 ? version.explainScores[m]! : 0;
      if (s > best[k]!) {
        best[k] = s;
        from[k] = h;
      }
    });
  }
  return from;
}

/**
 * The feed (and session) builder. The shopper's candidate list (cached until their history or the
 * model changes) gives the page when enough of it passes the rules; otherwise — boosts, narrow
 * filters, most candidates bought — the whole catalogue is ranked by the model's scores.
 */
export function personalBuilder(state: ServeState, target: Target): Builder {
  return async ({ version, rules, depth, servedHashes }): Promise<Built> => {
    const entries = await targetHistory(state, target);
    const { catalog } = state;
    const trending = state.trending.sync();
    const boost = compileBoosts(catalog, rules.boosts);
    if (version) {
      try {
        const found = candidatesFor(state, version, target, entries);
        if (found !== null) {
          const { list: candidates, fresh } = found;
          const purchased = MarkedSet.of(candidates.purchased);
          const allowed = compileFilters(catalog, rules.filters, { excludePurchasedByDefault: true, purchased, servedHashes });
          let list = boost === null ? rankCandidates(candidates, version.modelToCat, trending, allowed, depth) : null;
          if (list === null) {
            state.candidates.counts.scanned++;
            if (!fresh) {
              const { user, history } = candidates;
              version.model.scoreItems({ ...(user < 0 ? {} : { user }), ...(history.length === 0 ? {} : { history: Array.from(history) }) }, version.scores);
            }
            list = scanCatalog({ catalog, trending, allowed, boost, depth, dense: { scores: version.scores, catToModel: version.catToModel(), tier: Tier.primary } });
          }
          const history = candidates.history;
          return { list, version, fallback: null, explain: (items, tiers) => explainPersonal(state, version, entries, Array.from(history), items, tiers) };
        }
      } catch (error) {
        state.warn(`model ${version.info.id} failed to score a ${target.userId ? 'user' : 'session'}; serving the fallback`, error);
      }
    }
    const purchased = purchasedBy(version, version ? modelUser(version, target) : undefined, entries);
    const allowed = compileFilters(catalog, rules.filters, { excludePurchasedByDefault: true, purchased, servedHashes });
    const preferred = favouriteCategory(catalog, entries);
    const list = scanCatalog({ catalog, trending, allowed, boost, depth, preferCategory: preferred });
    return { list, version: null, fallback: fallbackOf(list), explain: (items, tiers) => items.map((_, k) => fallbackReason(catalog, tiers[k]!, preferred)) };
  };
}

function explainPersonal(
  state: ServeState,
  version: LoadedVersion,
  entries: readonly HistoryEntry[],
  history: readonly number[],
  items: readonly number[],
  tiers: readonly TierValue[],
): Explanation[] {
  const { catalog } = state;
  const recent = history.slice(-EXPLAIN_HISTORY);
  const sources = strongestSource(version, recent, items);
  return items.map((_, k) => {
    if (tiers[k] !== Tier.primary) return fallbackReason(catalog, tiers[k]!, -1);
    const h = sources[k]!;
    if (h < 0) return basedOnActivity();
    const hc = version.modelToCat[h]!;
    const event = entries.find((e) => e.item === hc);
    return becauseOf(catalog, hc, event?.type ?? 'view');
  });
}

/** The cart builder: co-purchases of the cart items first, then the model's scores for the cart as a history. */
export function cartBuilder(state: ServeState, cart: readonly number[], target: Target): Builder {
  return async ({ version, rules, depth, servedHashes }): Promise<Built> => {
    const entries = await targetHistory(state, target);
    const { catalog, evidence } = state;
    const user = version ? modelUser(version, target) : undefined;
    const inCart = new Set(cart);
    const allowed = compileFilters(catalog, rules.filters, { excludePurchasedByDefault: true, purchased: purchasedBy(version, user, entries), exclude: inCart, servedHashes });
    const boost = compileBoosts(catalog, rules.boosts);
    const trending = state.trending.sync();
    evidence.reset(catalog.size);
    const cartModel: number[] = [];
    if (version) {
      const toModel = version.catToModel();
      for (const c of cart) {
        const m = toModel[c] ?? -1;
        if (m < 0) continue;
        cartModel.push(m);
        const { indptr, items, scores } = version.serving.together;
        for (let p = indptr[m]!; p < indptr[m + 1]!; p++) evidence.add(version.modelToCat[items[p]!]!, Tier.primary, scores[p]!);
      }
    }
    let dense;
    if (version && cartModel.length > 0) {
      try {
        version.model.scoreItems({ history: cartModel }, version.scores);
        dense = { scores: version.scores, catToModel: version.catToModel(), tier: Tier.secondary };
      } catch (error) {
        state.warn(`model ${version.info.id} failed to score a cart`, error);
      }
    }
    const preferred = cart.map((c) => catalog.firstCategory[c]!).find((k) => k >= 0) ?? favouriteCategory(catalog, entries);
    const list = scanCatalog({ catalog, trending, allowed, boost, depth, evidence, ...(dense ? { dense } : {}), preferCategory: preferred });
    const modelled = version !== null && (evidence.size > 0 || dense !== undefined);
    return {
      list,
      version: modelled ? version : null,
      fallback: modelled ? null : fallbackOf(list),
      explain: (items, tiers) => explainCart(catalog, modelled ? version : null, cartModel, items, tiers, preferred),
    };
  };
}

function explainCart(catalog: Catalog, version: LoadedVersion | null, cartModel: readonly number[], items: readonly number[], tiers: readonly TierValue[], preferred: number): Explanation[] {
  const sources = version ? strongestSource(version, cartModel, items) : [];
  return items.map((c, k) => {
    const tier = tiers[k]!;
    if (version && tier === Tier.primary) {
      const partner = bestPartner(version, cartModel, c);
      if (partner >= 0) return boughtWith(catalog, version.modelToCat[partner]!);
    }
    if (version && (tier === Tier.primary || tier === Tier.secondary)) {
      const h = sources[k]!;
      return h >= 0 ? goesWithCart(catalog, version.modelToCat[h]!) : goesWithCart(catalog, version.modelToCat[cartModel[0]!]!);
    }
    return fallbackReason(catalog, tier, preferred);
  });
}

/** The cart item (model index) most often bought with catalogue item `c`, or -1. */
function bestPartner(version: LoadedVersion, cartModel: readonly number[], c: number): number {
  const { indptr, items, scores } = version.serving.together;
  let best = -1;
  let bestScore = 0;
  for (const m of cartModel) {
    for (let p = indptr[m]!; p < indptr[m + 1]!; p++) {
      if (version.modelToCat[items[p]!] === c && scores[p]! > bestScore) {
        best = m;
        bestScore = scores[p]!;
      }
    }
  }
  return best;
}
