// The guard against peeking. A fixed-horizon p-value is valid once, at a sample size chosen in
// advance; dashboards are read every day, and stopping the first time p < 0.05 makes false
// positives several times likelier than 5%. Magpie uses the mixture sequential probability ratio
// test (mSPRT, Johari, Pekelis & Walsh, "Always valid inference", 2017/2022): the likelihood ratio
// of "difference ~ N(0, τ²)" against "difference = 0" is a non-negative martingale under the null,
// so by Ville's inequality P(it ever exceeds 1/α) ≤ α, and p = 1/Λ may be read after every event
// without inflating the error. Chosen over an O'Brien–Fleming group-sequential boundary because
// that needs the number and timing of looks fixed in advance, which an experiment service that
// anyone can open at any moment cannot promise.
import { MagpieError } from '../../core/errors.js';
import { checkBinomial } from './checks.js';
import type { SampleSummary } from './means.js';
import type { Proportion } from './proportions.js';

/** What the mSPRT says at one look. */
export interface SequentialTest {
  /** Treatment − control. */
  estimate: number;
  /** Variance of the estimate. */
  variance: number;
  /** Standard deviation of the normal mixture over the true difference. */
  tau: number;
  /** Λ: the mixture likelihood ratio against "no difference". */
  likelihoodRatio: number;
  /**
   * Always-valid p-value min(1, previous, 1/Λ). From a single look (no `previousPValue`) it is the
   * conservative form: still valid, since it is never below the running minimum.
   */
  pValue: number;
}

/**
 * The mSPRT for a difference with an approximately normal estimate θ̂ of variance V, mixing over
 * θ ~ N(0, τ²): Λ = √(V/(V+τ²)) · exp(τ²θ̂² / (2V(V+τ²))). τ should be about the size of effect
 * worth finding: too small and the test waits for evidence it could have seen sooner, too large and
 * it needs a bigger z to stop. Pass the previous look's `pValue` to keep the running minimum.
 *
 * @example
 * mixtureSprt(0.02, 0.0001, 0.01).pValue; // Λ = √(1/2)·e^1 = 1.922, p = 0.520
 */
export function mixtureSprt(estimate: number, variance: number, tau: number, previousPValue = 1): SequentialTest {
  if (!Number.isFinite(estimate)) throw new MagpieError('invalid_input', `the estimate must be finite, got ${estimate}`, { location: { field: 'estimate' } });
  if (!(variance >= 0)) throw new MagpieError('invalid_input', `the variance must be ≥ 0, got ${variance}`, { location: { field: 'variance' } });
  if (!(tau > 0 && Number.isFinite(tau))) throw new MagpieError('invalid_input', `tau must be a positive number, got ${tau}`, { location: { field: 'tau' }, hint: 'use about the size of the smallest effect worth detecting' });
  let logRatio: number;
  if (variance === 0) logRatio = estimate === 0 ? 0 : Number.POSITIVE_INFINITY;
  else {
    const total = variance + tau * tau;
    logRatio = 0.5 * Math.log(variance / total) + (tau * tau * estimate * estimate) / (2 * variance * total);
  }
  const likelihoodRatio = Math.exp(logRatio);
  return { estimate, variance, tau, likelihoodRatio, pValue: Math.min(1, previousPValue, Math.exp(-logRatio)) };
}

/**
 * The mSPRT for the difference of two conversion rates, with the pooled variance p̄(1−p̄)(1/n_c + 1/n_t)
 * (the variance under "no difference", as in the z-test). NaN p-value when a group is empty.
 *
 * @example
 * msprtTwoProportions({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 }, { tau: 0.01 }).pValue; // 0.295 (the z-test's fixed-horizon p is 0.0124)
 */
export function msprtTwoProportions(control: Proportion, treatment: Proportion, options: { tau: number; previousPValue?: number }): SequentialTest {
  checkBinomial(control.successes, control.trials, 'control');
  checkBinomial(treatment.successes, treatment.trials, 'treatment');
  if (control.trials === 0 || treatment.trials === 0) {
    return { estimate: Number.NaN, variance: Number.NaN, tau: options.tau, likelihoodRatio: Number.NaN, pValue: Number.NaN };
  }
  const pooled = (control.successes + treatment.successes) / (control.trials + treatment.trials);
  const variance = pooled * (1 - pooled) * (1 / control.trials + 1 / treatment.trials);
  const estimate = treatment.successes / treatment.trials - control.successes / control.trials;
  return mixtureSprt(estimate, variance, options.tau, options.previousPValue);
}

/**
 * The mSPRT for a difference of means (revenue per user), with variance s_c²/n_c + s_t²/n_t.
 * NaN p-value when a group has fewer than two values.
 *
 * @example
 * msprtMeans({ n: 5000, mean: 2.0, variance: 400 }, { n: 5000, mean: 2.9, variance: 450 }, { tau: 0.2 }).pValue; // 0.706
 */
export function msprtMeans(control: SampleSummary, treatment: SampleSummary, options: { tau: number; previousPValue?: number }): SequentialTest {
  if (control.n < 2 || treatment.n < 2) {
    return { estimate: Number.NaN, variance: Number.NaN, tau: options.tau, likelihoodRatio: Number.NaN, pValue: Number.NaN };
  }
  const variance = control.variance / control.n + treatment.variance / treatment.n;
  return mixtureSprt(treatment.mean - control.mean, variance, options.tau, options.previousPValue);
}
