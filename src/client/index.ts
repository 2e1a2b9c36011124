/**
 * Typed client of the Magpie HTTP API. No dependency beyond the global `fetch` (Node 18+, browsers,
 * Deno, Bun). Every method maps to one route (see endpoints.ts); every failure is a MagpieApiError.
 */
import type { EventInput } from '../core/schemas.js';
import type { Event, Item, User } from '../core/types.js';
import type { Experiment, IngestResult, ModelVersion, RecommendationList, Rules, TrainingJob } from '../serve/types.js';
import { ENDPOINTS, fillPath, type OperationId } from './endpoints.js';
import { MagpieApiError } from './errors.js';
import type {
  AnalyticsOptions,
  ApiKey,
  ClientOptions,
  CreatedApiKey,
  DeletedUser,
  ExperimentInput,
  ItemInput,
  ListOptions,
  Readiness,
  UserInput,
  VariantReport,
} from './types.js';

export { ENDPOINTS, fillPath, type Endpoint, type HttpMethod, type OperationId } from './endpoints.js';
export { MagpieApiError } from './errors.js';
export type * from './types.js';

type Query = Record<string, string | number | boolean | undefined>;

interface Call {
  params?: Record<string, string>;
  query?: Query;
  body?: unknown;
  /** Statuses answered with a body to return rather than throw (the readiness checks' 503). */
  accept?: number[];
}

