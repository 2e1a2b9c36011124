/**
 * Every route the SDK calls, by the OpenAPI operationId the server gives it. The SDK builds each
 * request from this table, and a test checks it against the server's /docs/json both ways.
 */

/** An HTTP method the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One route: method and OpenAPI path template (`/v1/items/{id}`). */
export interface Endpoint {
  method: HttpMethod;
  path: string;
}

/** The API's routes, keyed by operationId. */
export const ENDPOINTS = {
  health: { method: 'GET', path: '/health' },
  healthLive: { method: 'GET', path: '/health/live' },
  healthReady: { method: 'GET', path: '/health/ready' },
  metrics: { method: 'GET', path: '/metrics' },

  sendEvents: { method: 'POST', path: '/v1/events' },
  upsertItems: { method: 'PUT', path: '/v1/items' },
  upsertItem: { method: 'PUT', path: '/v1/items/{id}' },
  getItem: { method: 'GET', path: '/v1/items/{id}' },
  deleteItem: { method: 'DELETE', path: '/v1/items/{id}' },
  upsertUsers: { method: 'PUT', path: '/v1/users' },
  upsertUser: { method: 'PUT', path: '/v1/users/{id}' },
  getUser: { method: 'GET', path: '/v1/users/{id}' },
  deleteUser: { method: 'DELETE', path: '/v1/users/{id}' },
  userEvents: { method: 'GET', path: '/v1/users/{id}/events' },

  userRecommendations: { method: 'GET', path: '/v1/users/{id}/recommendations' },
  userRecommendationsWithRules: { method: 'POST', path: '/v1/users/{id}/recommendations' },
  sessionRecommendations: { method: 'GET', path: '/v1/sessions/{id}/recommendations' },
  sessionRecommendationsWithRules: { method: 'POST', path: '/v1/sessions/{id}/recommendations' },
  similarItems: { method: 'GET', path: '/v1/items/{id}/similar' },
  similarItemsWithRules: { method: 'POST', path: '/v1/items/{id}/similar' },
  boughtTogether: { method: 'GET', path: '/v1/items/{id}/bought-together' },
  boughtTogetherWithRules: { method: 'POST', path: '/v1/items/{id}/bought-together' },
  cartRecommendations: { method: 'POST', path: '/v1/cart/recommendations' },
  trending: { method: 'GET', path: '/v1/trending' },
  trendingWithRules: { method: 'POST', path: '/v1/trending' },
  latest: { method: 'GET', path: '/v1/latest' },
  latestWithRules: { method: 'POST', path: '/v1/latest' },

  listModels: { method: 'GET', path: '/v1/models' },
  trainModel: { method: 'POST', path: '/v1/models/train' },
  listTrainingJobs: { method: 'GET', path: '/v1/models/jobs' },
  getTrainingJob: { method: 'GET', path: '/v1/models/jobs/{id}' },
  activateModel: { method: 'POST', path: '/v1/models/{version}/activate' },
  rollbackModel: { method: 'POST', path: '/v1/models/rollback' },
  deleteModel: { method: 'DELETE', path: '/v1/models/{version}' },

  listRuleSets: { method: 'GET', path: '/v1/rule-sets' },
  getRuleSet: { method: 'GET', path: '/v1/rule-sets/{name}' },
  putRuleSet: { method: 'PUT', path: '/v1/rule-sets/{name}' },
  deleteRuleSet: { method: 'DELETE', path: '/v1/rule-sets/{name}' },

  listExperiments: { method: 'GET', path: '/v1/experiments' },
  createExperiment: { method: 'POST', path: '/v1/experiments' },
  getExperiment: { method: 'GET', path: '/v1/experiments/{name}' },
  stopExperiment: { method: 'POST', path: '/v1/experiments/{name}/stop' },
  experimentReport: { method: 'GET', path: '/v1/experiments/{name}/report' },

  createKey: { method: 'POST', path: '/v1/keys' },
  listKeys: { method: 'GET', path: '/v1/keys' },
  deleteKey: { method: 'DELETE', path: '/v1/keys/{name}' },

  analytics: { method: 'GET', path: '/v1/analytics/{name}' },
} as const satisfies Record<string, Endpoint>;

/** The operationId of a route the SDK calls. */
export type OperationId = keyof typeof ENDPOINTS;

/**
 * Fills a path template with encoded values.
 *
 * @example
 * fillPath('/v1/items/{id}', { id: 'a/b' }); // '/v1/items/a%2Fb'
 */
export function fillPath(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(value);
  });
}
