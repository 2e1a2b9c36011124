import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { BASE, shopEngine } from './fixtures.case.js';

const DAY = 86_400_000;

describe('engine', () => {
  let shop: Awaited<ReturnType<typeof shopEngine>>;
  before(async () => {
    shop = await shopEngine({ impressionFlushMs: 5 });
  });
  after(async () => {
    await shop.cleanup();
  });

  it('stores a batch once: sending it again counts duplicates and stores nothing', async () => {
    const batch = [
      { userId: 'dup', itemId: 'k1', type: 'view' as const, timestamp: BASE + 30 * DAY },
      { userId: 'dup', itemId: 'k2', type: 'add_to_cart' as const, timestamp: BASE + 30 * DAY },
      { id: 'client-1', sessionId: 'sx', itemId: 'g1', type: 'click' as const, timestamp: '2024-02-01T10:00:00Z' },
    ];
    const first = await shop.engine.ingest(batch);
    assert.deepEqual([first.stored, first.duplicates], [3, 0]);
    assert.match(first.ids[0]!, /^h:/);
    assert.equal(first.ids[2], 'client-1');
    const eventsBefore = (await shop.store.stats()).events;
    const second = await shop.engine.ingest(batch);
    assert.deepEqual([second.stored, second.duplicates], [0, 3]);
    assert.deepEqual(second.ids, first.ids);
    assert.equal((await shop.store.stats()).events, eventsBefore);
  });

  it('rejects a batch with one bad event, naming it, and stores nothing of it', async () => {
    const eventsBefore = (await shop.store.stats()).events;
    const batch = [
      { userId: 'u-ok', itemId: 'k1', type: 'view' },
      { userId: 'u-ok', itemId: 'k2', type: 'view' },
      { userId: 'u-ok', itemId: 'k3', type: 'view' },
      { userId: 'u-ok', itemId: 'k4', type: 'buy' },
    ];
    await assert.rejects(shop.engine.ingest(batch as never), (e: unknown) => {
      assert.ok(isMagpieError(e, 'invalid_input'));
      assert.equal(e.location?.field, 'events[3].type');
      assert.match(e.message, /event 3/);
      assert.match(e.hint ?? '', /nothing of this batch was stored/);
      return true;
    });
    await assert.rejects(shop.engine.ingest([{ itemId: 'k1', type: 'view' }] as never), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'events[0].userId');
    assert.equal((await shop.store.stats()).events, eventsBefore);
  });

  it('writes one impression per personal list, carrying the recId, without making the request wait', async () => {
    const list = await shop.engine.recommendations.feed({ userId: 'ku3', sessionId: 'sess-3' }, { n: 4, context: { page: 'home' } });
    assert.equal((await shop.store.eventsByUser('ku3', { types: ['impression'] })).length, 0, 'written later, not on the request path');
    await shop.engine.recommendations.trending({}, { n: 2 });
    await sleep(100);
    const impressions = await shop.store.eventsByUser('ku3', { types: ['impression'] });
    assert.equal(impressions.length, 1);
    const imp = impressions[0]!;
    assert.equal(imp.recId, list.recId);
    assert.equal(imp.itemId, null);
    assert.equal(imp.sessionId, 'sess-3');
    assert.equal(imp.value, 4);
    assert.deepEqual(imp.context, {
      surface: 'feed',
      model: 'ease',
      modelVersion: shop.version.id,
      experiment: null,
      variant: null,
      items: list.items.map((i) => i.itemId),
      request: { page: 'home' },
    });
  });

  it('deletes a user everywhere: events, cached lists and the model row', async () => {
    const first = await shop.engine.recommendations.feed({ userId: 'tu2' }, { n: 3 });
    assert.equal(first.fallback, null, 'a trained user gets model recommendations');
    assert.ok((await shop.engine.userEvents('tu2')).length > 0);
    const deleted = await shop.engine.deleteUser('tu2');
    assert.ok(deleted.events >= 3);
    assert.deepEqual(await shop.engine.userEvents('tu2'), []);
    const next = await shop.engine.recommendations.feed({ userId: 'tu2' }, { n: 3 });
    assert.notEqual(next.fallback, null, 'the model no longer knows the user');
    const page2 = await shop.engine.recommendations.feed({ userId: 'tu2' }, { n: 3, cursor: first.nextCursor! });
    assert.notEqual(page2.fallback, null, 'the cached list of the user is gone; the next page is computed afresh');
  });

  it('hides deleted items from every list at once', async () => {
    assert.ok((await shop.engine.recommendations.similar('g1', { n: 30 })).items.some((i) => i.itemId === 'g2'));
    assert.equal(await shop.engine.deleteItem('g2'), true);
    for (const list of [await shop.engine.recommendations.similar('g1', { n: 30 }), await shop.engine.recommendations.trending({}, { n: 30 })]) {
      assert.ok(!list.items.some((i) => i.itemId === 'g2'));
    }
  });

  it('reads a user’s events most recent first', async () => {
    const events = await shop.engine.userEvents('ku0', { limit: 2 });
    assert.equal(events.length, 2);
    assert.ok(events[0]!.timestamp >= events[1]!.timestamp);
  });
});
