/**
 * Recommendation routes. Each list has a GET form (rules as compact query parameters) and a POST
 * form (full rules and context as JSON); both answer a RecommendationList with a recId.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ListRequest, RecommendationList, Rules } from '../../serve/types.js';
import type { RouteContext } from '../context.js';
import { errorResponses, idParams, pathId } from '../schemas/common.js';
import { listBodyShape, listQueryShape, recommendationListSchema } from '../schemas/recommendations.js';

type ListQuery = z.output<z.ZodObject<typeof listQueryShape>>;
type ListBody = z.output<z.ZodObject<typeof listBodyShape>>;

/** The rules a GET request states in compact query parameters; undefined when it states none. */
export function queryRules(query: Partial<ListQuery>): Rules | undefined {
  const filters: NonNullable<Rules['filters']> = {};
  // On /v1/trending and /v1/latest `category` names the list's own category, a string, not a filter.
  if (Array.isArray(query.category) && query.category.length > 0) filters.categories = query.category;
  if (query.brand?.length) filters.brands = query.brand;
  if (query.priceMin !== undefined) filters.priceMin = query.priceMin;
  if (query.priceMax !== undefined) filters.priceMax = query.priceMax;
  if (query.inStock !== undefined) filters.inStock = query.inStock;
  return Object.keys(filters).length > 0 ? { filters } : undefined;
}

/** The ListRequest of a GET (compact rules) or POST (full rules) list request. */
export function listRequest(options: Partial<ListQuery> | ListBody, rules: Rules | undefined): ListRequest {
  const request: ListRequest = {};
  if (options.n !== undefined) request.n = options.n;
  if (options.cursor !== undefined) request.cursor = options.cursor;
  if (options.ruleSet !== undefined) request.ruleSet = options.ruleSet;
  if (options.explain !== undefined) request.explain = options.explain;
  if (options.includeItems !== undefined) request.includeItems = options.includeItems;
  if (rules !== undefined) request.rules = rules;
  if ('context' in options && options.context !== undefined) request.context = options.context;
  return request;
}

const listResponse = { 200: recommendationListSchema, ...errorResponses(404) };

/** The recommendation routes. */
export const recommendationRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  const recs = engine.recommendations;
  const tags = ['recommendations'];

  // Registers the GET and POST forms of one list.
  function both<P extends z.ZodType, Q extends z.ZodRawShape, B extends z.ZodRawShape>(
    url: string,
    spec: { operationId: string; summary: string; description?: string; params?: P; query?: Q; body?: B },
    call: (params: z.output<P>, extra: Record<string, unknown>, request: ListRequest) => Promise<RecommendationList>,
  ): void {
    const common = { tags, summary: spec.summary, ...(spec.description ? { description: spec.description } : {}), ...(spec.params ? { params: spec.params } : {}) };
    app.get(url, {
      config: { scope: 'read' },
      schema: { ...common, operationId: spec.operationId, querystring: z.object({ ...listQueryShape, ...spec.query }).strict(), response: listResponse },
      handler: async (request) => {
        const query = request.query as Partial<ListQuery> & Record<string, unknown>;
        return call(request.params as z.output<P>, query, listRequest(query, queryRules(query)));
      },
    });
    app.post(url, {
      config: { scope: 'read' },
      schema: {
        ...common,
        operationId: `${spec.operationId}WithRules`,
        summary: `${spec.summary} (rules in the body)`,
        body: z.object({ ...listBodyShape, ...spec.body }).strict().nullish(),
        response: listResponse,
      },
      handler: async (request) => {
        const body = (request.body ?? {}) as ListBody & Record<string, unknown>;
        return call(request.params as z.output<P>, body, listRequest(body, body.rules));
      },
    });
  }

  const sessionId = pathId.optional().describe('the anonymous session, to use its recent events too');
  both(
    '/v1/users/:id/recommendations',
    { operationId: 'userRecommendations', summary: "A user's personal feed", description: 'Users with no history get trending items (in their favourite category, then overall).', params: idParams, query: { sessionId }, body: { sessionId } },
    (params, extra, request) => recs.feed({ userId: params.id, ...(typeof extra.sessionId === 'string' ? { sessionId: extra.sessionId } : {}) }, request),
  );
  both('/v1/sessions/:id/recommendations', { operationId: 'sessionRecommendations', summary: 'Next items for a session, from its own events', params: idParams }, (params, _extra, request) =>
    recs.session(params.id, request),
  );
  both('/v1/items/:id/similar', { operationId: 'similarItems', summary: 'Items similar to one item', params: idParams }, (params, _extra, request) => recs.similar(params.id, request));
  both('/v1/items/:id/bought-together', { operationId: 'boughtTogether', summary: 'Items often bought with one item', params: idParams }, (params, _extra, request) =>
    recs.boughtTogether(params.id, request),
  );
  const category = z.string().min(1).max(200).optional().describe('only within this category');
  both('/v1/trending', { operationId: 'trending', summary: 'Trending items (time-decayed popularity)', query: { category }, body: { category } }, (_params, extra, request) =>
    recs.trending(typeof extra.category === 'string' ? { category: extra.category } : {}, request),
  );
  both('/v1/latest', { operationId: 'latest', summary: 'Newest items of the catalog', query: { category }, body: { category } }, (_params, extra, request) =>
    recs.latest(typeof extra.category === 'string' ? { category: extra.category } : {}, request),
  );

  app.post('/v1/cart/recommendations', {
    config: { scope: 'read' },
    schema: {
      operationId: 'cartRecommendations',
      tags,
      summary: 'Items that complete a cart',
      body: z
        .object({
          ...listBodyShape,
          itemIds: z.array(pathId).min(1).max(100).describe('the items in the cart'),
          userId: pathId.optional(),
          sessionId: pathId.optional(),
        })
        .strict(),
      response: listResponse,
    },
    handler: async (request) => {
      const { itemIds, userId, sessionId: session, ...options } = request.body;
      const target = { ...(userId !== undefined ? { userId } : {}), ...(session !== undefined ? { sessionId: session } : {}) };
      return recs.cart(itemIds, target, listRequest(options, options.rules));
    },
  });
};
