import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeEvent, type Event } from '../core/types.js';
import { openStore } from '../store/index.js';
import { SqliteStore } from '../store/sqlite/index.js';
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

  it('hands out the same array until something changes, and a new one after', async () => {
    const history = new HistoryCache(fakeStore([view('a', 'i1', 1)]), new Catalog(), { ttlMs: 60_000 });
    const first = await history.forUser('u');
    assert.equal(await history.forUser('u'), first);
    history.record([view('b', 'i2', 2)]);
    const second = await history.forUser('u');
    assert.notEqual(second, first);
    assert.equal(first.length, 1, 'a cached list is never edited');
    assert.equal(second.length, 2);
  });

  it('on the embedded store, notices events another process wrote by following the events table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magpie-history-'));
    const url = `sqlite:${join(dir, 'h.db')}`;
    const store = await openStore(url);
    const other = SqliteStore.open(url);
    const catalog = new Catalog();
    const history = new HistoryCache(store, catalog, { ttlMs: 60_000 });
    try {
      await store.write({ events: [view('a', 'i1', 1), makeEvent({ id: 'x', userId: 'v', itemId: 'i9', type: 'view', timestamp: 1 })] });
      const items = async (user = 'u') => (await history.forUser(user)).map((e) => catalog.ids[e.item]);
      assert.deepEqual(await items(), ['i1']);
      const cachedV = await history.forUser('v');
      await other.write({ events: [view('b', 'i2', 2), makeEvent({ id: 'imp', userId: 'v', type: 'impression', timestamp: 3 })] });
      assert.deepEqual(await items(), ['i1'], 'trusted until the tail is read');
      history.followTail();
      assert.deepEqual(await items(), ['i2', 'i1']);
      assert.equal(await history.forUser('v'), cachedV, 'an impression says nothing about taste: v stays cached');
      // Rows deleted at the end of the table (their numbers may be reused): everything is read again.
      await other.deleteUser('v');
      history.followTail();
      assert.deepEqual(await items('v'), []);
      assert.deepEqual(await items(), ['i2', 'i1']);
    } finally {
      history.close();
      await other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('always reads the store with ttl 0', async () => {
    const store = fakeStore([view('a', 'i1', 1)]);
    const history = new HistoryCache(store, new Catalog(), { ttlMs: 0 });
    await history.forUser('u');
    await history.forUser('u');
    assert.equal(store.reads, 2);
  });
});
