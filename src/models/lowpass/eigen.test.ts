import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orthonormalizeColumns, symmetricEigen, topEigenvectors } from './eigen.js';

describe('symmetricEigen', () => {
  it('diagonalises a 2×2 case', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    assert.deepEqual(Array.from(values).map((v) => Math.round(v * 1e9) / 1e9).sort(), [1, 3]);
    // A·v = λ·v for each column.
    for (let c = 0; c < 2; c++) {
      const [x, y] = [vectors[c]!, vectors[2 + c]!];
      assert.ok(Math.abs(2 * x + y - values[c]! * x) < 1e-9 && Math.abs(x + 2 * y - values[c]! * y) < 1e-9);
    }
  });
});

describe('orthonormalizeColumns', () => {
  it('gives orthonormal columns', () => {
    const q = Float64Array.of(3, 1, 4, 1, 0, 2);
    orthonormalizeColumns(q, 3, 2);
    const dot = (i: number, j: number) => q[i]! * q[j]! + q[2 + i]! * q[2 + j]! + q[4 + i]! * q[4 + j]!;
    assert.ok(Math.abs(dot(0, 0) - 1) < 1e-12 && Math.abs(dot(1, 1) - 1) < 1e-12 && Math.abs(dot(0, 1)) < 1e-12);
  });
});

describe('topEigenvectors', () => {
  it('finds the leading eigenpairs of a PSD matrix', async () => {
    // A = Σ λ_c u_c u_cᵀ with known eigenvalues on a rotated basis.
    const n = 20;
    const lambdas = Array.from({ length: n }, (_, i) => n - i);
    const basis = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7 + 0.3));
    orthonormalizeColumns(basis, n, n);
    const a = new Float32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) a[i * n + j]! += lambdas[c]! * basis[i * n + c]! * basis[j * n + c]!;
    const { values, vectors } = await topEigenvectors(a, n, 3, { iterations: 60, oversample: 4 });
    for (let c = 0; c < 3; c++) {
      assert.ok(Math.abs(values[c]! - lambdas[c]!) < 1e-3, `λ${c} = ${values[c]}`);
      let align = 0;
      for (let r = 0; r < n; r++) align += vectors[r * 3 + c]! * basis[r * n + c]!;
      assert.ok(Math.abs(Math.abs(align) - 1) < 1e-3, `vector ${c} alignment ${align}`);
    }
  });
});
