import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lru } from './lru.js';

describe('Lru', () => {
  it('drops the least recently used key once full', () => {
    const cache = new Lru<string, number>(4);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) cache.set(k, v);
    assert.equal(cache.get('a'), 1, 'a hit on the oldest key moves it to the back (capacity 4: no slack)');
    cache.set('e', 5);
    assert.deepEqual([...cache.keys()], ['c', 'd', 'a', 'e']);
    assert.equal(cache.peek('b'), undefined);
    assert.equal(cache.size, 4);
  });

  it('keeps a key that is hit often, however many keys pass through', () => {
    const cache = new Lru<number, number>(100);
    cache.set(-1, -1);
    for (let k = 0; k < 10_000; k++) {
      cache.set(k, k);
      if (k % 20 === 0) assert.equal(cache.get(-1), -1, `still there after ${k} inserts`);
    }
    assert.equal(cache.size, 100);
  });

  it('evicts to within a quarter of the capacity of true LRU order', () => {
    const capacity = 1000;
    const cache = new Lru<number, number>(capacity);
    for (let k = 0; k < capacity; k++) cache.set(k, k);
    // Key 999 went in last: hitting it moves nothing, and it outlives 3/4 of a capacity of inserts.
    assert.equal(cache.get(capacity - 1), capacity - 1);
    assert.equal([...cache.keys()].at(-1), capacity - 1);
    for (let k = 0; k < (3 * capacity) / 4; k++) cache.set(capacity + k, k);
    assert.equal(cache.peek(capacity - 1), capacity - 1);
    // Key 0, inserted first and hit a capacity later, moves to the back and survives the next inserts.
    const fresh = new Lru<number, number>(capacity);
    for (let k = 0; k < capacity; k++) fresh.set(k, k);
    assert.equal(fresh.get(0), 0);
    for (let k = 0; k < capacity - 1; k++) fresh.set(capacity + k, k);
    assert.equal(fresh.peek(0), 0, 'a hit on an old key renews it');
    assert.equal(fresh.peek(1), undefined);
  });

  it('deletes, filters and clears', () => {
    const cache = new Lru<string, number>(10);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) cache.set(k, v);
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.delete('a'), false);
    cache.deleteWhere((_, v) => v > 2);
    assert.deepEqual([...cache.keys()], ['b']);
    cache.set('b', 20);
    assert.equal(cache.get('b'), 20, 'set replaces the value');
    cache.clear();
    assert.equal(cache.size, 0);
    cache.set('d', 4);
    assert.equal(cache.get('d'), 4);
  });
});
