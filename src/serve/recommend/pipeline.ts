/**
 * The list pipeline every surface goes through: experiment assignment → rules (saved set merged
 * with the request's) → candidates ranked by the surface's builder → diversity → pins → one page.
 * The ranked list is kept per recId, so next pages are slices of it; when it is gone, it is ranked
 * again without the items the cursor says were served.
 */
import { MagpieError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { featured } from '../explain.js';
import { makeRecId, parseRecId } from '../rec-id.js';
import { decodeCursor, encodeCursor, MAX_SERVED, type CursorState } from '../rules/cursor.js';
import { mmr, spreadByCategory } from '../rules/diversity.js';
import { mergeRules } from '../rules/merge.js';
import { applyPins } from '../rules/pins.js';
import { parseRules } from '../rules/schema.js';
import type { ListRequest, RecommendationList, RecommendedItem, Rules, Surface, Target, Variant } from '../types.js';
import { Tier, type RankedList } from './ranked.js';
import { itemSimilarity } from './similarity.js';
import type { Builder, Built, CachedList, ServeState } from './state.js';

/** Surfaces an experiment may apply to and impressions are written for. */
const PERSONAL: ReadonlySet<Surface> = new Set(['feed', 'session', 'cart']);
const NOTHING_SERVED: ReadonlySet<number> = new Set();
/** Fewest items ranked for a first page (more room for diversity, pins and a second page). */
const MIN_DEPTH = 50;
/**
 * Surfaces ranked from the shopper's cached candidate list (candidates.ts): ranking a later page
 * again from it, without the items its cursor says were served, costs less than keeping every
 * page served — a ranked list per recId, thousands a second, all of it garbage by the time the
 * cache drops it. Lists that diversity, pins or boosts reorder are still kept: those rank the
 * whole catalogue, and a later page must continue the same reordering.
 */
const RE_RANKED: ReadonlySet<Surface> = new Set(['feed', 'session']);

/** Whether the pages of this list are ranked one at a time instead of kept (see {@link RE_RANKED}). */
function reRanked(surface: Surface, rules: Rules): boolean {
  return RE_RANKED.has(surface) && rules.diversity === undefined && !rules.pinned?.length && !rules.boosts?.length;
}

/** Checks the page size: a whole number 1–100, default 10. */
export function pageSize(n: number | undefined): number {
  if (n === undefined) return 10;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new MagpieError('invalid_input', `n must be a whole number from 1 to 100, got ${String(n)}`, { location: { field: 'n' }, hint: 'ask for at most 100 items per page and use the cursor for more' });
  }
  return n;
}

function readCursor(surface: Surface, token: string | undefined): CursorState | null {
  if (token === undefined || token === null) return null;
  const cursor = decodeCursor(token);
  if (parseRecId(cursor.recId)?.surface !== surface) {
    throw new MagpieError('invalid_input', `this cursor belongs to another kind of list than ${surface}`, {
      location: { field: 'cursor' },
      hint: 'pass the nextCursor of the same list',
    });
  }
  return cursor;
}

