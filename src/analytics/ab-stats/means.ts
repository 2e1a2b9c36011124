import { MagpieError } from '../../core/errors.js';
import { checkCount, checkFinite, checkFraction, pValueOf, type Alternative } from './checks.js';
import { studentTCdf, studentTQuantile } from './distributions.js';
import type { Interval } from './proportions.js';

/** Sufficient statistics of a sample: size, mean and the unbiased (n − 1) variance. */
export interface SampleSummary {
  n: number;
  mean: number;
  variance: number;
}

/**
 * Size, mean and unbiased variance of `values` in one pass (Welford's update, which does not lose
 * the variance to cancellation the way Σx² − n·mean² does on revenue figures). Variance is NaN below 2 values.
 *
 * @example
 * summarize([2, 4, 4, 4, 5, 5, 7, 9]); // { n: 8, mean: 5, variance: 32 / 7 }
 */
export function summarize(values: ArrayLike<number>): SampleSummary {
  let mean = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isFinite(x)) throw new MagpieError('invalid_input', `value ${i} of the sample is ${x}`, { location: { field: `values[${i}]` }, hint: 'pass finite numbers only' });
    const delta = x - mean;
    mean += delta / (i + 1);
    squares += delta * (x - mean);
  }
  const n = values.length;
  return { n, mean: n > 0 ? mean : Number.NaN, variance: n > 1 ? squares / (n - 1) : Number.NaN };
}

function toSummary(sample: SampleSummary | ArrayLike<number>, field: string): SampleSummary {
  if ('mean' in sample && 'variance' in sample && 'n' in sample) {
    checkCount(sample.n, `${field}.n`);
    checkFinite(sample.mean, `${field}.mean`);
    if (!(sample.variance >= 0)) throw new MagpieError('invalid_input', `${field}.variance must be ≥ 0, got ${sample.variance}`, { location: { field: `${field}.variance` } });
    return sample;
  }
  return summarize(sample as ArrayLike<number>);
}

/**
 * The t interval for a mean: mean ± t(n−1) · s/√n. NaN bounds below two values.
 *
 * @example
 * meanInterval({ n: 25, mean: 10, variance: 4 }); // { value: 10, low: 9.1744, high: 10.8256 }
 */
export function meanInterval(sample: SampleSummary | ArrayLike<number>, confidence = 0.95): Interval {
  const { n, mean, variance } = toSummary(sample, 'sample');
  checkFraction(confidence, 'confidence');
  if (n < 2) return { value: mean, low: Number.NaN, high: Number.NaN };
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * Math.sqrt(variance / n);
  return { value: mean, low: mean - half, high: mean + half };
}

/** What {@link welchTTest} found; the difference is treatment − control. */
export interface WelchTest {
  difference: number;
  standardError: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom (not an integer in general). */
  df: number;
  pValue: number;
  /** Two-sided interval for the difference at the confidence level. */
  interval: { low: number; high: number };
}

/**
 * Welch's t-test for a difference of means with unequal variances (revenue per user of two variants),
 * from raw values or from sufficient statistics. df = se⁴ / Σ (sᵢ²/nᵢ)² / (nᵢ − 1). Each group needs
 * at least two values; when both variances are 0 the test is decided by the means alone.
 *
 * @example
 * welchTTest([19.1, 21.3, 20.2, 22.8, 18.4], [23.5, 21.9, 25.2, 24.1, 22.6]).pValue; // t = 3.189 on 7.34 df → 0.0144
 */
export function welchTTest(control: SampleSummary | ArrayLike<number>, treatment: SampleSummary | ArrayLike<number>, options: { confidence?: number; alternative?: Alternative } = {}): WelchTest {
  const c = toSummary(control, 'control');
  const t = toSummary(treatment, 'treatment');
  const confidence = checkFraction(options.confidence ?? 0.95, 'confidence');
  for (const [s, field] of [[c, 'control'], [t, 'treatment']] as const) {
    if (s.n < 2) throw new MagpieError('invalid_input', `Welch's t-test needs at least 2 values in ${field}, got ${s.n}`, { location: { field }, hint: 'wait for more data' });
  }
  const difference = t.mean - c.mean;
  const vc = c.variance / c.n;
  const vt = t.variance / t.n;
  const standardError = Math.sqrt(vc + vt);
  if (standardError === 0) {
    const sign = Math.sign(difference);
    const pValue = difference === 0 ? 1 : pValueOf(sign * Number.POSITIVE_INFINITY, options.alternative ?? 'two-sided', (x) => (x < 0 ? 0 : 1));
    return { difference, standardError, t: difference === 0 ? 0 : sign * Number.POSITIVE_INFINITY, df: Number.NaN, pValue, interval: { low: difference, high: difference } };
  }
  const df = (vc + vt) ** 2 / (vc ** 2 / (c.n - 1) + vt ** 2 / (t.n - 1));
  const statistic = difference / standardError;
  const half = studentTQuantile(1 - (1 - confidence) / 2, df) * standardError;
  return {
    difference,
    standardError,
    t: statistic,
    df,
    pValue: pValueOf(statistic, options.alternative ?? 'two-sided', (x) => studentTCdf(x, df)),
    interval: { low: difference - half, high: difference + half },
  };
}
