import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { invertSpd } from './dense.js';
import { invertSpdOnEngine } from './spd-inverse.js';

/** R·Rᵀ + n/4·I for a random R: SPD with a moderate condition number, like a ridge Gram matrix. */
function randomSpd(n: number, seed: number): Float64Array {
  let s = seed;
  const r = Float64Array.from({ length: n * n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += r[i * n + k]! * r[j * n + k]!;
      a[i * n + j] = sum + (i === j ? n / 4 : 0);
      a[j * n + i] = a[i * n + j]!;
    }
  }
  return a;
}

function maxErrorFromIdentity(a: Float64Array, inv: Float32Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k]! * inv[k * n + j]!;
      worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('invertSpdOnEngine', () => {
  it('inverts a 2×2 by hand', async () => {
    const inv = await invertSpdOnEngine(Float64Array.of(4, 2, 2, 3), 2);
    [0.375, -0.25, -0.25, 0.5].forEach((v, i) => assert.ok(Math.abs(inv[i]! - v) < 1e-7));
  });

  it('gives A·A⁻¹ ≈ I to float32 accuracy, exactly symmetric, across recursion depths', async () => {
    for (const [n, leafSize] of [[1, 128], [37, 8], [100, 16], [257, 32]] as const) {
      const a = randomSpd(n, n + leafSize);
      const inv = await invertSpdOnEngine(a, n, { leafSize });
      assert.ok(maxErrorFromIdentity(a, inv, n) < 1e-4, `n=${n} leaf=${leafSize}`);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) assert.equal(inv[i * n + j], inv[j * n + i]);
    }
  });

  it('matches the Float64 path', async () => {
    const n = 90;
    const a = randomSpd(n, 5);
    const exact = invertSpd(a, n);
    const fast = await invertSpdOnEngine(a, n, { leafSize: 20, threads: 2 });
    let scale = 0;
    for (const v of exact) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < n * n; i++) assert.ok(Math.abs(fast[i]! - exact[i]!) < 1e-5 * scale, `entry ${i}`);
  });

  it('reports progress up to n and leaves the input alone', async () => {
    const a = randomSpd(70, 9);
    const copy = a.slice();
    const seen: number[] = [];
    await invertSpdOnEngine(a, 70, { leafSize: 16, onProgress: (done) => seen.push(done) });
    assert.deepEqual(a, copy);
    assert.equal(seen.at(-1), 70);
    assert.ok(seen.every((d, i) => i === 0 || d > seen[i - 1]!));
  });

  it('rejects a matrix that is not positive definite, or of the wrong size', async () => {
    await assert.rejects(invertSpdOnEngine(Float64Array.of(1, 2, 2, 1), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
    const indefinite = randomSpd(40, 3);
    indefinite[39 * 40 + 39] = -1000;
    await assert.rejects(invertSpdOnEngine(indefinite, 40, { leafSize: 8 }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    await assert.rejects(invertSpdOnEngine(new Float64Array(3), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
