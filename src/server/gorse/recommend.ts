/**
 * Gorse recommendation routes, each one call to Magpie's RecommendationService: `/recommend` is the
 * personal feed, `/item/{id}/neighbors` similar items, `/popular` trending, `/latest` newest items,
 * `/session/recommend` the cart completion of the session's items. Gorse's semantics are kept on
 * top: recommendations leave out items the user already gave feedback on; neighbor and session
 * lists hold only items the model scored (no trending fill-up), empty until a model is trained.
 * Gorse pages with `offset`, Magpie with cursors, so pages are walked until `offset + n` items.
 */
import { isMagpieError } from '../../core/errors.js';
import type { Filters, ListRequest, RecommendationList, RecommendedItem } from '../../serve/types.js';
import { bodyList } from './body.js';
import { NEGATIVE_EVENT_TYPES } from './feedback-types.js';
import { pageParams, parseGoDuration, queryString, queryStrings, type Query } from './params.js';
import type { GorseRequest, GorseRouter } from './router.js';
import { feedbackToEvent, gorseFeedbackSchema, parseGorse, type GorseScore } from './shapes.js';

/** Magpie's largest page. */
const SERVICE_PAGE = 100;
/** Items of a session used as seeds, most recent first (Gorse's `num_feedback_fallback_item_based`). */
const SESSION_SEEDS = 10;
/** Most item ids a request's `excludeItems` filter takes; the rest are dropped from the pages here. */
const MAX_EXCLUDED = 1000;
/** Explanations of items the model put in a list, as opposed to the fallbacks that fill it up. */
const MODELLED: ReadonlySet<string> = new Set(['similar', 'bought-together', 'cart', 'history']);

type Fetch = (request: ListRequest) => Promise<RecommendationList>;

/** What to take from a list. */
interface Selection {
  /** Gorse's categories: an item must be in all of them. */
  categories?: string[];
  /** Items never to return (Gorse leaves out what the user already gave feedback on). */
  exclude?: readonly string[];
  /** Stop at the first item the model did not score positively (Gorse's neighbor lists hold nothing else). */
  modelledOnly?: boolean;
  includeItems?: boolean;
}

/**
 * The first `total` items of a list, paging through the service. Magpie's category filter is
 * any-of, so with several categories the pages are narrowed to items in all of them here.
 */
async function collect(fetch: Fetch, total: number, selection: Selection = {}): Promise<RecommendedItem[]> {
  const categories = selection.categories ?? [];
  const allOf = categories.length > 1;
  const drop = new Set(selection.exclude ?? []);
  const filters: Filters = {
    ...(categories.length > 0 ? { categories: categories.slice(0, 1) } : {}),
    ...(drop.size > 0 ? { excludeItems: [...drop].slice(0, MAX_EXCLUDED) } : {}),
  };
  const base: ListRequest = { rules: { filters }, includeItems: selection.includeItems === true || allOf, explain: selection.modelledOnly === true };
  const out: RecommendedItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50 && out.length < total; page++) {
    const list: RecommendationList = await fetch({ ...base, n: Math.min(SERVICE_PAGE, total - out.length), ...(cursor ? { cursor } : {}) });
    for (const item of list.items) {
      if (selection.modelledOnly && !(item.score > 0 && MODELLED.has(item.explanation?.kind ?? ''))) return out.slice(0, total);
      if (drop.has(item.itemId) || (allOf && !categories.every((c) => item.item?.categories.includes(c)))) continue;
      out.push(item);
    }
    if (list.nextCursor === null || list.items.length === 0) break;
    cursor = list.nextCursor;
  }
  return out.slice(0, total);
}

/** Categories from the path, or from `?category=` (repeatable), which Gorse's Go client sends instead. */
function categoriesOf(request: GorseRequest): string[] {
  const fromQuery = queryStrings(request.query, 'category');
  if (fromQuery.length > 0) return fromQuery;
  const fromPath = request.params['category'];
  return fromPath ? [fromPath] : [];
}

function scores(items: RecommendedItem[]): GorseScore[] {
  return items.map((i) => ({ Id: i.itemId, Score: i.score }));
}

