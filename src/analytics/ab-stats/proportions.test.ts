import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { proportionLift, relativeLift, twoProportionZTest, wilsonInterval } from './proportions.js';
import { sampleRatioMismatch } from './ratio-mismatch.js';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

// z = Φ⁻¹(0.975) = 1.959964, z² = 3.841459 throughout.

describe('Wilson interval', () => {
  it('is worked by hand for 40 of 100, 0 of 10 and 10 of 10', () => {
    // 40/100: z²/n = 0.03841459, denominator 1.03841459; centre (0.4 + 0.01920729)/1.03841459 = 0.40369935;
    // half-width 1.959964·√(0.4·0.6/100 + 3.841459/40000)/1.03841459 = 1.959964·0.04996035/1.03841459 = 0.09429806.
    const cases: [k: number, n: number, low: number, high: number][] = [
      [40, 100, 0.40369935 - 0.09429806, 0.40369935 + 0.09429806],
      // k = 0: the lower end is 0 and the upper end (z²/n)/(1 + z²/n) = 0.3841459/1.3841459.
      [0, 10, 0, 0.3841459 / 1.3841459],
      // k = n mirrors it.
      [10, 10, 1 / 1.3841459, 1],
    ];
    for (const [k, n, low, high] of cases) {
      const ci = wilsonInterval(k, n);
      near(ci.value, k / n, 1e-15, `${k}/${n} value`);
      near(ci.low, low, 1e-7, `${k}/${n} low`);
      near(ci.high, high, 1e-7, `${k}/${n} high`);
    }
  });

  it('narrows with the confidence level and is NaN over no trials', () => {
    const wide = wilsonInterval(30, 200, 0.99);
    const narrow = wilsonInterval(30, 200, 0.9);
    assert.ok(wide.low < narrow.low && wide.high > narrow.high);
    assert.ok(Number.isNaN(wilsonInterval(0, 0).value));
  });

  it('refuses impossible counts with a located error', () => {
    assert.throws(() => wilsonInterval(11, 10), (e) => isMagpieError(e, 'invalid_input') && /11 successes out of only 10/.test(e.message));
    assert.throws(() => wilsonInterval(2.5, 10), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'proportion.successes');
    assert.throws(() => wilsonInterval(1, 10, 95), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'confidence');
  });
});

describe('two-proportion z-test', () => {
  it('is worked by hand for 200/2000 against 250/2000', () => {
    // Pooled rate 450/4000 = 0.1125; se₀ = √(0.1125·0.8875·(2/2000)) = √9.984375e-5 = 0.00999218;
    // z = 0.025/0.00999218 = 2.501955; p = 2·(1 − Φ(2.501955)) = 0.012351.
    // Wald: se = √(0.1·0.9/2000 + 0.125·0.875/2000) = √9.96875e-5 = 0.00998436; ±1.959964·se = ±0.01956899.
    const test = twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 });
    near(test.difference, 0.025, 1e-15, 'difference');
    near(test.z, 2.501955, 1e-6, 'z');
    near(test.pValue, 0.012351, 1e-6, 'p');
    near(test.waldInterval.low, 0.025 - 0.01956899, 1e-8, 'Wald low');
    near(test.waldInterval.high, 0.025 + 0.01956899, 1e-8, 'Wald high');
    // One-sided p-values split the two-sided one.
    near(twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 }, { alternative: 'greater' }).pValue, 0.012351 / 2, 1e-6, 'greater');
    near(twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 }, { alternative: 'less' }).pValue, 1 - 0.012351 / 2, 1e-6, 'less');
  });

  it("gives Newcombe's published interval for 56/70 against 48/80", () => {
    // Newcombe (1998), "Interval estimation for the difference between independent proportions",
    // example (a): 0.2000, method 10 (score interval, no continuity correction) 0.0524 to 0.3339.
    const test = twoProportionZTest({ successes: 48, trials: 80 }, { successes: 56, trials: 70 });
    near(test.difference, 0.2, 1e-12, 'difference');
    near(test.interval.low, 0.0524, 5e-5, 'Newcombe low');
    near(test.interval.high, 0.3339, 5e-5, 'Newcombe high');
  });

  it('has no evidence when nobody converted anywhere, and NaN over an empty group', () => {
    const none = twoProportionZTest({ successes: 0, trials: 500 }, { successes: 0, trials: 500 });
    assert.deepEqual([none.z, none.pValue, none.difference], [0, 1, 0]);
    assert.ok(Number.isNaN(twoProportionZTest({ successes: 0, trials: 0 }, { successes: 3, trials: 10 }).pValue));
  });
});

describe('relative lift', () => {
  it('uses the log-scale delta method (Katz) for 10/100 against 20/100', () => {
    // Ratio 2; se(ln 2) = √((1−0.2)/(100·0.2) + (1−0.1)/(100·0.1)) = √(0.04 + 0.09) = 0.3605551;
    // 2·e^(±1.959964·0.3605551) = 2·e^(±0.7066749) → [0.9865632, 4.0544792] → lift [−0.0134368, 3.0544792].
    const lift = proportionLift({ successes: 10, trials: 100 }, { successes: 20, trials: 100 });
    near(lift.value, 1, 1e-12, 'lift');
    near(lift.low, -0.0134368, 1e-6, 'low');
    near(lift.high, 3.0544792, 1e-6, 'high');
  });

  it('is NaN when the control is zero, and from estimates uses their standard errors', () => {
    assert.ok(Number.isNaN(proportionLift({ successes: 0, trials: 100 }, { successes: 5, trials: 100 }).value));
    // se(ln r) = √((0.004/0.1)² + (0.005/0.12)²) = √(0.0016 + 0.00173611) = 0.0577616;
    // 1.2·e^(±0.1132105) → [1.0715603, 1.3438347].
    const lift = relativeLift({ value: 0.1, standardError: 0.004 }, { value: 0.12, standardError: 0.005 });
    near(lift.low, 0.0715603, 1e-6, 'low');
    near(lift.high, 0.3438347, 1e-6, 'high');
  });
});

describe('sample ratio mismatch', () => {
  it('is the chi-square goodness of fit, worked by hand', () => {
    // 10,200 users on a 50/50 split expect 5,100 each: χ² = 2·100²/5100 = 3.921569 on 1 df;
    // p = 2·(1 − Φ(√3.921569 = 1.980295)) = 0.047670.
    const even = sampleRatioMismatch([5000, 5200], [1, 1]);
    near(even.chiSquare, 3.921569, 1e-6, 'χ²');
    near(even.pValue, 0.04767, 1e-5, 'p');
    // Weights 1:3 expect 2,500 and 7,500 of 10,000; a perfect split has χ² = 0 and p = 1.
    const uneven = sampleRatioMismatch([2500, 7500], [1, 3]);
    assert.deepEqual([uneven.expected, uneven.chiSquare, uneven.pValue], [[2500, 7500], 0, 1]);
    // Three groups, 2 df: χ²₂ survival is e^(−χ²/2). Counts 1000, 1100, 900 against 1000 each: χ² = 20.
    const three = sampleRatioMismatch([1000, 1100, 900], [1, 1, 1]);
    near(three.chiSquare, 20, 1e-12, 'χ² of three');
    near(three.pValue, Math.exp(-10), 1e-15, 'p of three');
  });
});
