import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEvent, type Event } from '../core/types.js';
import type { Store } from '../store/store.js';
import { Catalog } from './catalog.js';
import { HistoryCache } from './history.js';

/** A store whose user events come from an array, counting reads. */
function fakeStore(events: Event[]): Store & { reads: number } {
  const store = {
    reads: 0,
    async eventsByUser(userId: string) {
      store.reads++;
      return events.filter((e) => e.userId === userId).sort((a, b) => b.timestamp - a.timestamp);
    },
  };
  return store as unknown as Store & { reads: number };
}

const view = (id: string, itemId: string, timestamp: number) => makeEvent({ id, userId: 'u', itemId, type: 'view', timestamp });

describe('history cache', () => {
  it('reads the store once per ttl and appends ingested events at once', async () => {
    const events = [view('a', 'i1', 1), view('b', 'i2', 2)];
    const store = fakeStore(events);
    const catalog = new Catalog();
    const history = new HistoryCache(store, catalog, { ttlMs: 60_000, limit: 3 });
    const items = async () => (await history.forUser('u')).map((e) => catalog.ids[e.item]);
    assert.deepEqual(await items(), ['i2', 'i1']);
    assert.deepEqual(await items(), ['i2', 'i1']);
    assert.equal(store.reads, 1);
    const stamp = history.stamp('u', undefined);
    history.record([view('c', 'i3', 3), makeEvent({ id: 'd', userId: 'u', itemId: null, type: 'search', query: 'mug', timestamp: 4 })]);
    assert.notEqual(history.stamp('u', undefined), stamp);
    assert.deepEqual(await items(), ['i3', 'i2', 'i1']);
    history.record([view('e', 'i0', 0)]);
    assert.deepEqual(await items(), ['i3', 'i2', 'i1'], 'kept in time order, at most `limit`');
    assert.equal(store.reads, 1);
  });

  it('always reads the store with ttl 0', async () => {
    const store = fakeStore([view('a', 'i1', 1)]);
    const history = new HistoryCache(store, new Catalog(), { ttlMs: 0 });
    await history.forUser('u');
    await history.forUser('u');
    assert.equal(store.reads, 2);
  });
});
