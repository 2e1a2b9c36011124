// The SDK and the API stay in step: every SDK method calls a route of the OpenAPI document, and
// every route of the document (the Gorse-compatible /api aside) is called by some SDK method.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type Harness } from '../server/harness.case.js';
import type { z } from 'zod';
import type { itemInputSchema, userInputSchema } from '../core/schemas.js';
import type { SameShape } from '../server/schemas/domain.js';
import { ENDPOINTS, MagpieApiError, MagpieClient, type ItemInput, type UserInput } from './index.js';

// The SDK's input types are written out (it must not depend on zod at run time); these fail to
// compile when they drift from the schemas the server validates with.
const itemInputInStep: SameShape<ItemInput, z.input<typeof itemInputSchema>> = true;
const userInputInStep: SameShape<UserInput, z.input<typeof userInputSchema>> = true;
void [itemInputInStep, userInputInStep];

interface OpenApi {
  paths: Record<string, Record<string, { operationId?: string }>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** `METHOD /path/{param}` of every operation the native API documents. */
function operations(doc: OpenApi): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (path === '/api' || path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(item)) if (METHODS.includes(method)) out.set(`${method.toUpperCase()} ${path}`, op.operationId);
  }
  return out;
}

/** Matches a concrete request (`GET /v1/items/mug`) to the operation whose template fits it. */
function operationOf(ops: Iterable<string>, method: string, pathname: string): string | undefined {
  return [...ops].find((op) => {
    const [m, template] = op.split(' ') as [string, string];
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`);
    return m === method && pattern.test(pathname);
  });
}

// Every public method of the SDK with the calls that exercise it. A new method without an entry
// here fails the test, so each one is checked against the document.
const INVOCATIONS: Record<string, ((c: MagpieClient) => Promise<unknown>)[]> = {
  health: [(c) => c.health()],
  healthLive: [(c) => c.healthLive()],
  healthReady: [(c) => c.healthReady()],
  metrics: [(c) => c.metrics()],
  sendEvents: [(c) => c.sendEvents({ userId: 'u', itemId: 'a', type: 'view' })],
  upsertItems: [(c) => c.upsertItems([{ id: 'a' }])],
  upsertItem: [(c) => c.upsertItem({ id: 'a/b c', title: 'slash and space' })],
  getItem: [(c) => c.getItem('a/b c')],
  deleteItem: [(c) => c.deleteItem('a')],
  upsertUsers: [(c) => c.upsertUsers([{ id: 'u' }])],
  upsertUser: [(c) => c.upsertUser({ id: 'u' })],
  getUser: [(c) => c.getUser('u')],
  deleteUser: [(c) => c.deleteUser('u')],
  userEvents: [(c) => c.userEvents('u', { limit: 5 })],
  recommendations: [(c) => c.recommendations('u', { n: 2 }), (c) => c.recommendations('u', { rules: { filters: { inStock: true } } })],
  sessionRecommendations: [(c) => c.sessionRecommendations('s'), (c) => c.sessionRecommendations('s', { context: { page: 'home' } })],
  similar: [(c) => c.similar('a'), (c) => c.similar('a', { rules: {} })],
  boughtTogether: [(c) => c.boughtTogether('a'), (c) => c.boughtTogether('a', { rules: {} })],
  cart: [(c) => c.cart(['a'])],
  trending: [(c) => c.trending({ category: 'Home' }), (c) => c.trending({ rules: {} })],
  latest: [(c) => c.latest(), (c) => c.latest({ rules: {} })],
  analytics: [(c) => c.analytics('orders', { by: 'month' })],
  'models.list': [(c) => c.models.list()],
  'models.train': [(c) => c.models.train({ model: 'popularity' })],
  'models.jobs': [(c) => c.models.jobs()],
  'models.job': [(c) => c.models.job('job-1')],
  'models.activate': [(c) => c.models.activate('v1')],
  'models.rollback': [(c) => c.models.rollback()],
  'models.delete': [(c) => c.models.delete('v1')],
  'ruleSets.list': [(c) => c.ruleSets.list()],
  'ruleSets.get': [(c) => c.ruleSets.get('r')],
  'ruleSets.put': [(c) => c.ruleSets.put('r', {})],
  'ruleSets.delete': [(c) => c.ruleSets.delete('r')],
  'experiments.list': [(c) => c.experiments.list()],
  'experiments.create': [(c) => c.experiments.create({ name: 'x', variants: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] })],
  'experiments.get': [(c) => c.experiments.get('x')],
  'experiments.stop': [(c) => c.experiments.stop('x')],
  'experiments.report': [(c) => c.experiments.report('x')],
  'keys.create': [(c) => c.keys.create('k', ['read'])],
  'keys.list': [(c) => c.keys.list()],
  'keys.delete': [(c) => c.keys.delete('k')],
};

const NAMESPACES = ['models', 'ruleSets', 'experiments', 'keys'] as const;

/** The SDK's public methods, as `name` or `namespace.name`. */
function sdkMethods(client: MagpieClient): string[] {
  const own = Object.getOwnPropertyNames(MagpieClient.prototype).filter((name) => name !== 'constructor' && name !== 'request' && name !== 'list');
  const nested = NAMESPACES.flatMap((ns) => Object.keys(client[ns]).map((name) => `${ns}.${name}`));
  return [...own, ...nested].sort();
}

describe('the SDK and the OpenAPI document', () => {
  let server: Harness;
  let ops: Map<string, string | undefined>;
  before(async () => {
    server = await startServer();
    ops = operations((await (await fetch(`${server.url}/docs/json`)).json()) as OpenApi);
  });
  after(() => server.close());

  it('lists the same routes in its endpoint table as the document, under the same operationIds', () => {
    const table = new Map(Object.entries(ENDPOINTS).map(([id, e]) => [`${e.method} ${e.path}`, id]));
    assert.deepEqual([...table.keys()].sort(), [...ops.keys()].sort());
    for (const [route, id] of table) assert.equal(ops.get(route), id, route);
  });

  it('calls a documented route from every method, and every documented route from some method', async () => {
    const client0 = new MagpieClient({ baseUrl: server.url });
    assert.deepEqual(Object.keys(INVOCATIONS).sort(), sdkMethods(client0), 'every SDK method has an entry in INVOCATIONS');
    const called = new Set<string>();
    for (const [name, calls] of Object.entries(INVOCATIONS)) {
      for (const call of calls) {
        const seen: string[] = [];
        const recording: typeof fetch = async (input, init) => {
          const url = new URL(String(input));
          seen.push(`${init?.method ?? 'GET'} ${url.pathname}`);
          return fetch(input, init);
        };
        await call(new MagpieClient({ baseUrl: server.url, fetch: recording })).catch((error: unknown) => {
          // Answers such as 404 for made-up ids are fine here; only the route matters.
          if (!(error instanceof MagpieApiError) || error.status === 0) throw error;
        });
        assert.equal(seen.length, 1, `${name} made ${seen.length} requests`);
        const [method, pathname] = seen[0]!.split(' ') as [string, string];
        const op = operationOf(ops.keys(), method, pathname);
        assert.ok(op, `${name} called ${seen[0]}, which the document does not list`);
        called.add(op);
      }
    }
    assert.deepEqual([...ops.keys()].filter((op) => !called.has(op)), [], 'documented routes no SDK method calls');
  });
});

describe('MagpieApiError', () => {
  it('reports a network failure as status 0 with a hint', async () => {
    const client = new MagpieClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    const error = await client.healthLive().then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof MagpieApiError);
    assert.equal(error.status, 0);
    assert.match(String(error.hint), /baseUrl/);
  });

  it('keeps code, location, hint and request id from a JSON error, and the text of any other', async () => {
    const json: typeof fetch = async () =>
      new Response(JSON.stringify({ code: 'invalid_input', message: 'events[3].type: bad', location: { field: 'events[3].type' }, hint: 'fix it' }), {
        status: 400,
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-7' },
      });
    const error = await new MagpieClient({ baseUrl: 'http://shop', fetch: json }).sendEvents([]).catch((e: unknown) => e);
    assert.ok(error instanceof MagpieApiError);
    assert.deepEqual([error.status, error.code, error.location?.field, error.hint, error.requestId], [400, 'invalid_input', 'events[3].type', 'fix it', 'req-7']);
    const text: typeof fetch = async () => new Response('bad gateway', { status: 502, headers: { 'content-type': 'text/plain' } });
    const proxy = await new MagpieClient({ baseUrl: 'http://shop', fetch: text }).trending().catch((e: unknown) => e);
    assert.ok(proxy instanceof MagpieApiError);
    assert.deepEqual([proxy.status, proxy.code, proxy.message], [502, 'http_error', 'bad gateway']);
  });
});
