import { MagpieError } from '../../core/errors.js';
import { choleskySolve } from '../../math/dense.js';
import { skewness } from '../feature-matrix.js';
import { sigmoid, type DenseMatrix } from './matrix.js';

// L2-regularised logistic regression fitted by Newton's method (IRLS) on standardised columns.
// Heavy-tailed columns (revenue, counts) are first put through sign(x)·ln(1 + |x|), as the k-means
// features are, so a handful of wholesalers do not pin every coefficient; missing values become
// the column mean (0 after standardising). The intercept is not penalised.

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** Penalty λ in Σ loss + λ/2·‖β‖² (β without the intercept). Default 1. */
  l2?: number;
  /** Default 100. */
  maxIterations?: number;
  /** Stop when no coefficient moves more than this. Default 1e-8. */
  tolerance?: number;
  /** Log-transform columns whose skewness exceeds this; Infinity turns it off. Default 1. */
  skewThreshold?: number;
}

/** Plain-JSON form of a {@link LogisticModel}. */
export interface LogisticJson {
  intercept: number;
  coefficients: number[];
  center: number[];
  scale: number[];
  logged: boolean[];
}

const signedLog = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));

/** A fitted logistic regression: margin = intercept + Σ β_j·z_j with z the transformed, standardised column. */
export class LogisticModel {
  constructor(
    readonly intercept: number,
    /** β on the standardised scale: the change in log-odds per standard deviation. */
    readonly coefficients: Float64Array,
    readonly center: Float64Array,
    readonly scale: Float64Array,
    readonly logged: Uint8Array,
  ) {}

  /** The standardised value z of row i, column j. */
  z(x: DenseMatrix, i: number, j: number): number {
    let v = x.values[i * x.d + j]!;
    if (Number.isNaN(v)) return 0;
    if (this.logged[j]) v = signedLog(v);
    return this.scale[j]! > 0 ? (v - this.center[j]!) / this.scale[j]! : 0;
  }

  /** Log-odds of every row. */
  predictMargin(x: DenseMatrix): Float64Array {
    const out = new Float64Array(x.n);
    for (let i = 0; i < x.n; i++) {
      let m = this.intercept;
      for (let j = 0; j < x.d; j++) m += this.coefficients[j]! * this.z(x, i, j);
      out[i] = m;
    }
    return out;
  }

  /** Probability of a positive label for every row. */
  predict(x: DenseMatrix): Float64Array {
    return this.predictMargin(x).map(sigmoid);
  }

  /** Terms β_j·z_ij of row i (length d) and the intercept (entry d); they sum to the margin. */
  contributions(x: DenseMatrix, i: number): Float64Array {
    const out = new Float64Array(x.d + 1);
    for (let j = 0; j < x.d; j++) out[j] = this.coefficients[j]! * this.z(x, i, j);
    out[x.d] = this.intercept;
    return out;
  }

  /** The model as plain JSON. */
  toJSON(): LogisticJson {
    return { intercept: this.intercept, coefficients: [...this.coefficients], center: [...this.center], scale: [...this.scale], logged: [...this.logged].map(Boolean) };
  }
}

/** A fitted model and how the solver went. */
export interface LogisticFit {
  model: LogisticModel;
  l2: number;
  iterations: number;
  converged: boolean;
}

/** Column transforms and the standardised design, built once and shared by every λ of a path. */
interface Design {
  n: number;
  /** Columns including the intercept. */
  p: number;
  /** Column-major n × p, intercept first: the Hessian is then dot products over contiguous columns. */
  z: Float64Array;
  center: Float64Array;
  scale: Float64Array;
  logged: Uint8Array;
}

function prepare(x: DenseMatrix, threshold: number): Design {
  const { n, d } = x;
  const center = new Float64Array(d);
  const scale = new Float64Array(d);
  const logged = new Uint8Array(d);
  const column = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = x.values[i * d + j]!;
    const present = column.filter((v) => !Number.isNaN(v));
    if (skewness(present) > threshold) {
      logged[j] = 1;
      for (let i = 0; i < present.length; i++) present[i] = signedLog(present[i]!);
    }
    let mean = 0;
    for (const v of present) mean += v;
    mean /= Math.max(1, present.length);
    let variance = 0;
    for (const v of present) variance += (v - mean) ** 2;
    center[j] = mean;
    scale[j] = Math.sqrt(variance / Math.max(1, present.length));
  }
  const probe = new LogisticModel(0, new Float64Array(d), center, scale, logged);
  const p = d + 1;
  const z = new Float64Array(n * p);
  z.fill(1, 0, n);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) z[(j + 1) * n + i] = probe.z(x, i, j);
  return { n, p, z, center, scale, logged };
}