// The POST form of a list: options as a JSON body, compact filters merged into the full rules.
function listBody(options: ListOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { filters, rules, context, ...plain } = options;
  const merged: Rules | undefined = filters ? { ...rules, filters: { ...filters, ...rules?.filters } } : rules;
  const body: Record<string, unknown> = { ...plain, ...extra };
  if (merged) body.rules = merged;
  if (context) body.context = context;
  // Drops undefined members, which strict schemas would not mind but the docs' examples show cleaner.
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

// The GET form of a list: options as query parameters, filters in their compact form.
function listQuery(options: ListOptions, extra: Query = {}): Query {
  const { filters, rules: _rules, context: _context, ...plain } = options;
  const query: Query = { ...plain, ...extra };
  if (filters) {
    if (filters.categories) query.category = filters.categories.join(',');
    if (filters.brands) query.brand = filters.brands.join(',');
    query.priceMin = filters.priceMin;
    query.priceMax = filters.priceMax;
    query.inStock = filters.inStock;
  }
  return query;
}

/**
 * A client of one Magpie server.
 *
 * @example
 * const magpie = new MagpieClient({ baseUrl: 'http://localhost:8080', apiKey: process.env.MAGPIE_API_KEY });
 * await magpie.sendEvents([{ userId: 'u1', itemId: 'sku-9', type: 'view' }]);
 * const feed = await magpie.recommendations('u1', { n: 5, filters: { categories: ['Kitchen'] } });
 * // later: { type: 'click', itemId: feed.items[0].itemId, recId: feed.recId, userId: 'u1' }
 */
export class MagpieClient {
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Sends one request to the route `operation` and returns its JSON (or text) body. */
  async request<T>(operation: OperationId, call: Call = {}): Promise<T> {
    const endpoint = ENDPOINTS[operation];
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(call.query ?? {})) if (value !== undefined) search.set(key, String(value));
    const url = `${this.baseUrl}${fillPath(endpoint.path, call.params)}${search.size > 0 ? `?${search}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const init: RequestInit = { method: endpoint.method, headers, signal: AbortSignal.timeout(this.timeoutMs) };
    if (endpoint.method === 'POST' || endpoint.method === 'PUT') {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(call.body ?? {});
    }
    let response: Response;
    try {
      response = await this.fetch(url, init);
    } catch (cause) {
      throw new MagpieApiError(0, 'network', `${endpoint.method} ${url} failed: ${(cause as Error).message}`, { cause, hint: 'check that the server runs and baseUrl is right' });
    }
    const text = await response.text();
    const isJson = (response.headers.get('content-type') ?? '').includes('json');
    if (response.ok || call.accept?.includes(response.status)) return (isJson ? JSON.parse(text) : text) as T;
    const body = (isJson ? JSON.parse(text) : { code: 'http_error', message: text }) as { code?: string; message?: string; location?: MagpieApiError['location']; hint?: string };
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    throw new MagpieApiError(response.status, body.code ?? 'http_error', body.message ?? response.statusText, {
      ...(body.location ? { location: body.location } : {}),
      ...(body.hint ? { hint: body.hint } : {}),
      ...(response.headers.get('x-request-id') ? { requestId: response.headers.get('x-request-id')! } : {}),
      ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
    });
  }

  /** Liveness and readiness; answers (does not throw) when not ready. */
  health(): Promise<Readiness & { live: true }> {
    return this.request('health', { accept: [503] });
  }
  /** Liveness only. */
  healthLive(): Promise<{ live: true }> {
    return this.request('healthLive');
  }
  /** Readiness only; answers (does not throw) when not ready. */
  healthReady(): Promise<Readiness> {
    return this.request('healthReady', { accept: [503] });
  }
  /** The Prometheus metrics text. */
  metrics(): Promise<string> {
    return this.request('metrics');
  }

  /** Stores events (one, or up to 1,000 in a batch); idempotent by id. */
  sendEvents(events: EventInput | EventInput[]): Promise<IngestResult> {
    return this.request('sendEvents', { body: Array.isArray(events) ? { events } : events });
  }

  /** Creates or replaces up to 1,000 items. */
  upsertItems(items: ItemInput[]): Promise<{ upserted: number }> {
    return this.request('upsertItems', { body: { items } });
  }
  /** Creates or replaces one item; returns it as stored. */
  upsertItem(item: ItemInput): Promise<Item> {
    const { id, ...fields } = item;
    return this.request('upsertItem', { params: { id: String(id) }, body: fields });
  }
  /** One item (404 when unknown). */
  getItem(id: string): Promise<Item> {
    return this.request('getItem', { params: { id } });
  }
  /** Hides an item from every list. */
  deleteItem(id: string): Promise<{ deleted: true }> {
    return this.request('deleteItem', { params: { id } });
  }

  /** Creates or replaces up to 1,000 users. */
  upsertUsers(users: UserInput[]): Promise<{ upserted: number }> {
    return this.request('upsertUsers', { body: { users } });
  }
  /** Creates or replaces one user; returns it as stored. */
  upsertUser(user: UserInput): Promise<User> {
    const { id, ...fields } = user;
    return this.request('upsertUser', { params: { id: String(id) }, body: fields });
  }
  /** One user (404 when unknown). */
  getUser(id: string): Promise<User> {
    return this.request('getUser', { params: { id } });
  }
  /** Removes every trace of a user (needs the admin scope). */
  async deleteUser(id: string): Promise<DeletedUser> {
    return (await this.request<{ deleted: DeletedUser }>('deleteUser', { params: { id } })).deleted;
  }
  /** A user's events, most recent first. */
  async userEvents(id: string, options: { limit?: number } = {}): Promise<Event[]> {
    return (await this.request<{ events: Event[] }>('userEvents', { params: { id }, query: { limit: options.limit } })).events;
  }

  /** A user's personal feed. */
  recommendations(userId: string, options: ListOptions & { sessionId?: string } = {}): Promise<RecommendationList> {
    const { sessionId, ...list } = options;
    return this.list('userRecommendations', 'userRecommendationsWithRules', { id: userId }, list, { sessionId });
  }
  /** Next items for an anonymous (or known) session. */
  sessionRecommendations(sessionId: string, options: ListOptions = {}): Promise<RecommendationList> {
    return this.list('sessionRecommendations', 'sessionRecommendationsWithRules', { id: sessionId }, options);
  }
  /** Items similar to one item. */
  similar(itemId: string, options: ListOptions = {}): Promise<RecommendationList> {
    return this.list('similarItems', 'similarItemsWithRules', { id: itemId }, options);
  }
  /** Items often bought with one item. */
  boughtTogether(itemId: string, options: ListOptions = {}): Promise<RecommendationList> {
    return this.list('boughtTogether', 'boughtTogetherWithRules', { id: itemId }, options);
  }
  /** Items that complete a cart. */
  cart(itemIds: string[], options: ListOptions & { userId?: string; sessionId?: string } = {}): Promise<RecommendationList> {
    const { userId, sessionId, ...list } = options;
    return this.request('cartRecommendations', { body: listBody(list, { itemIds, userId, sessionId }) });
  }
  /** Trending items, overall or in one category. */
  trending(options: ListOptions & { category?: string } = {}): Promise<RecommendationList> {
    const { category, ...list } = options;
    return this.list('trending', 'trendingWithRules', {}, list, { category });
  }
  /** Newest items, overall or in one category. */
  latest(options: ListOptions & { category?: string } = {}): Promise<RecommendationList> {
    const { category, ...list } = options;
    return this.list('latest', 'latestWithRules', {}, list, { category });
  }

  // Rules and context need the POST form; everything else fits the GET form's query string.
  private list(get: OperationId, post: OperationId, params: Record<string, string>, options: ListOptions, extra: Record<string, string | undefined> = {}): Promise<RecommendationList> {
    if (options.rules !== undefined || options.context !== undefined) return this.request(post, { params, body: listBody(options, extra) });
    return this.request(get, { params, query: listQuery(options, extra) });
  }

  /** Model versions and training (admin scope). */
  readonly models = {
    list: (): Promise<{ active: string | null; versions: ModelVersion[] }> => this.request('listModels'),
    /** Starts training in the background; poll `job(id)`. */
    train: (options: { model?: string; activate?: boolean } = {}): Promise<TrainingJob> => this.request('trainModel', { body: options }),
    jobs: async (): Promise<TrainingJob[]> => (await this.request<{ jobs: TrainingJob[] }>('listTrainingJobs')).jobs,
    job: (id: string): Promise<TrainingJob> => this.request('getTrainingJob', { params: { id } }),
    activate: (version: string): Promise<ModelVersion> => this.request('activateModel', { params: { version } }),
    rollback: (): Promise<ModelVersion> => this.request('rollbackModel'),
    delete: (version: string): Promise<{ deleted: true }> => this.request('deleteModel', { params: { version } }),
  };

  /** Saved rule sets (admin scope). */
  readonly ruleSets = {
    list: async (): Promise<{ name: string; rules: Rules }[]> => (await this.request<{ ruleSets: { name: string; rules: Rules }[] }>('listRuleSets')).ruleSets,
    get: (name: string): Promise<{ name: string; rules: Rules }> => this.request('getRuleSet', { params: { name } }),
    put: (name: string, rules: Rules): Promise<{ name: string; rules: Rules }> => this.request('putRuleSet', { params: { name }, body: rules }),
    delete: (name: string): Promise<{ deleted: true }> => this.request('deleteRuleSet', { params: { name } }),
  };

  /** A/B experiments (admin scope). */
  readonly experiments = {
    list: async (): Promise<Experiment[]> => (await this.request<{ experiments: Experiment[] }>('listExperiments')).experiments,
    create: (experiment: ExperimentInput): Promise<Experiment> => this.request('createExperiment', { body: experiment }),
    get: (name: string): Promise<Experiment> => this.request('getExperiment', { params: { name } }),
    stop: (name: string): Promise<Experiment> => this.request('stopExperiment', { params: { name } }),
    report: (name: string): Promise<{ experiment: Experiment; variants: VariantReport[]; note: string }> => this.request('experimentReport', { params: { name } }),
  };

  /** API keys (admin scope). */
  readonly keys = {
    /** Creates a key; its secret is in this answer only. */
    create: (name: string, scopes: ApiKey['scopes']): Promise<CreatedApiKey> => this.request('createKey', { body: { name, scopes } }),
    list: async (): Promise<ApiKey[]> => (await this.request<{ keys: ApiKey[] }>('listKeys')).keys,
    delete: (name: string): Promise<{ deleted: true }> => this.request('deleteKey', { params: { name } }),
  };

  /**
   * One analysis of `magpie analytics` (active-users, retention, funnel, repeat-purchase, orders, …):
   * `result` is what `magpie analytics <name> --json` writes, rows or a model object.
   */
  analytics<Result = Record<string, unknown>[]>(name: string, options: AnalyticsOptions = {}): Promise<{ name: string; result: Result }> {
    const { steps, ...rest } = options;
    return this.request('analytics', { params: { name }, query: { ...rest, steps: steps?.join(',') } });
  }
}