/** Serves one page of a surface's list for `target`. */
export async function serveList(
  state: ServeState,
  surface: Surface,
  target: Target,
  request: ListRequest,
  build: Builder,
  cacheKey: string | null,
): Promise<RecommendationList> {
  const n = pageSize(request.n);
  const cursor = readCursor(surface, request.cursor);
  const key = target.userId ?? target.sessionId;
  const assignment = PERSONAL.has(surface) && key !== undefined ? state.experiments.assign(surface, key) : null;
  const rules = await resolveRules(state, request, assignment?.variant);
  const offset = cursor?.offset ?? 0;
  const served = cursor?.served ?? [];
  let recId = cursor?.recId ?? null;
  const single = reRanked(surface, rules);
  let cached = recId === null || single ? undefined : state.lists.get(recId);
  if (cached && (offset < cached.start || (offset >= cached.start + cached.list.items.length && !cached.list.exhausted))) cached = undefined;
  if (!cached) {
    // One more than the page, so the page knows whether another follows.
    const depth = Math.min(MAX_SERVED - served.length, single ? n + 1 : Math.max(MIN_DEPTH, 3 * n));
    const version = await versionFor(state, assignment?.variant, recId);
    const resultKey =
      cacheKey === null || cursor !== null || state.resultTtlMs <= 0
        ? null
        : [surface, cacheKey, version?.info.id ?? '-', state.catalog.version, n, assignment?.variant.name ?? '', rulesKey(rules)].join('\u0001');
    const hit = resultKey === null ? undefined : state.results.get(resultKey);
    let list: RankedList;
    let built: Built;
    if (hit && Date.now() - hit.at < state.resultTtlMs) {
      ({ list, built } = hit);
    } else {
      built = await build({ version, rules, depth: Math.max(depth, 0), servedHashes: served.length === 0 ? NOTHING_SERVED : new Set(served) });
      list = built.list;
      const diversity = rules.diversity;
      if (diversity?.mmrLambda !== undefined) list = mmr(list, diversity.mmrLambda, itemSimilarity(state.catalog, built.version));
      if (diversity?.maxPerCategory !== undefined) list = spreadByCategory(list, n, diversity.maxPerCategory, state.catalog);
      if (offset === 0) list = applyPins(list, rules.pinned, state.catalog);
      if (resultKey !== null) state.results.set(resultKey, { list, built, at: Date.now(), userId: target.userId });
    }
    const source = assignment ? `${assignment.experiment}:${assignment.variant.name}` : built.fallback === null && built.version ? built.version.info.id : 'rules';
    recId ??= makeRecId(surface, source);
    const experiment = assignment ? { name: assignment.experiment, variant: assignment.variant.name } : null;
    cached = { surface, list, start: offset, built, experiment, userId: target.userId };
    if (!single) state.lists.set(recId, cached);
  }
  const listId = recId!;
  const from = offset - cached.start;
  const page = cached.list;
  const slice = Math.min(page.items.length, from + n);
  // An item hidden or deleted since the list was ranked is left out of later pages.
  const positions: number[] = [];
  for (let p = from; p < slice; p++) if (state.catalog.visible(page.items[p]!)) positions.push(p);
  const items = positions.map((p) => page.items[p]!);
  const tiers = positions.map((p) => page.tiers[p]!);
  const servedNow = served.concat(items.map((c) => state.catalog.idHash[c]!));
  const more = slice > from && (slice < page.items.length || !page.exhausted) && servedNow.length < MAX_SERVED;
  const built = cached.built;
  const explanations = request.explain ? built.explain(items, tiers) : null;
  const version = built.fallback === null ? built.version : null;
  const response: RecommendationList = {
    recId: listId,
    surface,
    model: version?.info.model ?? null,
    modelVersion: version?.info.id ?? null,
    experiment: cached.experiment,
    fallback: built.fallback,
    items: items.map((c, k): RecommendedItem => {
      // Written as is (server/serialize.ts): a score is always a finite number, an item only its fields.
      const score = page.scores[positions[k]!]!;
      const out: RecommendedItem = { itemId: state.catalog.ids[c]!, score: Number.isFinite(score) ? score : 0 };
      if (explanations) out.explanation = tiers[k] === Tier.pinned ? featured() : explanations[k]!;
      if (request.includeItems) {
        const row = state.catalog.rows[c];
        if (row) out.item = itemFields(row);
      }
      return out;
    }),
    nextCursor: more ? encodeCursor({ recId: listId, offset: offset + (slice - from), served: servedNow }) : null,
  };
  if (PERSONAL.has(surface)) state.impressions.record(response, target, request.context, offset);
  return response;
}

/** The Item fields of a catalogue row, and nothing else a caller may have left on the object. */
function itemFields(row: Item): Item {
  const { id, title, description, categories, brand, price, currency, stock, attributes, createdAt, hidden } = row;
  return { id, title, description, categories, brand, price, currency, stock, attributes, createdAt, hidden };
}

function rulesKey(rules: Rules): string {
  return rules.filters || rules.boosts || rules.pinned || rules.diversity ? JSON.stringify(rules) : '';
}

async function resolveRules(state: ServeState, request: ListRequest, variant: Variant | undefined): Promise<Rules> {
  const own = request.rules === undefined || request.rules === null ? undefined : parseRules(request.rules);
  const name = variant?.ruleSet ?? request.ruleSet;
  const saved = name === undefined || name === null ? null : await state.ruleSets.require(name);
  return mergeRules(saved, own);
}

/**
 * The version to rank with: an experiment variant's, the one a cursor's list came from when it
 * is still loaded, else the active one. A variant version that cannot be loaded is reported and
 * the active one serves instead.
 */
async function versionFor(state: ServeState, variant: Variant | undefined, recId: string | null) {
  const wanted = variant?.modelVersion ?? (recId === null ? undefined : parseRecId(recId)?.source);
  const current = state.models.current;
  if (wanted === undefined || wanted === current?.info.id || wanted === 'rules' || !wanted.startsWith('v')) return current;
  try {
    return await state.models.versionFor(wanted);
  } catch (error) {
    if (variant?.modelVersion !== undefined) state.warn(`experiment variant ${variant.name} names model version ${wanted}, which cannot be loaded; serving the active one`, error);
    return current;
  }
}
