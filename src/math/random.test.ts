import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from './random.js';

describe('Random (xoshiro128**)', () => {
  it('matches the reference outputs from state (1, 2, 3, 4)', () => {
    // out1 = rotl(s1·5, 7)·9 = rotl(10, 7)·9 = 1280·9 = 11520.
    // After step 1 the state is (7, 0, 1026, 12288), so out2 = rotl(0, 7)·9 = 0.
    // After step 2 it is (12295, 1029, 1029, 25165824): out3 = rotl(5145, 7)·9 = 658560·9 = 5927040.
    const rng = Random.fromState(1, 2, 3, 4);
    assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [11520, 0, 5927040]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const rng = new Random(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
  });

  it('keeps floats in [0, 1) and integers in [0, n) with roughly uniform counts', () => {
    const rng = new Random(7);
    const counts = new Int32Array(5);
    for (let i = 0; i < 50_000; i++) {
      const f = rng.nextFloat();
      assert.ok(f >= 0 && f < 1);
      counts[rng.nextInt(5)]!++;
    }
    // Each bucket expects 10,000; its standard deviation is √(50,000·0.2·0.8) ≈ 89, so ±500 is > 5σ.
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket count ${c}`);
  });

  it('rejects invalid ranges', () => {
    const rng = new Random(1);
    assert.throws(() => rng.nextInt(0), RangeError);
    assert.throws(() => rng.nextInt(2.5), RangeError);
    assert.equal(rng.nextInt(1), 0);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const a = new Random(3).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    const b = new Random(3).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(a, b);
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.notDeepEqual([...a], Array.from({ length: 100 }, (_, i) => i));
  });
});
