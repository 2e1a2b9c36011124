import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopKHeap, topK } from './topk.js';

describe('topK', () => {
  it('returns the k best, best first', () => {
    assert.deepEqual(topK(Float32Array.of(0.5, 2, -1, 3, 1), 3), [
      { item: 3, score: 3 },
      { item: 1, score: 2 },
      { item: 4, score: 1 },
    ]);
  });

  it('breaks ties by lower index', () => {
    assert.deepEqual(
      topK(Float32Array.of(1, 2, 2, 1, 2), 4).map((e) => e.item),
      [1, 2, 4, 0],
    );
  });

  it('honours exclude as a set or predicate, and filter', () => {
    const scores = Float32Array.of(5, 4, 3, 2, 1);
    assert.deepEqual(topK(scores, 2, { exclude: new Set([0, 2]) }).map((e) => e.item), [1, 3]);
    assert.deepEqual(topK(scores, 2, { exclude: (i) => i < 2 }).map((e) => e.item), [2, 3]);
    assert.deepEqual(topK(scores, 2, { filter: (i) => i % 2 === 1 }).map((e) => e.item), [1, 3]);
  });

  it('skips NaN and -Infinity and handles k of 0 or beyond n', () => {
    const scores = Float32Array.of(NaN, -Infinity, 1, Infinity);
    assert.deepEqual(topK(scores, 10).map((e) => e.item), [3, 2]);
    assert.deepEqual(topK(scores, 0), []);
    assert.deepEqual(topK(new Float32Array(0), 5), []);
  });

  it('matches a full sort on random data', () => {
    let seed = 9;
    const scores = new Float32Array(2000);
    for (let i = 0; i < scores.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      scores[i] = Math.floor((seed / 2 ** 31) * 50); // many ties
    }
    const expected = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]! || a - b).slice(0, 37);
    assert.deepEqual(topK(scores, 37).map((e) => e.item), expected);
  });
});

describe('TopKHeap', () => {
  it('is reusable and drains into typed arrays', () => {
    const heap = new TopKHeap(3);
    for (const [i, s] of [[0, 1], [1, 5], [2, 3], [3, 4], [4, 0]] as const) heap.push(i, s);
    const items = new Int32Array(4);
    const scores = new Float32Array(4);
    assert.equal(heap.drainInto(items, scores, 1), 3);
    assert.deepEqual([...items], [0, 1, 3, 2]);
    assert.deepEqual([...scores], [0, 5, 4, 3]);
    heap.reset(1);
    heap.push(7, 2);
    heap.push(8, 9);
    assert.deepEqual(heap.drain(), [{ item: 8, score: 9 }]);
  });
});
