import { checkBinomial, checkFraction, pValueOf, type Alternative } from './checks.js';
import { normalCdf, normalQuantile } from './distributions.js';

/** An estimate with a confidence interval (the shape `VariantReport` uses for its rates). */
export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** A count of successes out of trials: users who converted out of users exposed. */
export interface Proportion {
  successes: number;
  trials: number;
}

/** An estimate and its standard error, for {@link relativeLift}. */
export interface Estimate {
  value: number;
  standardError: number;
}

/** The two-sided normal critical value for a confidence level: 1.959964 for 0.95. */
export function criticalZ(confidence: number): number {
  return normalQuantile(1 - (1 - checkFraction(confidence, 'confidence')) / 2);
}

/**
 * The Wilson score interval for a proportion: the rates whose score test would not reject at the
 * confidence level. Unlike p̂ ± z·se it never leaves [0, 1] and keeps its coverage near 0 and 1,
 * where conversion rates live. NaN everywhere when there are no trials.
 *
 * @example
 * wilsonInterval(40, 100); // { value: 0.4, low: 0.3094, high: 0.4980 } (to 4 places)
 */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  checkBinomial(successes, trials, 'proportion');
  const z = criticalZ(confidence);
  if (trials === 0) return { value: Number.NaN, low: Number.NaN, high: Number.NaN };
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const denominator = 1 + z2n;
  const center = (p + z2n / 2) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / denominator;
  return { value: p, low: Math.max(0, center - half), high: Math.min(1, center + half) };
}

/** What {@link twoProportionZTest} found. Rates and differences are treatment − control. */
export interface TwoProportionTest {
  control: number;
  treatment: number;
  difference: number;
  /** (p_t − p_c) / √(p̄(1−p̄)(1/n_c + 1/n_t)), with the pooled rate p̄ (the variance under "no difference"). */
  z: number;
  pValue: number;
  /** Newcombe's hybrid score interval for the difference (from the two Wilson intervals); good coverage at low rates. */
  interval: { low: number; high: number };
  /** The textbook Wald interval p_t − p_c ± z·√(p_c(1−p_c)/n_c + p_t(1−p_t)/n_t), for comparison with other tools. */
  waldInterval: { low: number; high: number };
}

/**
 * The two-proportion z-test of treatment against control, with intervals for the difference of rates.
 * The intervals are two-sided at `confidence` whatever the alternative. With no successes or no
 * failures anywhere the test has no evidence: z = 0, p = 1.
 *
 * @example
 * const test = twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 });
 * test.z; // 2.502
 * test.pValue; // 0.0124
 */
export function twoProportionZTest(control: Proportion, treatment: Proportion, options: { confidence?: number; alternative?: Alternative } = {}): TwoProportionTest {
  checkBinomial(control.successes, control.trials, 'control');
  checkBinomial(treatment.successes, treatment.trials, 'treatment');
  const confidence = options.confidence ?? 0.95;
  const zCritical = criticalZ(confidence);
  const nc = control.trials;
  const nt = treatment.trials;
  if (nc === 0 || nt === 0) {
    const nan = { low: Number.NaN, high: Number.NaN };
    return { control: control.successes / nc, treatment: treatment.successes / nt, difference: Number.NaN, z: Number.NaN, pValue: Number.NaN, interval: nan, waldInterval: nan };
  }
  const pc = control.successes / nc;
  const pt = treatment.successes / nt;
  const difference = pt - pc;
  const pooled = (control.successes + treatment.successes) / (nc + nt);
  const nullSe = Math.sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nt));
  const z = nullSe > 0 ? difference / nullSe : 0;
  const pValue = nullSe > 0 ? pValueOf(z, options.alternative ?? 'two-sided', normalCdf) : 1;
  const waldSe = Math.sqrt((pc * (1 - pc)) / nc + (pt * (1 - pt)) / nt);
  const wc = wilsonInterval(control.successes, nc, confidence);
  const wt = wilsonInterval(treatment.successes, nt, confidence);
  return {
    control: pc,
    treatment: pt,
    difference,
    z,
    pValue,
    interval: {
      low: difference - Math.hypot(pt - wt.low, wc.high - pc),
      high: difference + Math.hypot(wt.high - pt, pc - wc.low),
    },
    waldInterval: { low: difference - zCritical * waldSe, high: difference + zCritical * waldSe },
  };
}

/**
 * The relative lift treatment/control − 1 of two independent positive estimates, with a delta-method
 * interval on the log scale: se(ln ratio)² ≈ (se_t/t)² + (se_c/c)². The log scale keeps the interval
 * inside (−1, ∞) and asymmetric, as a ratio's is. NaN when either estimate is not positive.
 *
 * @example
 * relativeLift({ value: 0.10, standardError: 0.004 }, { value: 0.12, standardError: 0.005 }).value; // 0.2
 */
export function relativeLift(control: Estimate, treatment: Estimate, confidence = 0.95): Interval {
  const z = criticalZ(confidence);
  if (!(control.value > 0) || !(treatment.value > 0)) {
    const value = control.value > 0 ? treatment.value / control.value - 1 : Number.NaN;
    return { value, low: Number.NaN, high: Number.NaN };
  }
  const logRatio = Math.log(treatment.value / control.value);
  const se = Math.hypot(control.standardError / control.value, treatment.standardError / treatment.value);
  return { value: treatment.value / control.value - 1, low: Math.expm1(logRatio - z * se), high: Math.expm1(logRatio + z * se) };
}

/**
 * The relative lift of two conversion rates, p_t/p_c − 1, with the log-scale delta-method (Katz)
 * interval: se(ln ratio)² = (1−p_t)/(n_t·p_t) + (1−p_c)/(n_c·p_c).
 *
 * @example
 * proportionLift({ successes: 10, trials: 100 }, { successes: 20, trials: 100 }); // { value: 1, low: −0.0134, high: 3.0545 }
 */
export function proportionLift(control: Proportion, treatment: Proportion, confidence = 0.95): Interval {
  checkBinomial(control.successes, control.trials, 'control');
  checkBinomial(treatment.successes, treatment.trials, 'treatment');
  const estimate = ({ successes, trials }: Proportion): Estimate => {
    const p = successes / trials;
    return { value: p, standardError: Math.sqrt((p * (1 - p)) / trials) };
  };
  return relativeLift(estimate(control), estimate(treatment), confidence);
}
