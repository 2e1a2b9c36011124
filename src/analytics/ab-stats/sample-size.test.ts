import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { Random } from '../../math/random.js';
import { normalCdf, normalQuantile } from './distributions.js';
import { twoProportionZTest } from './proportions.js';
import { sampleSizeMeans, sampleSizeTwoProportions } from './sample-size.js';

/** Power of the two-sided z-test with nc and nt users, by the same normal approximation the planner inverts. */
function zTestPower(p1: number, p2: number, nc: number, nt: number, alpha = 0.05): number {
  const pooled = (nc * p1 + nt * p2) / (nc + nt);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt));
  const se1 = Math.sqrt((p1 * (1 - p1)) / nc + (p2 * (1 - p2)) / nt);
  return normalCdf((Math.abs(p2 - p1) - normalQuantile(1 - alpha / 2) * se0) / se1);
}

describe('sample size for two proportions', () => {
  it('matches the closed form worked by hand: 10% → 15%, α 0.05, power 0.8', () => {
    // p̄ = 0.125: z_α·√(2·0.125·0.875) = 1.959964·0.4677072 = 0.9166892; z_β·√(0.09 + 0.1275) = 0.8416212·0.4663690 = 0.3925033;
    // (1.3091925)² / 0.05² = 1.7139849 / 0.0025 = 685.59 → 686 per group.
    assert.deepEqual(sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0.05 }), { control: 686, treatment: 686, total: 1372, rates: { control: 0.1, treatment: 0.15000000000000002 } });
    // The same effect stated relatively (+50%).
    assert.equal(sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0.5, relative: true }).control, 686);
    // A drop is as hard to see as the mirrored rise: 15% → 10% gives the same n.
    assert.equal(sampleSizeTwoProportions({ baseline: 0.15, minimumDetectableEffect: -0.05 }).control, 686);
  });

  it('is the smallest n reaching the power, for uneven splits and one-sided tests too', () => {
    const plans = [
      { baseline: 0.03, minimumDetectableEffect: 0.1, relative: true, ratio: 1 },
      { baseline: 0.05, minimumDetectableEffect: 0.01, ratio: 3 },
      { baseline: 0.5, minimumDetectableEffect: -0.02, ratio: 0.5, power: 0.9, alpha: 0.01 },
    ];
    for (const plan of plans) {
      const { control, treatment, rates } = sampleSizeTwoProportions(plan);
      const alpha = plan.alpha ?? 0.05;
      const power = plan.power ?? 0.8;
      assert.ok(zTestPower(rates.control, rates.treatment, control, treatment, alpha) >= power - 1e-9, `power at n for ${JSON.stringify(plan)}`);
      assert.ok(zTestPower(rates.control, rates.treatment, control - 1, (control - 1) * plan.ratio, alpha) < power, `n − 1 suffices for ${JSON.stringify(plan)}`);
    }
    // One-sided needs fewer users: z_α = 1.644854 instead of 1.959964.
    assert.ok(sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0.05, twoSided: false }).control < 686);
  });

  it('delivers the planned power in simulation', () => {
    // 2,000 simulated experiments of 686 + 686 users at 10% vs 15%: the z-test should reject in ~80%.
    // The rejection share's standard deviation is √(0.8·0.2/2000) = 0.0089; ±0.035 is ~4σ.
    const rng = new Random(11);
    const draw = (n: number, p: number): number => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.nextFloat() < p) k++;
      return k;
    };
    let rejected = 0;
    const runs = 2000;
    for (let r = 0; r < runs; r++) {
      const test = twoProportionZTest({ successes: draw(686, 0.1), trials: 686 }, { successes: draw(686, 0.15), trials: 686 });
      if (test.pValue < 0.05) rejected++;
    }
    assert.ok(Math.abs(rejected / runs - 0.8) < 0.035, `simulated power ${rejected / runs}`);
  });

  it('refuses effects that leave [0, 1]', () => {
    assert.throws(() => sampleSizeTwoProportions({ baseline: 0.95, minimumDetectableEffect: 0.1 }), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'minimumDetectableEffect');
    assert.throws(() => sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0 }), (e) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0.05, power: 80 }), (e) => isMagpieError(e, 'invalid_input') && e.location?.field === 'power');
  });
});

describe('sample size for means', () => {
  it('is 2σ²(z_α + z_β)²/δ² per group', () => {
    // σ = 1, δ = 0.5: 2·(1.959964 + 0.841621)²/0.25 = 2·7.848879/0.25 = 62.79 → 63.
    assert.deepEqual(sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: 0.5 }), { control: 63, treatment: 63, total: 126 });
    // Revenue per user with σ = 40 and δ = 1: 2·1600·7.848879 = 25,116.41 → 25,117.
    assert.equal(sampleSizeMeans({ standardDeviation: 40, minimumDetectableEffect: 1 }).control, 25_117);
    // Unequal σ and a 1:2 split: (σ_c² + σ_t²/2)(z_α + z_β)²/δ² = (1 + 4/2)·7.848879/1 = 23.55 → 24 control, 48 treatment (47.09 rounds up).
    assert.deepEqual(sampleSizeMeans({ standardDeviation: 1, treatmentStandardDeviation: 2, minimumDetectableEffect: 1, ratio: 2 }), { control: 24, treatment: 48, total: 72 });
  });
});
