import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getEngine } from './engine.js';
import { setKernelOverrides, kernelOverridesEnabled } from './engine-kernels.js';

function seeded(length: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.round((s / 2 ** 31 - 0.5) * 100) / 10;
  });
}

/** C = op(A)·op(B) in float64 on row-major arrays, for checking the engine. */
function reference(a: number[], b: number[], m: number, k: number, n: number, ta: boolean, tb: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      out.push(sum);
    }
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-3): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= tolerance * Math.max(1, Math.abs(expected[i]!)), `entry ${i}: ${actual[i]} ≠ ${expected[i]}`);
  }
}

describe('engine kernels', () => {
  it('differentiates an embedding lookup: the table gradient is a scatter-add, repeats summed', async () => {
    const { tf } = await getEngine();
    const table = tf.variable(tf.tensor2d([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], [5, 2]));
    const ids = tf.tensor1d([1, 3, 1, 1, 0], 'int32');
    const upstream = tf.tensor2d([1, 2, 10, 20, 100, 200, 1000, 2000, 5, 6], [5, 2]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, ids), upstream)) as never);
    // By hand: row 1 receives rows 0, 2 and 3 of upstream, row 3 row 1, row 0 row 4; rows 2, 4 nothing.
    const expected = [5, 6, 1101, 2202, 0, 0, 10, 20, 0, 0];
    assert.deepEqual([...grads[table.name]!.dataSync()], expected);
    // value = Σ table[ids]·upstream = 1·(1+2) + 3·(10+20) + 1·(100+200) + 1·(1000+2000) + 0
    assert.equal(value.dataSync()[0], 3 + 90 + 300 + 3000);
    tf.dispose([table, ids, upstream, value, ...Object.values(grads)]);
  });

  it('sums segments of higher-rank rows and drops ids outside [0, numSegments)', async () => {
    const { tf } = await getEngine();
    const x = tf.tensor3d(
      Array.from({ length: 12 }, (_, i) => i + 1),
      [3, 2, 2],
    );
    const out = tf.unsortedSegmentSum(x, tf.tensor1d([2, 2, 7], 'int32'), 3);
    assert.deepEqual(out.shape, [3, 2, 2]);
    assert.deepEqual([...out.dataSync()], [0, 0, 0, 0, 0, 0, 0, 0, 6, 8, 10, 12]);
    const ints = tf.unsortedSegmentSum(tf.tensor1d([4, 5, 6], 'int32'), tf.tensor1d([0, 0, 1], 'int32'), 2);
    assert.equal(ints.dtype, 'int32');
    assert.deepEqual([...ints.dataSync()], [9, 6]);
    tf.dispose([x, out, ints]);
  });

  it('multiplies with transpose flags exactly as the plain product, 2-d and batched', async () => {
    const { tf } = await getEngine();
    assert.ok(kernelOverridesEnabled());
    const [m, k, n] = [3, 4, 5];
    const a = seeded(m * k, 1);
    const b = seeded(k * n, 2);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const expected = reference(a, b, m, k, n, ta, tb);
        const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb));
        assert.deepEqual(c.shape, [m, n]);
        assertClose(c.dataSync(), expected);
        c.dispose();
      }
    }
    // Batched: two independent products stacked; transposeB as in attention scores Q·Kᵀ.
    const a2 = seeded(2 * m * k, 3);
    const b2 = seeded(2 * n * k, 4);
    const batched = tf.tidy(() => tf.matMul(tf.tensor3d(a2, [2, m, k]), tf.tensor3d(b2, [2, n, k]), false, true).dataSync());
    const expected = [
      ...reference(a2.slice(0, m * k), b2.slice(0, n * k), m, k, n, false, true),
      ...reference(a2.slice(m * k), b2.slice(n * k), m, k, n, false, true),
    ];
    assertClose(batched, expected);
  });

  it('can be switched off and on again, giving the same products', async () => {
    const { tf } = await getEngine();
    const a = tf.tensor2d(seeded(12, 5), [4, 3]);
    const b = tf.tensor2d(seeded(12, 6), [4, 3]);
    // Batches large enough to run slice by slice: same batch on both sides, and B broadcast.
    const big = tf.tensor3d(seeded(3 * 40 * 30, 9), [3, 40, 30]);
    const bigB = tf.tensor3d(seeded(3 * 30 * 40, 10), [3, 30, 40]);
    const shared = tf.tensor3d(seeded(30 * 40, 11), [1, 30, 40]);
    const products = (): Float32Array[] =>
      tf.tidy(() => [tf.matMul(a, b, true, false), tf.matMul(big, bigB), tf.matMul(big, shared), tf.matMul(big, big, false, true)].map((t) => t.dataSync() as Float32Array));
    const withOverride = products();
    assert.deepEqual(tf.tidy(() => tf.matMul(big, shared).shape), [3, 40, 40]);
    setKernelOverrides(tf, false);
    try {
      assert.equal(kernelOverridesEnabled(), false);
      const plain = products();
      withOverride.forEach((values, i) => assertClose(values, plain[i]!, 1e-5));
    } finally {
      setKernelOverrides(tf, true);
    }
    assert.ok(kernelOverridesEnabled());
    tf.dispose([a, b, big, bigB, shared]);
  });

  it('slices, unstacks and gathers exactly as the backend does, with fewer copies', async () => {
    const { tf } = await getEngine();
    const x = tf.tensor3d(seeded(4 * 3 * 5, 7), [4, 3, 5]);
    const table = tf.tensor2d(seeded(6 * 3, 8), [6, 3]);
    const ids = tf.tensor2d([5, 0, 5, 2], [2, 2], 'int32');
    const results = (): number[][] =>
      tf.tidy(() => [
        [...tf.slice(x, [1, 0, 0], [2, -1, -1]).dataSync()], // contiguous
        [...tf.slice(x, [0, 1, 2], [4, 2, 3]).dataSync()], // strided
        ...tf.unstack(x).map((t) => [...t.dataSync()]),
        ...tf.unstack(x, 2).map((t) => [...t.dataSync()]),
        [...tf.gather(table, ids).dataSync()],
        [...tf.gather(table, tf.tensor1d([1], 'int32'), 1).dataSync()],
        [...tf.gather(tf.tensor1d([10, 20, 30], 'int32'), tf.tensor1d([2, 2, 0], 'int32')).dataSync()],
      ]);
    const ours = results();
    assert.deepEqual(tf.tidy(() => tf.gather(table, ids).shape), [2, 2, 3]);
    assert.deepEqual(ours.at(-1), [30, 30, 10]);
    assert.throws(() => tf.tidy(() => tf.gather(table, tf.tensor1d([6], 'int32'))), /not in \[0, 5\]/);
    setKernelOverrides(tf, false);
    try {
      assert.deepEqual(ours, results());
    } finally {
      setKernelOverrides(tf, true);
    }
    tf.dispose([x, table, ids]);
  });

  it('leaves no tensors behind in a transposed product', async () => {
    const { tf } = await getEngine();
    const a = tf.ones([8, 6]);
    const b = tf.ones([8, 6]);
    const before = tf.memory().numTensors;
    const beforeBuffers = (tf.memory() as { numDataBuffers: number }).numDataBuffers;
    tf.tidy(() => tf.matMul(a, b, true, false).dataSync());
    assert.equal(tf.memory().numTensors, before);
    assert.equal((tf.memory() as { numDataBuffers: number }).numDataBuffers, beforeBuffers);
    tf.dispose([a, b]);
  });
});
