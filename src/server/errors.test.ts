import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../store/index.js';
import { rejection, startServer, type Harness } from './harness.case.js';
import { testEngine } from './test-engine.case.js';

const post = (server: Harness, path: string, body: string, type = 'application/json'): Promise<Response> =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('errors', () => {
  let server: Harness;
  before(async () => {
    const engine = testEngine(await openStore(':memory:'));
    // A failure deep inside a service: its message and stack must stay in the log.
    engine.recommendations.similar = async () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/secret/path.db');
    };
    server = await startServer({ engine });
  });
  after(() => server.close());

  it('names the offending field of a batch as events[3].type', async () => {
    const events = [0, 1, 2, 3].map((i) => ({ userId: 'u', itemId: `i${i}`, type: i === 3 ? 'buy' : 'view' }));
    const error = await rejection(server.client().sendEvents(events as never));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_input');
    assert.deepEqual(error.location, { field: 'events[3].type' });
    assert.match(error.message, /^events\[3\]\.type: must be one of view, click/);
    assert.ok(error.hint);
    assert.equal((await server.engine.store.stats()).events, 0, 'nothing of a bad batch is stored');
  });

  it('names unknown fields, missing fields and bad query parameters', async () => {
    const unknown = await rejection(server.client().sendEvents([{ userId: 'u', itemId: 'i', type: 'view' }, { userId: 'u', itemId: 'i', type: 'view', colour: 'red' } as never]));
    assert.deepEqual(unknown.location, { field: 'events[1].colour' });
    assert.match(String(unknown.hint), /remove the unknown field/);
    const missing = await rejection(server.client().upsertItems([{ title: 'no id' } as never]));
    assert.deepEqual(missing.location, { field: 'items[0].id' });
    const n = await rejection(server.client().trending({ n: 500 }));
    assert.equal(n.status, 400);
    assert.deepEqual(n.location, { field: 'n' });
    assert.match(n.message, /^query parameter n:/);
    const typo = await fetch(`${server.url}/v1/trending?limt=5`);
    assert.equal(typo.status, 400);
    assert.deepEqual(((await typo.json()) as { location: unknown }).location, { field: 'limt' });
    const rule = await rejection(server.client().recommendations('u', { rules: { boosts: [{ kind: 'brand', brand: 'Acme', factor: -1 }] } }));
    assert.deepEqual(rule.location, { field: 'rules.boosts[0].factor' });
  });

  it('explains bodies that are not JSON', async () => {
    const broken = await post(server, '/v1/events', '{"userId": ');
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { code: string }).code, 'invalid_input');
    const form = await post(server, '/v1/events', 'userId=u', 'text/csv');
    assert.equal(form.status, 415);
    assert.equal(((await form.json()) as { code: string }).code, 'unsupported');
  });

  it('answers 404 as JSON for unknown routes and records', async () => {
    const route = await fetch(`${server.url}/v1/nothing-here`);
    assert.equal(route.status, 404);
    assert.deepEqual(await route.json(), { code: 'not_found', message: 'no route GET /v1/nothing-here', hint: 'the routes are listed at /docs' });
    const item = await rejection(server.client().getItem('nope'));
    assert.equal(item.status, 404);
    assert.equal(item.code, 'not_found');
  });

  it('answers an internal failure with an opaque 500: no stack, no message, no path', async () => {
    const response = await fetch(`${server.url}/v1/items/x/similar`);
    assert.equal(response.status, 500);
    const text = await response.text();
    const body = JSON.parse(text) as { code: string; message: string };
    assert.equal(body.code, 'internal');
    assert.match(body.message, /request req-\w+/);
    for (const leak of ['SQLITE', 'secret', 'stack', '    at ', '.ts:', 'malformed']) assert.equal(text.includes(leak), false, `response leaks "${leak}"`);
    assert.equal(response.headers.get('x-request-id') !== null, true);
  });
});
