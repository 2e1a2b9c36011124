import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { meanInterval, summarize, welchTTest } from './means.js';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

const CONTROL = [19.1, 21.3, 20.2, 22.8, 18.4];
const TREATMENT = [23.5, 21.9, 25.2, 24.1, 22.6];

describe('summaries and the t interval', () => {
  it('summarize gives the mean and the n − 1 variance, stable on large offsets', () => {
    assert.deepEqual(summarize([2, 4, 4, 4, 5, 5, 7, 9]), { n: 8, mean: 5, variance: 32 / 7 });
    // The same spread shifted by 1e9: Σx² − n·mean² would lose every digit of the variance.
    const shifted = summarize([2, 4, 4, 4, 5, 5, 7, 9].map((x) => x + 1e9));
    near(shifted.variance, 32 / 7, 1e-6, 'variance after a shift');
    assert.ok(Number.isNaN(summarize([3]).variance));
    assert.throws(() => summarize([1, Number.NaN]), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'values[1]');
  });

  it('meanInterval: n = 25, mean 10, variance 4', () => {
    // se = 2/5 = 0.4; t(0.975; 24) = 2.063899; half-width 0.8255596.
    const ci = meanInterval({ n: 25, mean: 10, variance: 4 });
    near(ci.low, 10 - 0.8255596, 1e-6, 'low');
    near(ci.high, 10 + 0.8255596, 1e-6, 'high');
    assert.ok(Number.isNaN(meanInterval([5]).low));
  });
});

describe("Welch's t-test", () => {
  it('is worked by hand on two samples of five', () => {
    // Control: mean 101.8/5 = 20.36, squared deviations 1.5876 + 0.8836 + 0.0256 + 5.9536 + 3.8416 = 12.292 → s² = 3.073.
    // Treatment: mean 117.3/5 = 23.46, squared deviations 0.0016 + 2.4336 + 3.0276 + 0.4096 + 0.7396 = 6.612 → s² = 1.653.
    // se² = 3.073/5 + 1.653/5 = 0.6146 + 0.3306 = 0.9452; t = 3.1/√0.9452 = 3.188598;
    // df = 0.9452² / (0.6146²/4 + 0.3306²/4) = 0.89340304 / 0.12175738 = 7.337568.
    // p = 2·P(T₇.₃₃₇₅₆₈ > 3.188598) = 0.0143746 (scipy.stats.ttest_ind(equal_var=False) agrees).
    const test = welchTTest(CONTROL, TREATMENT);
    near(test.difference, 3.1, 1e-12, 'difference');
    near(test.t, 3.188598, 1e-6, 't');
    near(test.df, 7.337568, 1e-6, 'df');
    near(test.pValue, 0.0143746, 1e-7, 'p');
    // Interval: 3.1 ± t(0.975; 7.337568)·0.9722140 = 3.1 ± 2.3427492·0.9722140 (scipy.stats.t.ppf); it excludes 0 as p < 0.05 says.
    near(test.interval.low, 3.1 - 2.3427492 * 0.972214, 1e-6, 'low');
    near(test.interval.high, 3.1 + 2.3427492 * 0.972214, 1e-6, 'high');
  });

  it('gives the same answer from sufficient statistics as from the values', () => {
    const fromValues = welchTTest(CONTROL, TREATMENT, { alternative: 'greater' });
    const fromStats = welchTTest({ n: 5, mean: 20.36, variance: 3.073 }, { n: 5, mean: 23.46, variance: 1.653 }, { alternative: 'greater' });
    near(fromStats.t, fromValues.t, 1e-9, 't');
    near(fromStats.pValue, fromValues.pValue, 1e-9, 'p');
    near(fromValues.pValue, 0.0143746 / 2, 1e-7, 'one-sided p');
  });

  it('with equal variances and sizes, df is 2(n − 1) and t is the pooled t', () => {
    // Two samples of 4 with variance 1 each (means 0 and 2): se = √(1/4 + 1/4); df = 6.
    const test = welchTTest({ n: 4, mean: 0, variance: 1 }, { n: 4, mean: 2, variance: 1 });
    near(test.df, 6, 1e-12, 'df');
    near(test.t, 2 / Math.sqrt(0.5), 1e-12, 't');
    // Student t with 6 df at 2.828427: p = 0.0300197 (scipy.stats.t.sf; printed tables bracket it, 0.02 < p < 0.05).
    near(test.pValue, 0.0300197, 1e-7, 'p');
  });

  it('decides constant samples by their means and needs two values per group', () => {
    assert.equal(welchTTest([1, 1, 1], [1, 1]).pValue, 1);
    assert.equal(welchTTest([1, 1, 1], [2, 2]).pValue, 0);
    assert.throws(() => welchTTest([1], [1, 2]), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'control');
  });
});
