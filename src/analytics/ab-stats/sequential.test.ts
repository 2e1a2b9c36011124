import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { Random } from '../../math/random.js';
import { twoProportionZTest } from './proportions.js';
import { mixtureSprt, msprtMeans, msprtTwoProportions } from './sequential.js';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

/**
 * Simulates `runs` A/B tests that are looked at after every `step` users per arm up to `maxUsers`,
 * stopping at the first look where `reject` says so. Returns the share of runs that stopped.
 */
function peekingRejectionRate(options: { runs: number; step: number; maxUsers: number; pc: number; pt: number; seed: number; reject: (kc: number, kt: number, n: number, state: { p: number }) => boolean }): number {
  const rng = new Random(options.seed);
  let rejected = 0;
  for (let r = 0; r < options.runs; r++) {
    let kc = 0;
    let kt = 0;
    const state = { p: 1 };
    for (let n = 1; n <= options.maxUsers; n++) {
      if (rng.nextFloat() < options.pc) kc++;
      if (rng.nextFloat() < options.pt) kt++;
      if (n % options.step === 0 && options.reject(kc, kt, n, state)) {
        rejected++;
        break;
      }
    }
  }
  return rejected / options.runs;
}

describe('mSPRT always-valid p-values', () => {
  it('computes Λ by hand', () => {
    // θ̂ = 0.02, V = 1e-4, τ = 0.01: V + τ² = 2e-4; Λ = √(1/2)·exp(1e-4·4e-4 / (2·1e-4·2e-4)) = e/√2 = 1.9221155.
    const test = mixtureSprt(0.02, 1e-4, 0.01);
    near(test.likelihoodRatio, Math.E / Math.SQRT2, 1e-12, 'Λ');
    near(test.pValue, Math.SQRT2 / Math.E, 1e-12, 'p');
    // No difference observed: Λ = √(V/(V+τ²)) < 1, so p = 1.
    assert.equal(mixtureSprt(0, 1e-4, 0.01).pValue, 1);
    // The running minimum is kept when a previous look was stronger.
    assert.equal(mixtureSprt(0.02, 1e-4, 0.01, 0.2).pValue, 0.2);
  });

  it('for proportions uses the pooled variance: 200/2000 vs 250/2000 with τ = 0.01', () => {
    // V = 0.1125·0.8875·(2/2000) = 9.984375e-5; V + τ² = 1.9984375e-4;
    // ln Λ = ½·ln(0.4996091) + 1e-4·0.025² / (2·9.984375e-5·1.9984375e-4) = −0.3469647 + 1.5661688 = 1.2192041;
    // Λ = 3.384493, p = 0.2954652: weaker than the fixed-horizon p = 0.0124, the price of peeking freely.
    const test = msprtTwoProportions({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 }, { tau: 0.01 });
    near(test.variance, 9.984375e-5, 1e-15, 'V');
    near(test.likelihoodRatio, 3.384493, 1e-6, 'Λ');
    near(test.pValue, 0.2954652, 1e-7, 'p');
    assert.ok(Number.isNaN(msprtTwoProportions({ successes: 0, trials: 0 }, { successes: 1, trials: 5 }, { tau: 0.01 }).pValue));
  });

  it('for means uses s_c²/n_c + s_t²/n_t', () => {
    // V = 400/5000 + 450/5000 = 0.17, τ = 0.2: ln Λ = ½·ln(0.17/0.21) + 0.04·0.81/(2·0.17·0.21) = −0.1056545 + 0.4537815 = 0.348127.
    const test = msprtMeans({ n: 5000, mean: 2, variance: 400 }, { n: 5000, mean: 2.9, variance: 450 }, { tau: 0.2 });
    near(Math.log(test.likelihoodRatio), 0.348127, 1e-6, 'ln Λ');
    assert.throws(() => mixtureSprt(0.1, 1, 0), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'tau');
  });

  it('keeps the false-positive rate under α when peeking after every 100 users, where the fixed test does not', () => {
    // 400 A/A tests at a 10% rate, looked at after every 100 users per arm up to 10,000 (100 looks).
    // Stopping at the first fixed-horizon p < 0.05 rejects far more than 5%; the mSPRT (τ = 10% of
    // the rate) stays below 5% + 3 standard deviations of a 400-run share (√(0.05·0.95/400) = 0.011).
    const common = { runs: 400, step: 100, maxUsers: 10_000, pc: 0.1, pt: 0.1, seed: 3 };
    const naive = peekingRejectionRate({ ...common, reject: (kc, kt, n) => twoProportionZTest({ successes: kc, trials: n }, { successes: kt, trials: n }).pValue < 0.05 });
    const sequential = peekingRejectionRate({
      ...common,
      reject: (kc, kt, n, state) => {
        const pooled = (kc + kt) / (2 * n);
        if (pooled === 0) return false;
        state.p = msprtTwoProportions({ successes: kc, trials: n }, { successes: kt, trials: n }, { tau: 0.1 * pooled, previousPValue: state.p }).pValue;
        return state.p < 0.05;
      },
    });
    // Seen with seed 3: the fixed-horizon rule stopped 36.75% of A/A tests, the mSPRT 0.75%.
    assert.ok(naive > 0.15, `naive peeking rejected ${naive} of A/A tests`);
    assert.ok(sequential <= 0.05 + 3 * 0.011, `mSPRT rejected ${sequential} of A/A tests`);
  });

  it('still finds a real effect: 10% against 13%', () => {
    // At 10,000 users per arm the fixed z is ≈ 6.7, so an always-valid test should stop in (nearly) every run.
    const power = peekingRejectionRate({
      runs: 100,
      step: 100,
      maxUsers: 10_000,
      pc: 0.1,
      pt: 0.13,
      seed: 4,
      reject: (kc, kt, n, state) => {
        const pooled = (kc + kt) / (2 * n);
        if (pooled === 0) return false;
        state.p = msprtTwoProportions({ successes: kc, trials: n }, { successes: kt, trials: n }, { tau: 0.1 * pooled, previousPValue: state.p }).pValue;
        return state.p < 0.05;
      },
    });
    assert.ok(power >= 0.97, `mSPRT found the effect in ${power} of runs`);
  });
});
