import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../store/index.js';
import { startServer, type Harness } from './harness.case.js';
import { testEngine } from './test-engine.case.js';

describe('health checks', () => {
  it('is live but not ready while nothing can serve, and ready once the catalog has items', async () => {
    const server = await startServer();
    try {
      const client = server.client();
      assert.deepEqual(await client.healthLive(), { live: true });
      const empty = await fetch(`${server.url}/health/ready`);
      assert.equal(empty.status, 503);
      const body = (await empty.json()) as { ready: boolean; checks: { store: { ok: boolean }; fallback: { ok: boolean } } };
      assert.equal(body.ready, false);
      assert.equal(body.checks.store.ok, true);
      assert.equal(body.checks.fallback.ok, false);
      await client.upsertItems([{ id: 'mug' }]);
      const ready = await client.healthReady();
      assert.equal(ready.ready, true);
      const both = await client.health();
      assert.equal(both.live, true);
      assert.equal(both.ready, true);
    } finally {
      await server.close();
    }
  });

  it('is not ready when the store does not answer', async () => {
    const engine = testEngine(await openStore(':memory:'));
    await engine.upsertItems([{ id: 'mug', title: null, description: null, categories: [], brand: null, price: null, currency: null, stock: null, attributes: {}, createdAt: null, hidden: false }]);
    engine.store.listItems = async () => {
      throw new Error('connection refused');
    };
    const server = await startServer({ engine });
    try {
      const response = await fetch(`${server.url}/health`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { live: boolean; ready: boolean; checks: { store: { ok: boolean; error: string } } };
      assert.equal(body.live, true);
      assert.equal(body.checks.store.ok, false);
      assert.equal(body.checks.store.error, 'connection refused');
      assert.equal((await fetch(`${server.url}/health/live`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('metrics and docs', () => {
  let server: Harness;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('exposes request metrics by route pattern, events ingested and the active model', async () => {
    const client = server.client();
    await client.upsertItems([{ id: 'a' }, { id: 'b' }]);
    await client.sendEvents([{ id: 'x1', userId: 'u1', itemId: 'a', type: 'view' }, { id: 'x2', userId: 'u2', itemId: 'b', type: 'view' }]);
    await client.sendEvents([{ id: 'x1', userId: 'u1', itemId: 'a', type: 'view' }]);
    await client.getItem('a');
    await client.getItem('b');
    await fetch(`${server.url}/v1/items/missing`);
    await fetch(`${server.url}/v1/no/such/route`);
    const job = await client.models.train({ model: 'popularity', activate: true });
    for (let i = 0; i < 200 && (await client.models.job(job.id)).status !== 'done'; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const version = (await client.models.list()).active;
    const text = await client.metrics();
    assert.match(text, /magpie_http_requests_total\{route="\/v1\/items\/:id",method="GET",status="200"\} 2/);
    assert.match(text, /magpie_http_requests_total\{route="\/v1\/items\/:id",method="GET",status="404"\} 1/);
    assert.match(text, /magpie_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/);
    assert.match(text, /magpie_http_request_duration_seconds_count\{route="\/v1\/events",method="POST"\} 2/);
    assert.match(text, /magpie_http_request_duration_seconds_bucket\{le="0\.1",route="\/v1\/items\/:id",method="GET"\} \d/);
    assert.equal(text.includes('/v1/items/a"'), false, 'raw URLs never become labels');
    assert.match(text, /magpie_events_ingested_total\{outcome="stored"\} 2/);
    assert.match(text, /magpie_events_ingested_total\{outcome="duplicate"\} 1/);
    assert.match(text, new RegExp(`magpie_active_model\\{version="${version}",model="popularity"\\} 1`));
    assert.match(text, /magpie_process_resident_memory_bytes/);
  });

  it('serves Swagger UI from the package and the OpenAPI 3 document with every route', async () => {
    const ui = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    assert.equal(ui.status, 200);
    const html = await ui.text();
    assert.match(html, /swagger-ui/i);
    assert.equal(/https?:\/\/(?!localhost|127\.0\.0\.1)/.test(html.replace(/<!--[\s\S]*?-->/g, '')), false, 'no asset from a CDN');
    const bundle = await fetch(`${server.url}/docs/static/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    assert.ok((await bundle.arrayBuffer()).byteLength > 100_000);
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/v1/events']?.post?.requestBody);
    assert.ok(doc.paths['/v1/users/{id}/recommendations']?.get?.responses['200']);
    for (const name of ['RecommendationList', 'Item', 'Rules', 'Error', 'ModelVersion', 'Experiment']) assert.ok(doc.components.schemas[name], `component ${name}`);
    assert.equal(doc.components.schemas.ItemInput, undefined, 'no unused input twins of response schemas');
  });
});
