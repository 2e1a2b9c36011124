import { MagpieError } from '../../core/errors.js';
import { fitLogistic } from './logistic.js';
import { logit } from './matrix.js';

// Recalibration of predicted probabilities on held-out rows: boosted trees with shrinkage and a
// base rate learnt on one period are often off in absolute terms while ranking well. Isotonic
// regression (pool adjacent violators) fits any monotone map; Platt scaling fits a logistic curve
// on the log-odds, two parameters, steadier on few rows.

/** How probabilities are recalibrated. */
export type CalibrationMethod = 'isotonic' | 'platt' | 'none';

/** Every {@link CalibrationMethod}, for option parsing. */
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['isotonic', 'platt', 'none'];

/** A monotone map from raw to calibrated probabilities. */
export interface Calibrator {
  method: CalibrationMethod;
  /** Calibrated probability of each raw one. */
  apply(probabilities: ArrayLike<number>): Float64Array;
  /** The fitted map as plain JSON (knots for isotonic, slope and intercept on log-odds for Platt). */
  toJSON(): { method: CalibrationMethod; knots?: { x: number[]; y: number[] }; slope?: number; intercept?: number };
}

/**
 * Pool adjacent violators: the non-decreasing sequence closest to `y` in weighted least squares.
 * `y` must already be ordered by its predictor.
 *
 * @example
 * pava([1, 3, 2, 4, 3, 5]); // [1, 2.5, 2.5, 3.5, 3.5, 5]
 */
export function pava(y: ArrayLike<number>, weights?: ArrayLike<number>): Float64Array {
  const n = y.length;
  const value = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    value[blocks] = y[i]!;
    weight[blocks] = weights ? weights[i]! : 1;
    size[blocks] = 1;
    blocks++;
    // Merge backwards while the newest block undercuts the one before it.
    while (blocks > 1 && value[blocks - 2]! > value[blocks - 1]!) {
      const w = weight[blocks - 2]! + weight[blocks - 1]!;
      value[blocks - 2] = (value[blocks - 2]! * weight[blocks - 2]! + value[blocks - 1]! * weight[blocks - 1]!) / w;
      weight[blocks - 2] = w;
      size[blocks - 2]! += size[blocks - 1]!;
      blocks--;
    }
  }
  const out = new Float64Array(n);
  let k = 0;
  for (let b = 0; b < blocks; b++) for (let s = 0; s < size[b]!; s++) out[k++] = value[b]!;
  return out;
}

/** Linear interpolation through increasing knots, flat beyond the ends. */
function interpolate(knotsX: Float64Array, knotsY: Float64Array, x: number): number {
  const m = knotsX.length;
  if (x <= knotsX[0]!) return knotsY[0]!;
  if (x >= knotsX[m - 1]!) return knotsY[m - 1]!;
  let lo = 0;
  let hi = m - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (knotsX[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const span = knotsX[hi]! - knotsX[lo]!;
  return span > 0 ? knotsY[lo]! + ((x - knotsX[lo]!) / span) * (knotsY[hi]! - knotsY[lo]!) : knotsY[hi]!;
}

function checkPairs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length || scores.length === 0) {
    throw new MagpieError('invalid_input', `calibration needs as many labels as scores, and at least one (got ${scores.length} and ${labels.length})`);
  }
}

/**
 * Isotonic calibration: PAV on the labels ordered by raw score (tied scores pooled first), then
 * linear interpolation between the fitted steps for new scores, bounded to [1/2n, 1 − 1/2n].
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  checkPairs(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Tied scores must map to one value, so they enter PAV as one weighted point.
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === scores[i]) {
      ys[last] = (ys[last]! * ws[last]! + labels[i]!) / (ws[last]! + 1);
      ws[last]!++;
    } else {
      xs.push(scores[i]!);
      ys.push(labels[i]!);
      ws.push(1);
    }
  }
  const fitted = pava(ys, ws);
  // Keep the two ends of each constant run: interpolation between runs, flat within them.
  const kx: number[] = [];
  const ky: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    const runStart = k === 0 || fitted[k] !== fitted[k - 1];
    const runEnd = k === xs.length - 1 || fitted[k] !== fitted[k + 1];
    if (runStart || runEnd) {
      kx.push(xs[k]!);
      ky.push(fitted[k]!);
    }
  }
  const knotsX = Float64Array.from(kx);
  // A run of all-negative (or all-positive) rows says the rate is below 1/n, not that it is zero:
  // bounding the ends keeps one surprise on the test window from costing an unbounded log loss.
  const floor = 1 / (2 * scores.length);
  const knotsY = Float64Array.from(ky, (v) => Math.min(1 - floor, Math.max(floor, v)));
  return {
    method: 'isotonic',
    apply: (p) => Float64Array.from(p, (x) => interpolate(knotsX, knotsY, x)),
    toJSON: () => ({ method: 'isotonic', knots: { x: kx, y: [...knotsY] } }),
  };
}

/** Platt scaling: calibrated = σ(a·logit(p) + b), a and b fitted by maximum likelihood (a tiny ridge keeps separable folds finite). */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  checkPairs(scores, labels);
  const x = { values: Float64Array.from(scores, (p) => logit(p, 1e-9)), n: scores.length, d: 1 };
  const { model } = fitLogistic({ x, y: labels }, { l2: 1e-6, skewThreshold: Number.POSITIVE_INFINITY });
  // Back from the standardised column to slope and intercept on the raw log-odds.
  const scale = model.scale[0]! > 0 ? model.scale[0]! : 1;
  const slope = model.coefficients[0]! / scale;
  const intercept = model.intercept - slope * model.center[0]!;
  return {
    method: 'platt',
    apply: (p) => Float64Array.from(p, (v) => 1 / (1 + Math.exp(-(slope * logit(v, 1e-9) + intercept)))),
    toJSON: () => ({ method: 'platt', slope, intercept }),
  };
}

/** The identity map. */
export const identityCalibrator: Calibrator = { method: 'none', apply: (p) => Float64Array.from(p), toJSON: () => ({ method: 'none' }) };

/** Fits the calibrator of `method` on held-out scores and labels. */
export function fitCalibrator(method: CalibrationMethod, scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  if (method === 'isotonic') return fitIsotonic(scores, labels);
  if (method === 'platt') return fitPlatt(scores, labels);
  return identityCalibrator;
}
