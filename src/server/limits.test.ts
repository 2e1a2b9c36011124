import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rejection, startServer, type Harness } from './harness.case.js';

describe('rate limits', () => {
  let server: Harness;
  before(async () => {
    server = await startServer({ apiKey: 'admin-key', rateLimitPerMinute: 5 });
  });
  after(() => server.close());

  it('answers 429 with Retry-After once a key spends its requests, counting each key apart', async () => {
    const admin = server.client();
    const { secret } = await admin.keys.create('other', ['read']);
    // The key creation was request 1 of 5 for the admin key.
    for (let i = 0; i < 4; i++) await admin.trending();
    const limited = await rejection(admin.trending());
    assert.equal(limited.status, 429);
    assert.equal(limited.code, 'rate_limited');
    assert.ok(Number(limited.retryAfter) > 0 && Number(limited.retryAfter) <= 60, `retryAfter ${String(limited.retryAfter)}`);
    const raw = await fetch(`${server.url}/v1/trending`, { headers: { authorization: 'Bearer admin-key' } });
    assert.equal(raw.status, 429);
    assert.ok(Number(raw.headers.get('retry-after')) > 0);
    assert.equal(((await raw.json()) as { code: string }).code, 'rate_limited');
    // Another key has its own budget; health checks have none.
    assert.equal((await server.client(secret).trending()).surface, 'trending');
    for (let i = 0; i < 8; i++) assert.equal((await fetch(`${server.url}/health/live`)).status, 200);
  });

  it('limits callers without a key by address, also when their requests are refused', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${server.url}/v1/trending`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('size limits and CORS', () => {
  let server: Harness;
  before(async () => {
    server = await startServer({ apiKey: 'cors-key', bodyLimitBytes: 64 * 1024, corsOrigins: ['https://shop.example'] });
  });
  after(() => server.close());

  it('answers 413 with a JSON error for a body over the limit', async () => {
    const events = Array.from({ length: 800 }, (_, i) => ({ id: `e${i}`, userId: `user-${i}`, itemId: `item-${i}`, type: 'view' as const, context: { page: 'https://shop.example/some/long/path' } }));
    const error = await rejection(server.client().sendEvents(events));
    assert.equal(error.status, 413);
    assert.equal(error.code, 'too_large');
    assert.match(error.message, /65,536 bytes/);
    assert.match(String(error.hint), /smaller batches/);
    assert.equal((await server.engine.store.stats()).events, 0);
  });

  it('answers 413 for more than 1,000 events in one request, however small', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ userId: 'u', itemId: String(i % 10), type: 'view' as const }));
    const error = await rejection(server.client().sendEvents(events));
    assert.equal(error.status, 413);
    assert.deepEqual(error.location, { field: 'events' });
    assert.match(String(error.hint), /at most 1000 events/);
    const items = await rejection(server.client().upsertItems(Array.from({ length: 1001 }, (_, i) => ({ id: i }))));
    assert.equal(items.status, 413);
    assert.deepEqual(items.location, { field: 'items' });
  });

  it('sends CORS headers to the configured origin only, refusals included', async () => {
    const allowed = await fetch(`${server.url}/v1/trending`, { headers: { origin: 'https://shop.example', 'x-api-key': 'cors-key' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await fetch(`${server.url}/v1/trending`, { headers: { origin: 'https://shop.example' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://shop.example');
    const preflight = await fetch(`${server.url}/v1/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers.get('access-control-allow-headers')), /Authorization/);
    const other = await fetch(`${server.url}/v1/trending`, { headers: { origin: 'https://evil.example', 'x-api-key': 'cors-key' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});

describe('a server without CORS origins', () => {
  it('sends no CORS header', async () => {
    const server = await startServer();
    try {
      const response = await fetch(`${server.url}/v1/trending`, { headers: { origin: 'https://shop.example' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
    } finally {
      await server.close();
    }
  });
});