/** Newton–Raphson with step halving from `beta` (updated in place) for one penalty. */
function newton(design: Design, y: ArrayLike<number>, l2: number, beta: Float64Array, tolerance: number, maxIterations: number): { iterations: number; converged: boolean } {
  const { n, p, z } = design;
  const margins = new Float64Array(n);
  const objective = (b: Float64Array): number => {
    margins.fill(b[0]!);
    for (let k = 1; k < p; k++) {
      const bk = b[k]!;
      if (bk === 0) continue;
      const col = k * n;
      for (let i = 0; i < n; i++) margins[i]! += bk * z[col + i]!;
    }
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const m = margins[i]!;
      loss += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i]! * m;
    }
    for (let k = 1; k < p; k++) loss += 0.5 * l2 * b[k]! * b[k]!;
    return loss;
  };
  let loss = objective(beta);
  let iterations = 0;
  let converged = false;
  const grad = new Float64Array(p);
  const hess = new Float64Array(p * p);
  const residual = new Float64Array(n);
  const weight = new Float64Array(n);
  const weighted = new Float64Array(n);
  const trial = new Float64Array(p);
  while (iterations < maxIterations && !converged) {
    iterations++;
    // `margins` belong to `beta` here: the last objective call was at the accepted point.
    for (let i = 0; i < n; i++) {
      const q = sigmoid(margins[i]!);
      weight[i] = Math.max(q * (1 - q), 1e-12);
      residual[i] = q - y[i]!;
    }
    for (let a = 0; a < p; a++) {
      const ca = a * n;
      let g = 0;
      for (let i = 0; i < n; i++) {
        g += residual[i]! * z[ca + i]!;
        weighted[i] = weight[i]! * z[ca + i]!;
      }
      grad[a] = g;
      for (let b = 0; b <= a; b++) {
        const cb = b * n;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += weighted[i]! * z[cb + i]!;
        hess[a * p + b] = sum;
        hess[b * p + a] = sum;
      }
    }
    for (let a = 0; a < p; a++) {
      if (a > 0) {
        grad[a]! += l2 * beta[a]!;
        hess[a * p + a]! += l2;
      }
      // A tiny ridge keeps constant columns (all-zero z) and λ = 0 solvable.
      hess[a * p + a]! += 1e-10;
    }
    const step = choleskySolve(hess, p, grad);
    let t = 1;
    let next = loss;
    for (let halving = 0; halving < 30; halving++) {
      for (let k = 0; k < p; k++) trial[k] = beta[k]! - t * step[k]!;
      next = objective(trial);
      if (next <= loss + 1e-12) break;
      t /= 2;
    }
    let moved = 0;
    for (let k = 0; k < p; k++) moved = Math.max(moved, Math.abs(trial[k]! - beta[k]!));
    beta.set(trial);
    loss = next;
    if (moved < tolerance) converged = true;
  }
  return { iterations, converged };
}

function checkData(x: DenseMatrix, y: ArrayLike<number>): void {
  if (x.n === 0) throw new MagpieError('invalid_input', 'no training rows for the logistic regression');
  if (y.length !== x.n) throw new MagpieError('invalid_input', `${y.length} labels for ${x.n} rows`);
}

/**
 * Fits the regression for each penalty of `l2s` on one prepared design, each fit starting from
 * the previous solution: give the penalties largest first and each needs only a few Newton steps.
 *
 * @example
 * const fits = fitLogisticPath({ x, y }, [100, 10, 1, 0.1]); // one LogisticFit per λ
 */
export function fitLogisticPath(data: { x: DenseMatrix; y: ArrayLike<number> }, l2s: readonly number[], options: Omit<LogisticOptions, 'l2'> = {}): LogisticFit[] {
  const { x, y } = data;
  checkData(x, y);
  for (const l2 of l2s) if (!(l2 >= 0)) throw new MagpieError('invalid_input', `l2 must be ≥ 0, got ${l2}`, { location: { field: 'l2' } });
  const design = prepare(x, options.skewThreshold ?? 1);
  const beta = new Float64Array(design.p);
  let positives = 0;
  for (let i = 0; i < x.n; i++) positives += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / x.n));
  beta[0] = Math.log(rate / (1 - rate));
  return l2s.map((l2) => {
    const { iterations, converged } = newton(design, y, l2, beta, options.tolerance ?? 1e-8, options.maxIterations ?? 100);
    return { model: new LogisticModel(beta[0]!, beta.slice(1), design.center, design.scale, design.logged), l2, iterations, converged };
  });
}

/**
 * Fits an L2-regularised logistic regression by Newton–Raphson with step halving.
 *
 * @example
 * const { model } = fitLogistic({ x, y }, { l2: 1 });
 * model.coefficients; // log-odds change per standard deviation of each column
 */
export function fitLogistic(data: { x: DenseMatrix; y: ArrayLike<number> }, options: LogisticOptions = {}): LogisticFit {
  return fitLogisticPath(data, [options.l2 ?? 1], options)[0]!;
}
