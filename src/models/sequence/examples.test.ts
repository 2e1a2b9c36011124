import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datasetFromTriples, type Triple } from '../fixtures.case.js';
import { buildTrainingSet, leftPad, PAD, recentItems } from './examples.js';

/** Users' item sequences in day order → a Dataset. */
function sequences(items: number, paths: number[][]) {
  const triples: Triple[] = paths.flatMap((path, u) => path.map((item, t): Triple => [u, item, 1, t]));
  return datasetFromTriples(paths.length, items, triples);
}

describe('sequence examples', () => {
  it('collapses runs, drops unknown items and keeps the most recent', () => {
    assert.deepEqual(recentItems([4, 4, 7, 99, 2, 2, 4], 10), [4, 7, 2, 4]);
    assert.deepEqual(recentItems([4, 4, 7, 99, 2], 10, 2), [7, 2]);
    assert.deepEqual(recentItems([-1, 1.5], 10), []);
    const out = new Int32Array(5);
    leftPad([1, 2], 5, out);
    assert.deepEqual([...out], [PAD, PAD, PAD, 1, 2]);
    leftPad([1, 2, 3, 4, 5, 6, 7], 5, out);
    assert.deepEqual([...out], [3, 4, 5, 6, 7]);
  });

  it('cuts each path into windows from its end, every step a target once', () => {
    // u0: 7 steps, maxLength 3 → targets 1..6 in windows [3..6], [0..3] → 2 windows; u1: one item, no window.
    const data = sequences(8, [[0, 1, 2, 3, 4, 5, 6], [7]]);
    const set = buildTrainingSet(data, 3, 0, 1);
    assert.equal(set.windowCount, 2);
    assert.deepEqual([...set.windows], [3, 4, 5, 6, 0, 1, 2, 3]);
    // Tails: the last 3 items; u1 has one.
    assert.deepEqual([...set.tails], [4, 5, 6, PAD, PAD, 7]);
    assert.deepEqual([...set.known], [1, 1, 1, 1, 1, 1, 1, 1]);
    assert.equal(set.validation.count, 0);
  });

  it('holds out the last item of validation users wholly, as leave-last-out does', () => {
    // u0 ends on 2, which it also saw earlier: both occurrences leave training, the runs re-collapse.
    const data = sequences(6, [[2, 1, 1, 3, 2], [4, 5], [5, 4, 0]]);
    const set = buildTrainingSet(data, 4, 10, 1);
    assert.equal(set.validation.count, 2); // u1 has two steps only
    assert.deepEqual([...set.validation.targets], [2, 0]);
    assert.deepEqual([...set.validation.inputs], [PAD, PAD, 1, 3, PAD, PAD, 5, 4]);
    const seen = (v: number) => [...set.validation.seenItems.subarray(set.validation.seenOffsets[v], set.validation.seenOffsets[v + 1])].sort();
    assert.deepEqual(seen(0), [1, 3]);
    assert.deepEqual(seen(1), [4, 5]);
    // Windows (span 5): u0 [1, 3], u1 [4, 5], u2 [5, 4]; none contains a held-out target.
    assert.deepEqual([...set.windows], [PAD, PAD, PAD, 1, 3, PAD, PAD, PAD, 4, 5, PAD, PAD, PAD, 5, 4]);
    // Serving still reads the whole history, held-out items included.
    assert.deepEqual([...set.tails.subarray(0, 4)], [2, 1, 3, 2]);
  });

  it('samples validation users reproducibly and caps their number', () => {
    const paths = Array.from({ length: 30 }, (_, u) => [u % 6, (u + 1) % 6, (u + 2) % 6]);
    const a = buildTrainingSet(sequences(6, paths), 5, 7, 11);
    const b = buildTrainingSet(sequences(6, paths), 5, 7, 11);
    const c = buildTrainingSet(sequences(6, paths), 5, 7, 12);
    assert.equal(a.validation.count, 7);
    assert.deepEqual(a.validation.inputs, b.validation.inputs);
    assert.notDeepEqual([...a.windows], [...c.windows]);
  });
});
