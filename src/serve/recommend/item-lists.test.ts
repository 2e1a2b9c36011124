import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeItem } from '../../core/types.js';
import { BASE, shopEngine } from '../fixtures.case.js';

const DAY = 86_400_000;
const ids = (list: { items: { itemId: string }[] }): string[] => list.items.map((i) => i.itemId);

describe('item lists', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  before(async () => {
    shop = await shopEngine();
  });
  after(async () => {
    await shop.cleanup();
  });

  it('lists similar items, explained by the item', async () => {
    const list = await shop.engine.recommendations.similar('k5', { n: 3, explain: true });
    assert.equal(list.surface, 'similar');
    assert.equal(list.fallback, null);
    assert.equal(list.items[0]!.itemId, 'k6');
    assert.ok(!ids(list).includes('k5'));
    assert.deepEqual(list.items[0]!.explanation, { kind: 'similar', text: 'Similar to Kitchen item 5', itemIds: ['k5'] });
  });

  it('lists items bought together from baskets', async () => {
    const list = await shop.engine.recommendations.boughtTogether('t7', { n: 3, explain: true });
    assert.equal(list.items[0]!.itemId, 't8');
    assert.deepEqual(list.items[0]!.explanation, { kind: 'bought-together', text: 'Often bought with Toys item 7', itemIds: ['t7'] });
  });

  it('rejects unknown items with a hint, and falls back to the category of a new one', async () => {
    await assert.rejects(shop.engine.recommendations.similar('no-such-item'), (e: unknown) => isMagpieError(e, 'not_found') && e.hint !== undefined);
    await assert.rejects(shop.engine.recommendations.boughtTogether('no-such-item'), (e: unknown) => isMagpieError(e, 'not_found'));
    await shop.engine.upsertItems([makeItem('t9', { title: 'New puzzle', categories: ['Toys'], createdAt: BASE + 60 * DAY })]);
    const list = await shop.engine.recommendations.similar('t9', { n: 5, explain: true });
    assert.equal(list.fallback, 'trending-in-category');
    assert.equal(list.model, null);
    assert.ok(ids(list).every((id) => id.startsWith('t') && id !== 't9'), `toys: ${ids(list)}`);
    assert.equal(list.items[0]!.explanation?.text, 'Trending in Toys');
  });

  it('ranks trending by recent activity, overall and within a category, and updates it with new events', async () => {
    const recs = shop.engine.recommendations;
    assert.ok(ids(await recs.trending({}, { n: 4 })).every((id) => id.startsWith('g')));
    const kitchen = await recs.trending({ category: 'Kitchen' }, { n: 100, explain: true });
    assert.ok(kitchen.items.length > 5 && ids(kitchen).every((id) => id.startsWith('k') || ['promo1', 'rebuy1'].includes(id)));
    assert.equal(kitchen.items[0]!.explanation?.text, 'Trending in Kitchen');
    assert.deepEqual((await recs.trending({ category: 'Nope' })).items, []);
    const burst = Array.from({ length: 5 }, (_, k) => ({ userId: `buyer${k}`, itemId: 't2', type: 'purchase' as const, timestamp: BASE + 70 * DAY }));
    await shop.engine.ingest(burst);
    assert.equal((await recs.trending({}, { n: 1 })).items[0]!.itemId, 't2');
  });

  it('lists the newest items first', async () => {
    const latest = await shop.engine.recommendations.latest({ category: 'Garden' }, { n: 3, explain: true });
    assert.deepEqual(ids(latest), ['g8', 'g7', 'g6']);
    assert.equal(latest.items[0]!.explanation?.text, 'New in Garden');
  });
});
