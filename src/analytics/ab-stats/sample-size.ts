import { MagpieError } from '../../core/errors.js';
import { checkFraction, checkPositive } from './checks.js';
import { normalQuantile } from './distributions.js';

/** Options shared by the sample-size planners. */
export interface PlanOptions {
  /** False-positive rate; default 0.05. */
  alpha?: number;
  /** Probability of detecting the effect when it is real; default 0.8. */
  power?: number;
  /** Treatment users per control user; default 1 (an even split). */
  ratio?: number;
  /** Default true; false plans a one-sided test. */
  twoSided?: boolean;
}

/** Users needed per group (rounded up) and in all. */
export interface SampleSize {
  control: number;
  treatment: number;
  total: number;
}

function quantiles(options: PlanOptions): { zAlpha: number; zBeta: number; ratio: number } {
  const alpha = checkFraction(options.alpha ?? 0.05, 'alpha');
  const power = checkFraction(options.power ?? 0.8, 'power');
  const ratio = checkPositive(options.ratio ?? 1, 'ratio');
  const zAlpha = normalQuantile(1 - ((options.twoSided ?? true) ? alpha / 2 : alpha));
  return { zAlpha, zBeta: normalQuantile(power), ratio };
}

function sizes(control: number, ratio: number): SampleSize {
  // A hair of tolerance so an exact integer answer (up to rounding noise) is not pushed one higher.
  const c = Math.ceil(control - 1e-9);
  const t = Math.ceil(control * ratio - 1e-9);
  return { control: c, treatment: t, total: c + t };
}

/**
 * Users per group for a two-proportion z-test to detect a change from `baseline` by
 * `minimumDetectableEffect` (absolute, or relative to the baseline with `relative: true`):
 * n_c = (z_α·√(p̄q̄(1 + 1/k)) + z_β·√(p₁q₁ + p₂q₂/k))² / (p₂ − p₁)², p̄ = (p₁ + k·p₂)/(1 + k),
 * the normal-approximation formula without continuity correction.
 *
 * @example
 * sampleSizeTwoProportions({ baseline: 0.10, minimumDetectableEffect: 0.05 }); // { control: 686, treatment: 686, total: 1372 }
 */
export function sampleSizeTwoProportions(plan: PlanOptions & { baseline: number; minimumDetectableEffect: number; relative?: boolean }): SampleSize & { rates: { control: number; treatment: number } } {
  const p1 = checkFraction(plan.baseline, 'baseline');
  const effect = plan.relative ? p1 * plan.minimumDetectableEffect : plan.minimumDetectableEffect;
  const p2 = p1 + effect;
  if (!(effect !== 0 && p2 > 0 && p2 < 1)) {
    throw new MagpieError('invalid_input', `minimumDetectableEffect ${plan.minimumDetectableEffect} from baseline ${p1} gives a treatment rate of ${p2}`, {
      location: { field: 'minimumDetectableEffect' },
      hint: 'use a non-zero effect that keeps the treatment rate between 0 and 1 (relative: true reads it as a fraction of the baseline)',
    });
  }
  const { zAlpha, zBeta, ratio } = quantiles(plan);
  const pooled = (p1 + ratio * p2) / (1 + ratio);
  const root = zAlpha * Math.sqrt(pooled * (1 - pooled) * (1 + 1 / ratio)) + zBeta * Math.sqrt(p1 * (1 - p1) + (p2 * (1 - p2)) / ratio);
  return { ...sizes((root * root) / (effect * effect), ratio), rates: { control: p1, treatment: p2 } };
}

/**
 * Users per group to detect a difference of means `minimumDetectableEffect` (e.g. revenue per user)
 * with Welch's test, by the normal approximation n_c = (z_α + z_β)² (σ_c² + σ_t²/k) / δ².
 * `treatmentStandardDeviation` defaults to `standardDeviation`.
 *
 * @example
 * sampleSizeMeans({ standardDeviation: 1, minimumDetectableEffect: 0.5 }); // { control: 63, treatment: 63, total: 126 }
 */
export function sampleSizeMeans(plan: PlanOptions & { standardDeviation: number; treatmentStandardDeviation?: number; minimumDetectableEffect: number }): SampleSize {
  const sc = checkPositive(plan.standardDeviation, 'standardDeviation');
  const st = checkPositive(plan.treatmentStandardDeviation ?? sc, 'treatmentStandardDeviation');
  const effect = plan.minimumDetectableEffect;
  if (!(Number.isFinite(effect) && effect !== 0)) {
    throw new MagpieError('invalid_input', `minimumDetectableEffect must be a non-zero number, got ${effect}`, { location: { field: 'minimumDetectableEffect' } });
  }
  const { zAlpha, zBeta, ratio } = quantiles(plan);
  return sizes(((zAlpha + zBeta) ** 2 * (sc * sc + (st * st) / ratio)) / (effect * effect), ratio);
}
