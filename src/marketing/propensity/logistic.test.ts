import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../math/random.js';
import { fitLogistic, fitLogisticPath } from './logistic.js';
import { sigmoid, type DenseMatrix } from './matrix.js';

describe('logistic regression (Newton / IRLS)', () => {
  it('matches the closed form on one binary feature without penalty: fitted rates are the group rates', () => {
    // x = 0: 2 of 8 positive (rate 1/4); x = 1: 9 of 12 positive (rate 3/4).
    const xs = [...Array(8).fill(0), ...Array(12).fill(1)];
    const y = [1, 1, 0, 0, 0, 0, 0, 0, ...Array(9).fill(1), 0, 0, 0];
    const x: DenseMatrix = { values: Float64Array.from(xs), n: 20, d: 1 };
    const { model, converged } = fitLogistic({ x, y }, { l2: 0, skewThreshold: Number.POSITIVE_INFINITY });
    assert.ok(converged);
    const p = model.predict(x);
    assert.ok(Math.abs(p[0]! - 0.25) < 1e-9 && Math.abs(p[19]! - 0.75) < 1e-9, `${p[0]}, ${p[19]}`);
    // On the raw scale: intercept logit(1/4) = −ln 3, slope logit(3/4) − logit(1/4) = 2 ln 3.
    const slope = model.coefficients[0]! / model.scale[0]!;
    const intercept = model.intercept - slope * model.center[0]!;
    assert.ok(Math.abs(slope - 2 * Math.log(3)) < 1e-8, `slope ${slope}`);
    assert.ok(Math.abs(intercept + Math.log(3)) < 1e-8, `intercept ${intercept}`);
  });

  it('solves the penalised score equations: Zᵀ(p − y) + λβ = 0 at the optimum', () => {
    const rng = new Random(4);
    const n = 500;
    const d = 3;
    const values = Float64Array.from({ length: n * d }, () => rng.nextFloat() * 4 - 2);
    const y = Uint8Array.from({ length: n }, (_, i) => Number(rng.nextFloat() < sigmoid(1.5 * values[i * d]! - values[i * d + 1]! + 0.3)));
    const x = { values, n, d };
    const l2 = 5;
    const { model } = fitLogistic({ x, y }, { l2, skewThreshold: Number.POSITIVE_INFINITY });
    const p = model.predict(x);
    const grad = new Float64Array(d + 1);
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      grad[0]! += r;
      for (let j = 0; j < d; j++) grad[j + 1]! += r * model.z(x, i, j);
    }
    for (let j = 0; j < d; j++) grad[j + 1]! += l2 * model.coefficients[j]!;
    for (const g of grad) assert.ok(Math.abs(g) < 1e-7, `gradient ${Array.from(grad)}`);
    // The informative columns get the large coefficients, with the right signs.
    assert.ok(model.coefficients[0]! > 1 && model.coefficients[1]! < -0.5 && Math.abs(model.coefficients[2]!) < 0.3, `${Array.from(model.coefficients)}`);
  });

  it('log-transforms skewed columns, treats NaN as the mean, and its terms add up to the margin', () => {
    const values = Float64Array.from([1, 0, 2, 1, 3, 0, 1000, 1, Number.NaN, 0, 5, 1, 2, 0, 8, 1]);
    const x: DenseMatrix = { values, n: 8, d: 2 };
    const y = [0, 0, 1, 1, 0, 1, 0, 1];
    const { model } = fitLogistic({ x, y }, { l2: 1 });
    assert.deepEqual(Array.from(model.logged), [1, 0]);
    assert.equal(model.z(x, 4, 0), 0);
    const margin = model.predictMargin(x);
    for (let i = 0; i < 8; i++) {
      const c = model.contributions(x, i);
      assert.ok(Math.abs(c.reduce((a, b) => a + b, 0) - margin[i]!) < 1e-12);
    }
  });

  it('a warm-started path over penalties reaches the same solutions as separate fits', () => {
    const rng = new Random(5);
    const n = 400;
    const values = Float64Array.from({ length: n * 4 }, () => rng.nextFloat() * 3);
    const y = Uint8Array.from({ length: n }, (_, i) => Number(rng.nextFloat() < sigmoid(values[i * 4]! - values[i * 4 + 2]!)));
    const x = { values, n, d: 4 };
    const path = fitLogisticPath({ x, y }, [100, 10, 1, 0.1]);
    for (const fit of path) {
      const cold = fitLogistic({ x, y }, { l2: fit.l2 });
      assert.ok(fit.converged && cold.converged);
      for (let j = 0; j < 4; j++) assert.ok(Math.abs(fit.model.coefficients[j]! - cold.model.coefficients[j]!) < 1e-7, `λ ${fit.l2}`);
      assert.ok(fit.iterations <= cold.iterations);
    }
    // Heavier penalties shrink the coefficients.
    const norm = (k: number): number => Math.hypot(...path[k]!.model.coefficients);
    assert.ok(norm(0) < norm(1) && norm(1) < norm(2) && norm(2) <= norm(3));
  });
});
