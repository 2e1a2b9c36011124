import { MagpieError } from '../../core/errors.js';
import { choleskySolve } from '../../math/dense.js';
import { studentTCdf, studentTQuantile } from '../../analytics/ab-stats/distributions.js';

// Difference in differences: how much more the metric moved for the test group than for the
// control group from before the campaign to after it. Estimated by least squares on
// y = b0 + b1·test + b2·after + b3·test·after (b3 is the DiD), with standard errors clustered by
// unit (customer), because a customer's weeks are not independent observations.

/** One measurement of one unit (e.g. a customer's revenue in one week). */
export interface DidObservation {
  unit: string;
  /** In the test (treated) group; must be the same for every observation of a unit. */
  treated: boolean;
  /** Measured after the campaign started. */
  post: boolean;
  value: number;
}

/** Mean of one of the four group × period cells. */
export interface DidCell {
  mean: number;
  observations: number;
  units: number;
}

/** Options of {@link differenceInDifferences}. */
export interface DidOptions {
  /** Confidence level of the interval. Default 0.95. */
  level?: number;
}

/** The DiD estimate with its uncertainty. */
export interface DidResult {
  /** (test after − test before) − (control after − control before). */
  estimate: number;
  /** Cluster-robust (by unit, CR1: G/(G−1)·(N−1)/(N−K)) standard error. */
  standardError: number;
  confidenceInterval: [lower: number, upper: number];
  level: number;
  /** Clusters − 1: the t distribution's degrees of freedom for clustered errors. */
  degreesOfFreedom: number;
  tStatistic: number;
  /** Two-sided. */
  pValue: number;
  /** The classical OLS standard error, which treats every observation as independent (for comparison). */
  olsStandardError: number;
  cells: { testBefore: DidCell; testAfter: DidCell; controlBefore: DidCell; controlAfter: DidCell };
  clusters: number;
  observations: number;
}

/** (XᵀX)⁻¹ of a small SPD matrix, column by column. */
function inverse(a: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k);
    e[j] = 1;
    const col = choleskySolve(a.slice(), k, e);
    for (let i = 0; i < k; i++) out[i * k + j] = col[i]!;
  }
  return out;
}

/**
 * Difference-in-differences estimate of a campaign's effect, with a cluster-robust standard
 * error, a t-based confidence interval and p-value.
 *
 * @example
 * const did = differenceInDifferences([
 *   { unit: 'a', treated: true, post: false, value: 10 }, { unit: 'a', treated: true, post: true, value: 16 }, …
 * ]);
 * did.estimate; did.confidenceInterval;
 */
export function differenceInDifferences(observations: readonly DidObservation[], options: DidOptions = {}): DidResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new MagpieError('invalid_input', `the confidence level must be between 0 and 1, got ${level}`, { location: { field: 'level' } });
  const group = new Map<string, boolean>();
  const clusterOf = new Map<string, number>();
  const sums = new Float64Array(4);
  const counts = new Float64Array(4);
  const unitsIn = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
  const cell = (o: DidObservation): number => (o.treated ? 2 : 0) + (o.post ? 1 : 0);
  observations.forEach((o, i) => {
    if (!Number.isFinite(o.value)) throw new MagpieError('invalid_input', `observation ${i} of unit ${o.unit} has value ${o.value}`, { location: { field: 'value' } });
    const known = group.get(o.unit);
    if (known !== undefined && known !== o.treated) {
      throw new MagpieError('invalid_input', `unit ${o.unit} is in both the test and the control group`, { location: { field: 'treated' }, hint: 'a unit belongs to one group for the whole analysis' });
    }
    group.set(o.unit, o.treated);
    if (!clusterOf.has(o.unit)) clusterOf.set(o.unit, clusterOf.size);
    const c = cell(o);
    sums[c]! += o.value;
    counts[c]!++;
    unitsIn[c]!.add(o.unit);
  });
  const names = ['control before', 'control after', 'test before', 'test after'];
  counts.forEach((n, c) => {
    if (n === 0) throw new MagpieError('invalid_input', `no observations for the ${names[c]} cell`, { hint: 'each group needs measurements before and after' });
  });
  const means = sums.map((s, c) => s / counts[c]!);
  const estimate = means[3]! - means[2]! - (means[1]! - means[0]!);

  // Design rows (1, T, P, T·P); the model is saturated, so fitted values are the cell means.
  const k = 4;
  const xtx = new Float64Array(k * k);
  const n = observations.length;
  const g = clusterOf.size;
  const scores = new Float64Array(g * k);
  let ssr = 0;
  for (const o of observations) {
    const x = [1, o.treated ? 1 : 0, o.post ? 1 : 0, o.treated && o.post ? 1 : 0];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) xtx[a * k + b]! += x[a]! * x[b]!;
    const e = o.value - means[cell(o)]!;
    ssr += e * e;
    const base = clusterOf.get(o.unit)! * k;
    for (let a = 0; a < k; a++) scores[base + a]! += x[a]! * e;
  }
  const bread = inverse(xtx, k);
  // Meat: Σ over clusters of s_g s_gᵀ; only the DiD row of the sandwich is needed.
  const row = bread.subarray(3 * k, 4 * k);
  let meat = 0;
  for (let c = 0; c < g; c++) {
    let dot = 0;
    for (let a = 0; a < k; a++) dot += row[a]! * scores[c * k + a]!;
    meat += dot * dot;
  }
  const correction = g > 1 && n > k ? (g / (g - 1)) * ((n - 1) / (n - k)) : Number.NaN;
  const standardError = Math.sqrt(meat * correction);
  const olsStandardError = n > k ? Math.sqrt((ssr / (n - k)) * bread[3 * k + 3]!) : Number.NaN;
  const df = g - 1;
  const tStatistic = estimate / standardError;
  const critical = df > 0 ? studentTQuantile(1 - (1 - level) / 2, df) : Number.NaN;
  return {
    estimate,
    standardError,
    confidenceInterval: [estimate - critical * standardError, estimate + critical * standardError],
    level,
    degreesOfFreedom: df,
    tStatistic,
    pValue: df > 0 && !Number.isNaN(tStatistic) ? 2 * studentTCdf(-Math.abs(tStatistic), df) : Number.NaN,
    olsStandardError,
    cells: {
      controlBefore: { mean: means[0]!, observations: counts[0]!, units: unitsIn[0]!.size },
      controlAfter: { mean: means[1]!, observations: counts[1]!, units: unitsIn[1]!.size },
      testBefore: { mean: means[2]!, observations: counts[2]!, units: unitsIn[2]!.size },
      testAfter: { mean: means[3]!, observations: counts[3]!, units: unitsIn[3]!.size },
    },
    clusters: g,
    observations: n,
  };
}
