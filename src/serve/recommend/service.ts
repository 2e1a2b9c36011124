/**
 * The {@link RecommendationService}: each surface checks its arguments, picks its builder and
 * hands both to the list pipeline.
 */
import { MagpieError } from '../../core/errors.js';
import type { ListRequest, RecommendationList, RecommendationService, Target } from '../types.js';
import { catalogueBuilder, seedItem, similarBuilder } from './item-lists.js';
import { cartBuilder, personalBuilder } from './personal.js';
import { serveList } from './pipeline.js';
import type { ServeState } from './state.js';

function checkTarget(target: Target | undefined, required: boolean): Target {
  const t = target ?? {};
  const out: Target = {};
  for (const field of ['userId', 'sessionId'] as const) {
    const value = t[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value === '' || value.length > 256) {
      throw new MagpieError('invalid_input', `${field} must be a non-empty string of at most 256 characters`, { location: { field } });
    }
    out[field] = value;
  }
  if (required && out.userId === undefined && out.sessionId === undefined) {
    throw new MagpieError('invalid_input', 'a personal list needs a userId or a sessionId', { location: { field: 'userId' }, hint: 'pass the shopper id, or the session id for anonymous visitors' });
  }
  return out;
}

function checkItemIds(itemIds: unknown): string[] {
  if (!Array.isArray(itemIds) || itemIds.length === 0 || itemIds.length > 100 || !itemIds.every((id) => typeof id === 'string' && id !== '')) {
    throw new MagpieError('invalid_input', 'itemIds must be a list of 1 to 100 item ids', { location: { field: 'itemIds' }, hint: 'send the ids of the items in the cart' });
  }
  return itemIds;
}

/** The part of a result-cache key naming a shopper and the state of their history. */
function personalKey(state: ServeState, target: Target): string {
  return `${target.userId ?? ''}\u0002${target.sessionId ?? ''}\u0002${state.history.stamp(target.userId, target.sessionId)}`;
}

/**
 * Creates the recommendation service over the engine's serving state.
 *
 * @example
 * const list = await service.feed({ userId: 'u1' }, { n: 10, explain: true });
 */
export function createRecommendationService(state: ServeState): RecommendationService {
  return {
    // Feeds and sessions rank from the shopper's cached candidate list, which costs about what a
    // first-page cache lookup does; keeping each ranked page as well would only churn memory.
    async feed(target: Target, request: ListRequest = {}): Promise<RecommendationList> {
      const t = checkTarget(target, true);
      return serveList(state, 'feed', t, request, personalBuilder(state, t), null);
    },
    async session(sessionId: string, request: ListRequest = {}): Promise<RecommendationList> {
      const t = checkTarget({ sessionId }, true);
      return serveList(state, 'session', t, request, personalBuilder(state, t), null);
    },
    async similar(itemId: string, request: ListRequest = {}): Promise<RecommendationList> {
      const seed = seedItem(state, itemId);
      return serveList(state, 'similar', {}, request, similarBuilder(state, seed, false), itemId);
    },
    async boughtTogether(itemId: string, request: ListRequest = {}): Promise<RecommendationList> {
      const seed = seedItem(state, itemId);
      return serveList(state, 'bought-together', {}, request, similarBuilder(state, seed, true), itemId);
    },
    async cart(itemIds: string[], target?: Target, request: ListRequest = {}): Promise<RecommendationList> {
      const ids = checkItemIds(itemIds);
      const t = checkTarget(target, false);
      const cart = ids.map((id) => state.catalog.indexOf(id)).filter((c) => c >= 0);
      return serveList(state, 'cart', t, request, cartBuilder(state, cart, t), `${personalKey(state, t)}\u0002${ids.join('\u0002')}`);
    },
    async trending(options: { category?: string } = {}, request: ListRequest = {}): Promise<RecommendationList> {
      return serveList(state, 'trending', {}, request, catalogueBuilder(state, 'trending', options.category), options.category ?? '');
    },
    async latest(options: { category?: string } = {}, request: ListRequest = {}): Promise<RecommendationList> {
      return serveList(state, 'latest', {}, request, catalogueBuilder(state, 'latest', options.category), options.category ?? '');
    },
  };
}
