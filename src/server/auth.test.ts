import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import { MagpieApiError } from '../client/index.js';
import { rejection, startServer, type Harness } from './harness.case.js';
import { KEYS_META } from './keys.js';

const ADMIN = 'admin-secret-for-tests';

describe('API keys and scopes', () => {
  let server: Harness;
  before(async () => {
    server = await startServer({ apiKey: ADMIN });
    await server.client().upsertItems([{ id: 'mug', categories: ['Kitchen'] }]);
  });
  after(() => server.close());

  it('answers 401 without a key and with a wrong one, naming how to send it', async () => {
    const missing = await rejection(server.client('').getItem('mug'));
    assert.ok(missing instanceof MagpieApiError);
    assert.equal(missing.status, 401);
    assert.equal(missing.code, 'unauthorized');
    assert.match(String(missing.hint), /Authorization: Bearer/);
    const wrong = await rejection(server.client(`${ADMIN}x`).getItem('mug'));
    assert.equal(wrong.status, 401);
    assert.match(wrong.message, /matches no key/);
    // Same length, last character differs.
    assert.equal((await rejection(server.client(`${ADMIN.slice(0, -1)}X`).getItem('mug'))).status, 401);
  });

  it('accepts the key as a bearer token and as X-API-Key', async () => {
    assert.equal((await server.client().getItem('mug')).id, 'mug');
    const response = await fetch(`${server.url}/v1/items/mug`, { headers: { 'X-API-Key': ADMIN } });
    assert.equal(response.status, 200);
  });

  it('creates a key whose secret is shown once and stored only as a SHA-256 digest', async () => {
    const admin = server.client();
    const created = await admin.keys.create('shop-frontend', ['read', 'write']);
    assert.deepEqual(created.scopes, ['read', 'write']);
    assert.match(created.secret, /^mgp_[A-Za-z0-9_-]{32}$/);
    const listed = await admin.keys.list();
    assert.deepEqual(listed.map((k) => k.name), ['shop-frontend']);
    assert.equal('secret' in listed[0]!, false);
    const stored = String(await server.engine.store.getMeta(KEYS_META));
    assert.equal(stored.includes(created.secret), false);
    assert.ok(stored.includes(crypto.createHash('sha256').update(created.secret).digest('hex')));
    const again = await rejection(admin.keys.create('shop-frontend', ['read']));
    assert.equal(again.status, 409);
    assert.equal((await server.client(created.secret).getItem('mug')).id, 'mug');
  });

  it('answers 403 naming the missing scope', async () => {
    const { secret } = await server.client().keys.create('reader', ['read']);
    const reader = server.client(secret);
    assert.equal((await reader.trending({ n: 1 })).surface, 'trending');
    const write = await rejection(reader.sendEvents({ userId: 'u1', itemId: 'mug', type: 'view' }));
    assert.equal(write.status, 403);
    assert.equal(write.code, 'forbidden');
    assert.match(write.message, /"write" scope/);
    const { secret: writerSecret } = await server.client().keys.create('writer', ['write']);
    const erase = await rejection(server.client(writerSecret).deleteUser('u1'));
    assert.equal(erase.status, 403);
    assert.match(erase.message, /"admin" scope.*DELETE \/v1\/users\/:id/);
    assert.equal((await rejection(reader.keys.list())).status, 403);
  });

  it('compares digests with timingSafeEqual against every key, without stopping at a match', async () => {
    const keys = (await server.client().keys.list()).length;
    const spy = mock.method(crypto, 'timingSafeEqual');
    try {
      await server.client().getItem('mug');
      // The environment's admin key matches first; the stored keys are still compared.
      assert.equal(spy.mock.callCount(), keys + 1);
      for (const call of spy.mock.calls) assert.equal((call.arguments[0] as Buffer).length, 32);
    } finally {
      spy.mock.restore();
    }
  });

  it('deletes a key, which stops working at once', async () => {
    const admin = server.client();
    const { secret } = await admin.keys.create('temporary', ['read']);
    assert.equal((await server.client(secret).getItem('mug')).id, 'mug');
    await admin.keys.delete('temporary');
    assert.equal((await rejection(server.client(secret).getItem('mug'))).status, 401);
    assert.equal((await rejection(admin.keys.delete('temporary'))).status, 404);
  });

  it('guards the Gorse-compatible routes under /api with the same keys, in X-API-Key', async () => {
    const { secret } = await server.client().keys.create('gorse-reader', ['read']);
    assert.equal((await fetch(`${server.url}/api/popular`)).status, 401);
    assert.equal((await fetch(`${server.url}/api/popular`, { headers: { 'X-API-Key': ADMIN } })).status, 200);
    assert.equal((await fetch(`${server.url}/api/popular`, { headers: { 'X-API-Key': secret } })).status, 200);
    const write = await fetch(`${server.url}/api/items`, { method: 'POST', headers: { 'X-API-Key': secret, 'content-type': 'application/json' }, body: '[]' });
    assert.equal(write.status, 403);
    assert.match(await write.text(), /"write" scope/);
    assert.equal((await fetch(`${server.url}/api/health/live`)).status, 200);
  });

  it('leaves health checks and the docs open', async () => {
    assert.equal((await fetch(`${server.url}/health/live`)).status, 200);
    assert.equal((await fetch(`${server.url}/docs/json`)).status, 200);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
  });
});

describe('a server with no key configured', () => {
  let server: Harness;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('opens every route, whatever key is sent', async () => {
    assert.deepEqual(await server.client().keys.list(), []);
    assert.equal((await server.client('anything').upsertItems([{ id: 'a' }])).upserted, 1);
  });

  it('requires keys from the moment one is created', async () => {
    const { secret } = await server.client().keys.create('first', ['read', 'write', 'admin']);
    assert.equal((await rejection(server.client().getItem('a'))).status, 401);
    assert.equal((await server.client(secret).getItem('a')).id, 'a');
  });
});
