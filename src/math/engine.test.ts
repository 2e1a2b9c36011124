import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { getEngine } from './engine.js';

function naiveMatMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) c[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return c;
}

function randomMatrix(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
}

describe('getEngine', () => {
  it('starts the wasm backend once, from node_modules', async () => {
    const first = getEngine();
    assert.equal(getEngine(), first);
    const engine = await first;
    assert.equal(engine.backend, 'wasm');
    const c = engine.tf.tidy(() => engine.tf.matMul(engine.tf.tensor2d([1, 2, 3, 4], [2, 2]), engine.tf.tensor2d([5, 6, 7, 8], [2, 2])));
    assert.deepEqual([...c.dataSync()], [19, 22, 43, 50]);
    c.dispose();
  });

  it('multiplies row-major arrays, on one thread and split over a helper thread', async () => {
    const engine = await getEngine();
    // 2·512·512·256 flops is the smallest product that is split over threads.
    const [m, k, n] = [512, 512, 256];
    const a = randomMatrix(m * k, 1);
    const b = randomMatrix(k * n, 2);
    const expected = naiveMatMul(a, b, m, k, n);
    for (const threads of [1, 2]) {
      const c = await engine.matMul(a, b, m, k, n, { threads });
      assert.equal(c.length, m * n);
      let worst = 0;
      for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i]! - expected[i]!));
      assert.ok(worst < 1e-4, `threads=${threads}: max error ${worst}`);
    }
  });

  it('rejects operands that do not fit the shapes', async () => {
    const engine = await getEngine();
    await assert.rejects(engine.matMul(new Float32Array(6), new Float32Array(6), 2, 2, 3), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
