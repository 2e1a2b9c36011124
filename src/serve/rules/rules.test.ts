import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { shopEngine, shopItems } from '../fixtures.case.js';

const ids = (list: { items: { itemId: string }[] }): string[] => list.items.map((i) => i.itemId);
const item = new Map(shopItems().map((i) => [i.id, i]));

describe('business rules on lists', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  before(async () => {
    shop = await shopEngine({ listCacheSize: 2 });
  });
  after(async () => {
    await shop.cleanup();
  });

  it('filters by brand, category at any level, price, attributes and excluded ids', async () => {
    const feed = (rules: object) => shop.engine.recommendations.feed({ userId: 'ku1' }, { n: 100, rules });
    assert.ok(ids(await feed({ filters: { brands: ['Acme'] } })).every((id) => item.get(id)!.brand === 'Acme'));
    const plates = ids(await feed({ filters: { categories: ['Plates'] } }));
    assert.ok(plates.length > 0 && plates.every((id) => item.get(id)!.categories.includes('Plates')));
    const cheap = ids(await feed({ filters: { priceMin: 4, priceMax: 6 } }));
    assert.ok(cheap.length > 0 && cheap.every((id) => item.get(id)!.price! >= 4 && item.get(id)!.price! <= 6));
    assert.deepEqual(ids(await feed({ filters: { attributes: { promotion: true } } })), ['promo1']);
    assert.ok(!ids(await feed({ filters: { excludeItems: ['k7', 'g1'] } })).some((id) => id === 'k7' || id === 'g1'));
  });

  it('boosts matching items', async () => {
    const recs = shop.engine.recommendations;
    assert.ok(ids(await recs.trending({}, { n: 3, rules: { boosts: [{ kind: 'category', category: 'Toys', factor: 100 }] } })).every((id) => id.startsWith('t')));
    assert.equal((await recs.latest({}, { n: 1, rules: { boosts: [{ kind: 'promotion', factor: 2 }] } })).items[0]!.itemId, 'promo1');
    assert.ok(ids(await recs.trending({}, { n: 2, rules: { boosts: [{ kind: 'brand', brand: 'Acme', factor: 1e6 }] } })).every((id) => item.get(id)!.brand === 'Acme'));
  });

  it('pins items at fixed places of the first page, never hidden ones', async () => {
    const list = await shop.engine.recommendations.feed(
      { userId: 'ku2' },
      { n: 5, explain: true, rules: { pinned: [{ itemId: 't1', position: 0 }, { itemId: 'hidden1', position: 1 }, { itemId: 'g2', position: 3 }] } },
    );
    assert.equal(list.items[0]!.itemId, 't1');
    assert.equal(list.items[3]!.itemId, 'g2');
    assert.equal(list.items[0]!.explanation?.kind, 'pinned');
    assert.ok(!ids(list).includes('hidden1'));
    assert.equal(new Set(ids(list)).size, 5);
  });

  it('caps items per first-level category and spreads lists with MMR', async () => {
    const recs = shop.engine.recommendations;
    const capped = await recs.trending({}, { n: 3, rules: { diversity: { maxPerCategory: 1 } } });
    assert.equal(new Set(ids(capped).map((id) => item.get(id)!.categories[0])).size, 3);
    const plain = await recs.trending({}, { n: 4 });
    assert.equal(new Set(ids(plain).map((id) => item.get(id)!.categories[0])).size, 1);
    const spread = await recs.trending({}, { n: 4, rules: { diversity: { mmrLambda: 0.3 } } });
    assert.ok(new Set(ids(spread).map((id) => item.get(id)!.categories[0])).size >= 2, `MMR spreads: ${ids(spread)}`);
    assert.equal(spread.items[0]!.itemId, plain.items[0]!.itemId, 'the best item stays first');
  });

  it('pages with cursors that never repeat an item and end with null, even when the cached list is gone', async () => {
    for (const evict of [false, true]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let recId: string | undefined;
      do {
        const page = await shop.engine.recommendations.feed({ userId: 'gu3' }, { n: 4, ...(cursor ? { cursor } : {}) });
        recId ??= page.recId;
        assert.equal(page.recId, recId, 'every page of a list carries its recId');
        seen.push(...ids(page));
        cursor = page.nextCursor ?? undefined;
        pages++;
        // The list cache holds two lists: two other requests push this one out.
        if (evict) for (const other of ['ku5', 'tu5']) await shop.engine.recommendations.feed({ userId: other });
      } while (cursor !== undefined && pages < 50);
      assert.equal(new Set(seen).size, seen.length, `no repeats (evicted: ${evict})`);
      assert.equal(seen.length, 24, 'every listable item not bought by gu3');
    }
    await assert.rejects(shop.engine.recommendations.feed({ userId: 'gu3' }, { cursor: 'garbage!' }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'cursor');
    const page = await shop.engine.recommendations.trending({}, { n: 2 });
    await assert.rejects(shop.engine.recommendations.latest({}, { cursor: page.nextCursor! }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('applies saved rule sets, merged under the request rules', async () => {
    const { rules, recommendations: recs } = shop.engine;
    await rules.put('toys-only', { filters: { categories: ['Toys'] } });
    assert.deepEqual((await rules.list()).map((r) => r.name), ['toys-only']);
    assert.ok(ids(await recs.trending({}, { n: 10, ruleSet: 'toys-only' })).every((id) => id.startsWith('t')));
    const merged = ids(await recs.trending({}, { n: 10, ruleSet: 'toys-only', rules: { filters: { categories: ['Garden'] } } }));
    assert.ok(merged.every((id) => id.startsWith('g')), 'request filters win field by field');
    await assert.rejects(recs.trending({}, { ruleSet: 'missing' }), (e: unknown) => isMagpieError(e, 'not_found'));
    await assert.rejects(rules.put('bad', { boosts: [{ kind: 'brand', brand: 'x', factor: -1 }] }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'rules.boosts.0.factor');
    await assert.rejects(recs.feed({ userId: 'ku1' }, { rules: { filters: { colour: 'red' } } as never }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.equal(await rules.delete('toys-only'), true);
    assert.equal(await rules.get('toys-only'), null);
    assert.deepEqual(await rules.list(), []);
  });
});