/** Registers the recommendation routes. */
export function recommendRoutes(router: GorseRouter): void {
  const { engine } = router;
  const recs = engine.recommendations;

  /** Items a user gave feedback on until now, most recent first. */
  async function feedbackItems(userId: string): Promise<string[]> {
    const events = await engine.store.eventsByUser(userId, { order: 'desc', limit: 10_000, to: Date.now() + 1 });
    return [...new Set(events.flatMap((e) => (e.itemId === null ? [] : [e.itemId])))];
  }

  /** Gorse's `user-id` parameter of popular/latest: leave out what that user already saw. */
  async function seenBy(query: Query): Promise<string[]> {
    const userId = queryString(query, 'user-id');
    return userId === undefined ? [] : feedbackItems(userId);
  }

  const recommend = async (request: GorseRequest): Promise<string[]> => {
    const userId = request.params['user'] ?? '';
    const { n, offset } = pageParams(request.query);
    const writeBackType = queryString(request.query, 'write-back-type');
    const delay = parseGoDuration(queryString(request.query, 'write-back-delay') ?? '0', 'write-back-delay');
    const selection = { categories: categoriesOf(request), exclude: await feedbackItems(userId) };
    const ids = (await collect((r) => recs.feed({ userId }, r), offset + n, selection)).slice(offset).map((i) => i.itemId);
    if (writeBackType !== undefined && ids.length > 0) {
      const at = new Date(Date.now() + delay).toISOString();
      await engine.ingest(ids.map((itemId) => feedbackToEvent({ FeedbackType: writeBackType, UserId: userId, ItemId: itemId, Timestamp: at }, false, 'write-back-type')));
    }
    return ids;
  };
  router.route('GET', '/recommend/:user', 'read', recommend);
  router.route('GET', '/recommend/:user/:category', 'read', recommend);

  const neighbors = async (request: GorseRequest): Promise<GorseScore[]> => {
    const { n, offset } = pageParams(request.query);
    try {
      const items = await collect((r) => recs.similar(request.params['id'] ?? '', r), offset + n, { categories: categoriesOf(request), modelledOnly: true });
      return scores(items.slice(offset));
    } catch (error) {
      // Gorse answers an empty list for an item it has no neighbors for, known or not.
      if (isMagpieError(error, 'not_found')) return [];
      throw error;
    }
  };
  router.route('GET', '/item/:id/neighbors', 'read', neighbors);
  router.route('GET', '/item/:id/neighbors/:category', 'read', neighbors);

  const popular = async (request: GorseRequest): Promise<GorseScore[]> => {
    const { n, offset } = pageParams(request.query);
    const categories = categoriesOf(request);
    const category = categories[0];
    const selection = { categories, exclude: await seenBy(request.query) };
    const items = await collect((r) => recs.trending(category ? { category } : {}, r), offset + n, selection);
    return scores(items.slice(offset));
  };
  router.route('GET', '/popular', 'read', popular);
  router.route('GET', '/popular/:category', 'read', popular);

  const latest = async (request: GorseRequest): Promise<GorseScore[]> => {
    const { n, offset } = pageParams(request.query);
    const categories = categoriesOf(request);
    const category = categories[0];
    const selection = { categories, exclude: await seenBy(request.query), includeItems: true };
    const items = await collect((r) => recs.latest(category ? { category } : {}, r), offset + n, selection);
    // Gorse scores latest items by their Unix time.
    return items.slice(offset).map((i) => ({ Id: i.itemId, Score: i.item?.createdAt != null ? Math.floor(i.item.createdAt / 1000) : i.score }));
  };
  router.route('GET', '/latest', 'read', latest);
  router.route('GET', '/latest/:category', 'read', latest);

  const session = async (request: GorseRequest): Promise<GorseScore[]> => {
    const { n, offset } = pageParams(request.query);
    const feedback = bodyList(request.body, ['Feedback', 'Feedbacks'], 'feedback')
      .map((f, i) => parseGorse(gorseFeedbackSchema, f, `feedback ${i}`))
      .map((f, i) => feedbackToEvent(f, false, `feedback ${i}`))
      .sort((a, b) => b.timestamp - a.timestamp);
    const seen = [...new Set(feedback.map((e) => e.itemId as string))];
    const seeds = [...new Set(feedback.filter((e) => !NEGATIVE_EVENT_TYPES.has(e.type)).map((e) => e.itemId as string))];
    if (seeds.length === 0) return [];
    const selection = { categories: categoriesOf(request), exclude: seen, modelledOnly: true };
    const items = await collect((r) => recs.cart(seeds.slice(0, SESSION_SEEDS), undefined, r), offset + n, selection);
    return scores(items.slice(offset));
  };
  router.route('POST', '/session/recommend', 'read', session);
  router.route('POST', '/session/recommend/:category', 'read', session);
}
