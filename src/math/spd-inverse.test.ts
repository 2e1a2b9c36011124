import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { invertSpd } from './dense.js';
import { maxErrorFromIdentity, randomSpd } from './fixtures.case.js';
import { invertSpdOnEngine } from './spd-inverse.js';

describe('invertSpdOnEngine', () => {
  it('inverts a 2×2 by hand', async () => {
    const inv = await invertSpdOnEngine(Float64Array.of(4, 2, 2, 3), 2);
    [0.375, -0.25, -0.25, 0.5].forEach((v, i) => assert.ok(Math.abs(inv[i]! - v) < 1e-7));
  });

  it('gives A·A⁻¹ ≈ I to float32 accuracy, exactly symmetric, across recursion depths', async () => {
    for (const [n, leafSize] of [[1, 128], [37, 8], [100, 16], [257, 32]] as const) {
      const a = randomSpd(n, n + leafSize, n / 4);
      const inv = await invertSpdOnEngine(a, n, { leafSize });
      assert.ok(maxErrorFromIdentity(a, inv, n) < 1e-4, `n=${n} leaf=${leafSize}`);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(inv[i * n + j], inv[j * n + i]);
    }
  });

  it('matches the Float64 path', async () => {
    const n = 90;
    const a = randomSpd(n, 5, n / 4);
    const exact = invertSpd(a, n);
    const fast = await invertSpdOnEngine(a, n, { leafSize: 20, threads: 2 });
    let scale = 0;
    for (const v of exact) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < n * n; i++) assert.ok(Math.abs(fast[i]! - exact[i]!) < 1e-5 * scale, `entry ${i}`);
  });

  it('reports progress up to n and leaves the input alone', async () => {
    const a = randomSpd(70, 9, 70 / 4);
    const copy = a.slice();
    const seen: number[] = [];
    await invertSpdOnEngine(a, 70, { leafSize: 16, onProgress: (done) => seen.push(done) });
    assert.deepEqual(a, copy);
    assert.equal(seen.at(-1), 70);
    assert.ok(seen.every((d, i) => i === 0 || d > seen[i - 1]!));
  });

  it('rejects a matrix that is not positive definite, or of the wrong size', async () => {
    await assert.rejects(invertSpdOnEngine(Float64Array.of(1, 2, 2, 1), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
    const indefinite = randomSpd(40, 3, 40 / 4);
    indefinite[39 * 40 + 39] = -1000;
    await assert.rejects(invertSpdOnEngine(indefinite, 40, { leafSize: 8 }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    await assert.rejects(invertSpdOnEngine(new Float64Array(3), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
