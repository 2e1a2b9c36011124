import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../math/random.js';
import { fitIsotonic, fitPlatt, pava } from './calibration.js';
import { logit, sigmoid } from './matrix.js';

describe('calibration', () => {
  it('PAV pools adjacent violators as worked by hand', () => {
    // 3 > 2 pools to 2.5; then 4 > 3 pools to 3.5; 5 stands.
    assert.deepEqual(Array.from(pava([1, 3, 2, 4, 3, 5])), [1, 2.5, 2.5, 3.5, 3.5, 5]);
    // 4, 3, 2 pool into one block of 3 after two merges.
    assert.deepEqual(Array.from(pava([4, 3, 2, 6])), [3, 3, 3, 6]);
    // Weighted: (0 × 3 + 1 × 1) / 4 = 0.25 for the first pair.
    assert.deepEqual(Array.from(pava([1, 0, 1], [1, 3, 1])), [0.25, 0.25, 1]);
  });

  it('PAV is the least-squares monotone fit: no monotone perturbation does better', () => {
    const rng = new Random(2);
    const y = Float64Array.from({ length: 40 }, (_, i) => i / 40 + rng.nextFloat() - 0.5);
    const fit = pava(y);
    const sse = (f: ArrayLike<number>): number => Array.from(y).reduce((s, v, i) => s + (v - f[i]!) ** 2, 0);
    for (let i = 1; i < fit.length; i++) assert.ok(fit[i]! >= fit[i - 1]!);
    for (let trial = 0; trial < 200; trial++) {
      const other = Float64Array.from(fit, (v) => v + (rng.nextFloat() - 0.5) * 0.05);
      other.sort();
      assert.ok(sse(other) >= sse(fit) - 1e-12);
    }
  });

  it('isotonic calibration is monotone, maps tied scores alike and stays off 0 and 1', () => {
    const scores = [0.1, 0.2, 0.2, 0.3, 0.5, 0.6, 0.9];
    const labels = [0, 1, 0, 0, 1, 1, 1];
    const c = fitIsotonic(scores, labels);
    const out = c.apply(scores);
    // Sorted labels 0 | (1, 0) | 0 | 1 | 1 | 1: the tie averages to 0.5, then 0.5 and 0 pool to 1/3.
    const floor = 1 / 14;
    assert.deepEqual(Array.from(out).map((v) => Math.round(v * 1e9) / 1e9), [floor, 1 / 3, 1 / 3, 1 / 3, 1 - floor, 1 - floor, 1 - floor].map((v) => Math.round(v * 1e9) / 1e9));
    const grid = c.apply(Float64Array.from({ length: 101 }, (_, i) => i / 100));
    for (let i = 1; i < grid.length; i++) assert.ok(grid[i]! >= grid[i - 1]!);
    // Between 0.3 (1/3) and 0.5 (1 − floor) the map interpolates.
    assert.ok(Math.abs(c.apply([0.4])[0]! - (1 / 3 + (1 - floor)) / 2) < 1e-12);
  });

  it('Platt scaling recovers a known distortion of the log-odds', () => {
    const rng = new Random(3);
    const raw = Float64Array.from({ length: 20_000 }, () => 0.02 + 0.96 * rng.nextFloat());
    // True probability σ(0.5·logit(p) − 0.4): the raw scores are overconfident and too high.
    const labels = Uint8Array.from(raw, (p) => Number(rng.nextFloat() < sigmoid(0.5 * logit(p) - 0.4)));
    const c = fitPlatt(raw, labels);
    const { slope, intercept } = c.toJSON();
    assert.ok(Math.abs(slope! - 0.5) < 0.05 && Math.abs(intercept! + 0.4) < 0.05, `${slope}, ${intercept}`);
  });
});
