import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeItem } from '../../core/types.js';
import { BASE, shopEngine } from '../fixtures.case.js';
import { parseRecId } from '../rec-id.js';

const DAY = 86_400_000;
const ids = (list: { items: { itemId: string }[] }): string[] => list.items.map((i) => i.itemId);

describe('personal lists', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  before(async () => {
    shop = await shopEngine();
  });
  after(async () => {
    await shop.cleanup();
  });

  it('a new event changes the feed at once', async () => {
    const recs = shop.engine.recommendations;
    const before = await recs.feed({ userId: 'newbie' }, { n: 5 });
    assert.equal(before.fallback, 'trending');
    assert.equal(before.model, null);
    assert.equal(parseRecId(before.recId)?.source, 'rules');
    assert.ok(ids(before).every((id) => id.startsWith('g')), `garden trends most: ${ids(before)}`);

    await shop.engine.ingest([{ userId: 'newbie', itemId: 'k1', type: 'view', timestamp: BASE + 40 * DAY }]);
    const after = await recs.feed({ userId: 'newbie' }, { n: 5, explain: true });
    assert.equal(after.fallback, null);
    assert.equal(after.model, 'ease');
    assert.equal(after.modelVersion, shop.version.id);
    assert.equal(parseRecId(after.recId)?.source, shop.version.id);
    assert.equal(after.items[0]!.itemId, 'k2', `k1 is always bought with k2: ${ids(after)}`);
    assert.deepEqual(after.items[0]!.explanation, { kind: 'history', text: 'Because you viewed Kitchen item 1', itemIds: ['k1'] });
  });

  it('leaves out what the shopper bought, unless it is rebuyable, and never hidden or sold-out items', async () => {
    const feed = ids(await shop.engine.recommendations.feed({ userId: 'ku0' }, { n: 100 }));
    for (const bought of ['k1', 'k2']) assert.ok(!feed.includes(bought), `${bought} was bought`);
    assert.ok(feed.includes('rebuy1'), 'rebuyable items may come back');
    assert.ok(!feed.includes('hidden1') && !feed.includes('out1'));
    assert.equal(feed.length, 24, '26 listable items less the 2 bought');
    const all = ids(await shop.engine.recommendations.feed({ userId: 'ku0' }, { n: 100, rules: { filters: { excludePurchased: false, inStock: false } } }));
    assert.ok(all.includes('k1') && all.includes('out1') && !all.includes('hidden1'));
  });

  it('uses the training history of a known user', async () => {
    const list = await shop.engine.recommendations.feed({ userId: 'tu1' }, { n: 3, explain: true });
    assert.equal(list.fallback, null);
    assert.ok(ids(list).every((id) => id.startsWith('t')), `toys for a toy shopper: ${ids(list)}`);
    assert.equal(list.items[0]!.explanation?.kind, 'history');
  });

  it('gives an unknown user trending in the category of their events, then trending', async () => {
    await shop.engine.upsertItems([makeItem('k9', { title: 'New kettle', categories: ['Kitchen'], createdAt: BASE + 50 * DAY })]);
    await shop.engine.ingest([{ userId: 'fresh', itemId: 'k9', type: 'view', timestamp: BASE + 50 * DAY }]);
    const list = await shop.engine.recommendations.feed({ userId: 'fresh' }, { n: 30, explain: true });
    assert.equal(list.fallback, 'trending-in-category');
    assert.equal(list.model, null);
    const first = list.items[0]!;
    assert.match(first.itemId, /^k/);
    assert.deepEqual(first.explanation, { kind: 'trending', text: 'Trending in Kitchen', itemIds: [] });
    const kinds = list.items.map((i) => i.explanation?.text);
    assert.ok(kinds.indexOf('Trending now') > kinds.lastIndexOf('Trending in Kitchen'), 'other categories follow the favourite one');
  });

  it('recommends for a session from its own events', async () => {
    await shop.engine.ingest([{ sessionId: 's-1', itemId: 't3', type: 'view', timestamp: BASE + 41 * DAY }]);
    const list = await shop.engine.recommendations.session('s-1', { n: 3 });
    assert.equal(list.surface, 'session');
    assert.equal(list.items[0]!.itemId, 't4');
  });

  it('completes a cart with items bought with it', async () => {
    const list = await shop.engine.recommendations.cart(['g3'], {}, { n: 4, explain: true });
    assert.equal(list.items[0]!.itemId, 'g4');
    assert.deepEqual(list.items[0]!.explanation, { kind: 'bought-together', text: 'Often bought with Garden item 3', itemIds: ['g3'] });
    assert.ok(!ids(list).includes('g3'), 'never what is already in the cart');
    await assert.rejects(shop.engine.recommendations.cart([], {}), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('asks for a user or a session', async () => {
    await assert.rejects(shop.engine.recommendations.feed({}), (e: unknown) => isMagpieError(e, 'invalid_input'));
    await assert.rejects(shop.engine.recommendations.feed({ userId: 'ku0' }, { n: 0 }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'n');
  });
});
