import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { csrFromTriples } from '../dataset/csr.js';
import { choleskySolve, gramFromCsr, invertSpd } from './dense.js';
import { maxErrorFromIdentity, randomSpd } from './fixtures.case.js';

describe('gramFromCsr', () => {
  it('computes XᵀX, weighted and binary', () => {
    // X = [[1, 2, 0], [0, 3, 4]]
    const x = csrFromTriples(2, 3, Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 1, 2), Float32Array.of(1, 2, 3, 4));
    assert.deepEqual([...gramFromCsr(x)], [1, 2, 0, 2, 13, 12, 0, 12, 16]);
    assert.deepEqual([...gramFromCsr(x, true)], [1, 1, 0, 1, 2, 1, 0, 1, 1]);
  });
});

describe('invertSpd', () => {
  it('inverts a 2×2 by hand', () => {
    assert.deepEqual([...invertSpd(Float64Array.of(4, 2, 2, 3), 2)], [0.375, -0.25, -0.25, 0.5]);
  });

  it('gives A·A⁻¹ ≈ I for random SPD matrices across block sizes', () => {
    for (const [n, blockSize] of [[1, 64], [7, 64], [37, 8], [50, 16], [33, 1]] as const) {
      const a = randomSpd(n, n + blockSize, 0.5);
      const inv = invertSpd(a, n, { blockSize });
      assert.ok(maxErrorFromIdentity(a, inv, n) < 1e-8, `n=${n} block=${blockSize}`);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(inv[i * n + j], inv[j * n + i]);
    }
  });

  it('gives the same result on two threads as on one', () => {
    const n = 600;
    const a = randomSpd(n, 3, 0.5);
    const single = invertSpd(a, n, { blockSize: 48 });
    const copy = a.slice();
    const parallel = invertSpd(copy, n, { blockSize: 48, threads: 2, inPlace: true });
    assert.equal(parallel, copy);
    assert.deepEqual(parallel, single);
  });

  it('leaves the input alone unless inPlace', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    invertSpd(a, 2);
    assert.deepEqual([...a], [4, 2, 2, 3]);
    const same = invertSpd(a, 2, { inPlace: true });
    assert.equal(same, a);
  });

  it('rejects a matrix that is not positive definite', () => {
    assert.throws(() => invertSpd(Float64Array.of(1, 2, 2, 1), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => invertSpd(new Float64Array(3), 2), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});

describe('choleskySolve', () => {
  it('solves a hand case', () => {
    assert.deepEqual([...choleskySolve(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(2, 1))], [0.5, 0]);
  });

  it('solves a random SPD system', () => {
    const n = 20;
    const a = randomSpd(n, 5, 0.5);
    const x = Float64Array.from({ length: n }, (_, i) => i - 7);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) b[i]! += a[i * n + k]! * x[k]!;
    const solved = choleskySolve(a.slice(), n, b);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(solved[i]! - x[i]!) < 1e-8);
  });

  it('rejects a matrix that is not positive definite', () => {
    assert.throws(() => choleskySolve(Float64Array.of(0, 0, 0, 1), 2, new Float64Array(2)), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
