// Every recommendation route, GET and POST forms, through the SDK against the real engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecommendationList } from '../../serve/types.js';
import type { EventInput } from '../../core/schemas.js';
import { rejection, startServer, type Harness } from '../harness.case.js';
import type { MagpieClient } from '../../client/index.js';

const CATEGORIES = ['Kitchen', 'Garden', 'Lighting'];
const T0 = Date.UTC(2024, 1, 1);

// 36 items in three categories; 48 users, each viewing items of mostly one category and buying one.
function shop(): { items: { id: string; categories: string[]; price: number; createdAt: number }[]; events: EventInput[] } {
  const items = Array.from({ length: 36 }, (_, i) => ({ id: `sku-${i}`, categories: [CATEGORIES[i % 3]!], price: 5 + i, createdAt: T0 - (36 - i) * 86_400_000 }));
  const events: EventInput[] = [];
  for (let u = 0; u < 48; u++) {
    const home = u % 3;
    for (let k = 0; k < 6; k++) {
      const item = (home + 3 * ((u + k * 5) % 12)) % 36;
      events.push({ id: `e-${u}-${k}`, userId: `user-${u}`, sessionId: `session-${u}`, itemId: `sku-${item}`, type: k === 5 ? 'purchase' : 'view', timestamp: T0 + u * 3_600_000 + k * 60_000 });
    }
  }
  return { items, events };
}

type Call = (client: MagpieClient, options: { n: number; cursor?: string }) => Promise<RecommendationList>;

const GET_ROUTES: [string, Call][] = [
  ['feed', (c, o) => c.recommendations('user-1', o)],
  ['session', (c, o) => c.sessionRecommendations('session-2', o)],
  ['similar', (c, o) => c.similar('sku-3', o)],
  ['bought-together', (c, o) => c.boughtTogether('sku-3', o)],
  ['cart', (c, o) => c.cart(['sku-3', 'sku-6'], { ...o, userId: 'user-4' })],
  ['trending', (c, o) => c.trending(o)],
  ['latest', (c, o) => c.latest(o)],
];

describe('recommendation routes', () => {
  let server: Harness;
  let client: MagpieClient;
  before(async () => {
    server = await startServer();
    client = server.client();
    const { items, events } = shop();
    await client.upsertItems(items);
    await client.sendEvents(events);
  });
  after(() => server.close());

  it('answers every list with a recId of its surface, respecting n, before any model exists', async () => {
    for (const [surface, call] of GET_ROUTES) {
      for (const n of [1, 4]) {
        const list = await call(client, { n });
        assert.equal(list.surface, surface);
        assert.ok(list.recId.startsWith(`${surface}.`), list.recId);
        assert.ok(list.items.length <= n, `${surface} n=${n}: ${list.items.length} items`);
      }
    }
    assert.equal((await client.trending({ n: 4 })).items.length, 4);
    assert.equal((await client.latest({ n: 2 })).items.map((i) => i.itemId).join(), 'sku-35,sku-34');
  });

  it('trains a model in the background and serves from it once active', async () => {
    const job = await client.models.train({ model: 'item-knn', activate: true });
    assert.ok(['queued', 'running'].includes(job.status));
    let state = job;
    for (let i = 0; i < 600 && (state.status === 'queued' || state.status === 'running'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await client.models.job(job.id);
    }
    assert.equal(state.status, 'done', String(state.error));
    const version = String(state.version);
    const feed = await client.recommendations('user-1', { n: 5 });
    assert.equal(feed.modelVersion, version);
    assert.equal(feed.items.length, 5);
    assert.ok(feed.recId.startsWith(`feed.${version.replaceAll('.', '_')}.`));
  });

  it('answers every GET route with exactly n items and distinct recIds', async () => {
    const seen = new Set<string>();
    for (const [surface, call] of GET_ROUTES) {
      const list = await call(client, { n: 3 });
      assert.equal(list.items.length, 3, `${surface} gave ${list.items.length}`);
      assert.equal(new Set(list.items.map((i) => i.itemId)).size, 3);
      assert.ok(!seen.has(list.recId));
      seen.add(list.recId);
    }
  });

  it('pages with the cursor without repeating an item', async () => {
    const first = await client.trending({ n: 5 });
    assert.ok(first.nextCursor);
    const second = await client.trending({ n: 5, cursor: first.nextCursor });
    const ids = [...first.items, ...second.items].map((i) => i.itemId);
    assert.equal(new Set(ids).size, 10);
  });

  it('applies rules: compact filters on GET, full rules on POST, and saved rule sets', async () => {
    const kitchen = await client.recommendations('user-1', { n: 6, includeItems: true, filters: { categories: ['Kitchen'] } });
    assert.ok(kitchen.items.length > 0);
    for (const i of kitchen.items) assert.deepEqual(i.item?.categories, ['Kitchen']);
    const cheap = await client.similar('sku-3', { n: 4, includeItems: true, filters: { priceMax: 20 } });
    for (const i of cheap.items) assert.ok((i.item?.price ?? Infinity) <= 20);
    const posted = await client.recommendations('user-1', { n: 2, explain: true, rules: { filters: { categories: ['Garden'] } }, context: { page: 'home' } });
    assert.equal(posted.items.length, 2);
    for (const i of posted.items) {
      assert.ok(i.explanation && i.explanation.text.length > 0);
      assert.equal(Number(i.itemId.slice(4)) % 3, 1, `${i.itemId} is not in Garden`);
    }
    for (const [surface, list] of [
      ['session', await client.sessionRecommendations('session-2', { n: 2, rules: { filters: { categories: ['Lighting'] } } })],
      ['latest', await client.latest({ n: 2, rules: { filters: { priceMin: 30 } } })],
      ['trending', await client.trending({ n: 2, category: 'Garden', rules: {} })],
      ['bought-together', await client.boughtTogether('sku-3', { n: 2, rules: { filters: { excludeItems: ['sku-0'] } } })],
    ] as const) {
      assert.equal(list.surface, surface);
      assert.ok(list.items.length <= 2 && list.recId.startsWith(`${surface}.`));
    }
    await client.ruleSets.put('lighting-only', { filters: { categories: ['Lighting'] } });
    const saved = await client.trending({ n: 3, ruleSet: 'lighting-only', includeItems: true });
    assert.equal(saved.items.length, 3);
    for (const i of saved.items) assert.deepEqual(i.item?.categories, ['Lighting']);
  });

  it('rejects an unknown rule set and a bad cart', async () => {
    assert.equal((await rejection(client.trending({ ruleSet: 'no-such-rules' }))).status, 404);
    const empty = await rejection(client.cart([]));
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.location, { field: 'itemIds' });
  });
});
