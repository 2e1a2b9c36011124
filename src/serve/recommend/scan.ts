/**
 * The one pass over the catalogue that every list makes: each item gets a tier and a key (model
 * score, evidence score, trending score or creation time), boosts scale the key, and the best
 * `depth` items that pass the filters are kept. Items the model knows nothing about still compete
 * through trending and recency, so new items and empty models still yield full lists.
 */
import type { Catalog } from '../catalog.js';
import { applyFactor } from '../rules/boosts.js';
import type { EvidenceBoard } from './evidence.js';
import { Tier, type RankedList, type TierValue } from './ranked.js';
import { RankHeap } from './select.js';

/** What a scan ranks by. */
export interface ScanInput {
  catalog: Catalog;
  /** Trending score per catalogue index (see Trending.sync). */
  trending: Float64Array;
  allowed: (c: number) => boolean;
  boost: ((c: number) => number) | null;
  /** Items to keep. */
  depth: number;
  /** Dense model scores (model item space) with the catalogue → model map, ranked in `tier`. */
  dense?: { scores: Float32Array; catToModel: Int32Array; tier: TierValue };
  /** Sparse evidence, ranked in its own tiers (above dense when higher). */
  evidence?: EvidenceBoard;
  /** Trending items of this category rank above other trending items (-1: none). */
  preferCategory?: number;
  /** False for `latest`: rank by creation time only. */
  useTrending?: boolean;
}

let shared = new RankHeap(512);

function heapFor(size: number): RankHeap {
  if (shared.capacity < size) shared = new RankHeap(Math.max(size, shared.capacity * 2));
  return shared;
}

/**
 * Ranks the catalogue. One item more than `depth` is looked for, so `exhausted` is exact: true
 * only when no further item could follow.
 *
 * @example
 * const list = scanCatalog({ catalog, trending: trending.sync(), allowed, boost: null, depth: 50 });
 */
export function scanCatalog(input: ScanInput): RankedList {
  const { catalog, trending, allowed, boost, depth, dense, evidence } = input;
  const prefer = input.preferCategory ?? -1;
  const useTrending = input.useTrending ?? true;
  const heap = heapFor(depth + 1);
  heap.reset(depth + 1);
  const n = catalog.size;
  const created = catalog.createdAt;
  const scores = dense?.scores;
  const toModel = dense?.catToModel;
  const denseTier = dense?.tier ?? Tier.primary;
  for (let c = 0; c < n; c++) {
    let tier: number = Tier.latest;
    let key: number;
    let tie: number;
    const m = toModel !== undefined ? toModel[c]! : -1;
    const t = c < trending.length ? trending[c]! : 0;
    if (evidence !== undefined && evidence.has(c) && (m < 0 || evidence.tier(c) >= denseTier)) {
      tier = evidence.tier(c);
      key = evidence.score(c);
      tie = t;
    } else if (m >= 0 && scores![m]! > -Infinity) {
      tier = denseTier;
      key = scores![m]!;
      tie = t;
    } else if (useTrending && t > 0) {
      tier = prefer >= 0 && catalog.inCategory(c, prefer) ? Tier.categoryTrending : Tier.trending;
      key = t;
      tie = created[c]! === created[c]! ? created[c]! : -Infinity;
    } else {
      key = 1;
      tie = created[c]! === created[c]! ? created[c]! : -Infinity;
    }
    if (boost !== null) {
      const factor = boost(c);
      if (factor !== 1) key = applyFactor(key, factor);
    }
    if (!heap.accepts(c, tier, key, tie) || !allowed(c)) continue;
    heap.push(c, tier, key, tie);
  }
  const exhausted = heap.length <= depth;
  const list = heap.drain(exhausted);
  if (!exhausted) {
    list.items.length = depth;
    list.scores.length = depth;
    list.tiers.length = depth;
  }
  return list;
}
