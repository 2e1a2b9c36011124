// The Gorse routes over raw HTTP: spellings other clients use, auth, and clear errors.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ADMIN_KEY, READ_KEY, startGorse, type GorseHarness } from './harness.case.js';

interface Answer {
  status: number;
  type: string;
  text: string;
  json: () => unknown;
}

function caller(harness: () => GorseHarness) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = { 'X-API-Key': ADMIN_KEY }): Promise<Answer> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${harness().url}/api${path}`, init);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
  };
}

/** A request as Gorse's Go client makes it: every GET and DELETE carries the JSON body `null` (fetch cannot send that). */
function goRequest(base: string, method: string, path: string): Promise<{ status: number; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api${path}`, { method, headers: { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/json', 'Content-Length': '4' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end('null');
  });
}

describe('Gorse API over HTTP', () => {
  let harness: GorseHarness;
  const call = caller(() => harness);

  before(async () => {
    harness = await startGorse();
    await call('POST', '/items', [
      { ItemId: 'mug', Categories: ['kitchen'], Timestamp: '2024-01-01T00:00:00Z', Labels: { colour: 'red', material: 'stoneware' } },
      { ItemId: 'plate', Categories: ['kitchen'], Timestamp: '2024-01-02T00:00:00Z' },
      { ItemId: 'lamp', Categories: ['lighting'], Timestamp: '2024-01-03T00:00:00Z' },
    ]);
    await call('POST', '/users', [{ UserId: 'ann' }, { UserId: 'ben' }, { UserId: 'cat' }]);
  });
  after(async () => harness.close());

  it('answers with and without a trailing slash', async () => {
    for (const path of ['/users', '/users/', '/user/ann', '/user/ann/', '/item/mug/', '/popular', '/popular/', '/latest/', '/recommend/ann/', '/item/mug/neighbors/', '/health/live/']) {
      assert.equal((await call('GET', path)).status, 200, path);
    }
  });

  it('registers cleanly on a server that already ignores trailing slashes', async () => {
    const other = await startGorse({ server: { routerOptions: { ignoreTrailingSlash: true } } });
    try {
      const response = await fetch(`${other.url}/api/users/`, { headers: { 'X-API-Key': ADMIN_KEY } });
      assert.equal(response.status, 200);
    } finally {
      await other.close();
    }
  });

  it('declares each route scope where the Magpie server key check reads it', async () => {
    const scopes = new Map<string, unknown>();
    const other = await startGorse({ setup: (app) => app.addHook('onRoute', (route) => void scopes.set(`${String(route.method)} ${route.url}`, route.config?.scope)) });
    await other.close();
    assert.equal(scopes.get('GET /api/health/live'), 'public');
    assert.equal(scopes.get('GET /api/user/:id'), 'read');
    assert.equal(scopes.get('POST /api/session/recommend'), 'read');
    assert.equal(scopes.get('DELETE /api/user/:id'), 'write');
    assert.equal(scopes.get('PUT /api/feedback/'), 'write');
  });

  it('accepts both Cursor and cursor', async () => {
    const first = (await call('GET', '/users?n=1')).json() as { Cursor: string; Users: { UserId: string }[] };
    assert.deepEqual(first.Users.map((u) => u.UserId), ['ann']);
    for (const name of ['cursor', 'Cursor']) {
      const next = (await call('GET', `/users?n=1&${name}=${encodeURIComponent(first.Cursor)}`)).json() as { Users: { UserId: string }[] };
      assert.deepEqual(next.Users.map((u) => u.UserId), ['ben'], name);
    }
    const bad = await call('GET', '/items?cursor=not-a-cursor');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /cursor: "not-a-cursor" is not a cursor from this server/);
  });

  it('accepts feedback as an array, wrapped in Feedback or Feedbacks, alone, and with lower-case keys', async () => {
    const one = (user: string, item: string) => ({ FeedbackType: 'purchase', UserId: user, ItemId: item, Timestamp: '2024-02-01T10:00:00Z' });
    assert.deepEqual((await call('POST', '/feedback', [one('ann', 'mug')])).json(), { RowAffected: 1 });
    assert.deepEqual((await call('POST', '/feedback', { Feedback: [one('ann', 'plate')] })).json(), { RowAffected: 1 });
    assert.deepEqual((await call('PUT', '/feedback', { Feedbacks: [one('ben', 'mug'), one('ben', 'plate')] })).json(), { RowAffected: 2 });
    assert.deepEqual((await call('POST', '/feedback', one('cat', 'lamp'))).json(), { RowAffected: 1 });
    assert.deepEqual((await call('POST', '/feedback', [{ feedbackType: 'cart', userid: 'cat', itemId: 'mug', timestamp: 1706781600 }])).json(), { RowAffected: 1 });
    const cat = (await call('GET', '/user/cat/feedback')).json() as { FeedbackType: string; ItemId: string; Timestamp: string }[];
    assert.deepEqual(cat.map((f) => [f.FeedbackType, f.ItemId]), [['purchase', 'lamp'], ['cart', 'mug']]);
    assert.equal(cat[1]?.Timestamp, '2024-02-01T10:00:00Z');
    const stored = await harness.engine.store.eventsByUser('ben');
    assert.deepEqual(stored.map((e) => e.type), ['purchase', 'purchase']);
  });

  it('creates users and items named by feedback, as Gorse does by default', async () => {
    await call('POST', '/feedback', [{ FeedbackType: 'click', UserId: 'newcomer', ItemId: 'new-item', Timestamp: '2024-03-01' }]);
    assert.deepEqual((await call('GET', '/user/newcomer')).json(), { UserId: 'newcomer', Labels: null, Subscribe: null, Comment: '' });
    assert.equal((await call('GET', '/item/new-item')).status, 200);
  });

  it('maps object Labels onto attributes and replaces them on PATCH', async () => {
    assert.deepEqual((await harness.engine.store.getItem('mug'))?.attributes, { colour: 'red', material: 'stoneware', labels: { colour: 'red', material: 'stoneware' } });
    assert.deepEqual((await call('PATCH', '/item/mug', { Labels: { colour: 'blue' }, Comment: 'Blue mug' })).json(), { RowAffected: 1 });
    const mug = await harness.engine.store.getItem('mug');
    assert.deepEqual(mug?.attributes, { colour: 'blue', labels: { colour: 'blue' }, comment: 'Blue mug' });
    assert.deepEqual(mug?.categories, ['kitchen']);
  });

  it('asks for the API key like Gorse, and checks its scope', async () => {
    for (const headers of [{}, { 'X-API-Key': 'wrong' }] as Record<string, string>[]) {
      const denied = await call('GET', '/users', undefined, headers);
      assert.equal(denied.status, 401);
      assert.equal(denied.text, 'unauthorized');
    }
    assert.equal((await call('GET', '/users', undefined, { 'X-API-Key': READ_KEY })).status, 200);
    assert.equal((await call('POST', '/user', { UserId: 'eve' }, { 'X-API-Key': READ_KEY })).status, 401);
    assert.equal((await call('POST', '/session/recommend', [], { 'X-API-Key': READ_KEY })).status, 200);
    assert.equal((await call('GET', '/user/eve')).status, 404);
    const ready = await call('GET', '/health/ready', undefined, {});
    assert.equal(ready.status, 200);
    assert.equal((ready.json() as { Ready: boolean }).Ready, true);
  });

  it('turns bad bodies and parameters into a 400 with a plain message saying what and how', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/user', '{"UserId": "x",', /invalid request body: .*JSON.*Fix: send a JSON body/i],
      ['POST', '/user', { Comment: 'no id' }, /^user field UserId: is required\. Fix: send JSON like \{"UserId"/],
      ['POST', '/user', { UserId: 'x', Labels: 'vip' }, /user field Labels: must be a list of strings or a JSON object/],
      ['POST', '/items', [{ ItemId: 'ok' }, { ItemId: 'bad', Categories: Array.from({ length: 21 }, (_, i) => `c${i}`) }], /item 1 field Categories: /],
      ['POST', '/feedback', [{ FeedbackType: 'star', UserId: 'ann', ItemId: 'lamp', Timestamp: '2024-01-01' }, { FeedbackType: 'star', UserId: 'ann', ItemId: 'lamp', Timestamp: 'yesterday' }], /feedback 1 field Timestamp: "yesterday" is not a time/],
      ['POST', '/feedback', [{ FeedbackType: '', UserId: 'ann', ItemId: 'lamp' }], /feedback 0 field FeedbackType: must not be empty/],
      ['POST', '/feedback', 42, /the body must be a JSON array of feedback objects/],
      ['GET', '/recommend/ann?n=abc', undefined, /n: "abc" is not an integer/],
      ['GET', '/recommend/ann?write-back-type=read&write-back-delay=soon', undefined, /write-back-delay: "soon" is not a duration/],
      ['GET', '/popular?offset=-1', undefined, /offset: -1 is out of range/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await call(method, path, body);
      assert.equal(answer.status, 400, `${method} ${path}: ${answer.text}`);
      assert.match(answer.type, /^text\/plain/);
      assert.match(answer.text, message);
    }
    // The batch with one bad feedback stored nothing, and the bad item batch stored no item.
    assert.deepEqual((await call('GET', '/user/ann/feedback/star')).json(), []);
    assert.equal((await call('GET', '/item/ok')).status, 404);
  });

  it('answers unknown routes and missing records with 404 and feedback deletion with 501', async () => {
    const unknown = await call('GET', '/no/such/route');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /404: Page Not Found/);
    const missing = await call('GET', '/feedback/star/ann/nothing');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /feedback not found/);
    assert.equal((await call('PATCH', '/user/nobody', { Comment: 'x' })).status, 404);
    assert.equal((await call('PUT', '/item/nothing/category/x')).status, 404);
    const refused = await call('DELETE', '/feedback/ann/mug');
    assert.equal(refused.status, 501);
    assert.match(refused.text, /append-only.*Fix: /);
  });

  it('accepts a form content type with an empty body on PUT, as axios sends it', async () => {
    const answer = await call('PUT', '/item/lamp/category/desk', '', { 'X-API-Key': ADMIN_KEY, 'Content-Type': 'application/x-www-form-urlencoded' });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual((await harness.engine.store.getItem('lamp'))?.categories, ['lighting', 'desk']);
  });

  it('answers requests exactly as the Go client sends them', async () => {
    // Besides the body, it sends empty query values it has no use for, and categories as ?category=.
    const go = (method: string, path: string) => goRequest(harness.url, method, path);
    const popular = await go('GET', '/popular?user-id=&category=kitchen&n=10&offset=0');
    assert.equal(popular.status, 200);
    assert.deepEqual(new Set((popular.json() as { Id: string }[]).map((p) => p.Id)), new Set(['mug', 'plate']));
    // Ann gave feedback on both kitchen items.
    assert.deepEqual((await go('GET', '/latest?user-id=ann&category=kitchen&n=10&offset=0')).json(), []);
    assert.equal((await go('GET', '/recommend/ann?write-back-type=&write-back-delay=&n=10&offset=0')).status, 200);
    assert.equal((await go('GET', '/users?cursor=&n=2')).status, 200);
    assert.deepEqual((await go('DELETE', '/item/lamp/category/desk')).json(), { RowAffected: 1 });
    assert.deepEqual((await go('DELETE', '/user/newcomer')).json(), { RowAffected: 1 });
  });

  it('lists user and item feedback between a user and an item, of every type', async () => {
    const both = (await call('GET', '/feedback/cat/mug')).json() as { FeedbackType: string }[];
    assert.deepEqual(both.map((f) => f.FeedbackType), ['cart']);
    assert.deepEqual(((await call('GET', '/item/mug/feedback/purchase')).json() as { UserId: string }[]).map((f) => f.UserId), ['ann', 'ben']);
  });
});
