import { MagpieError } from '../../core/errors.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import { Random } from '../../math/random.js';
import { selectEntries, selectRows } from '../propensity/matrix.js';
import type { PropensityModelKind } from '../propensity/types.js';
import { auuc, qini, upliftCurves, upliftDeciles, type CurveArea, type UpliftCurvePoint, type UpliftDecile } from './curves.js';
import { fitUplift, treatedShare, UPLIFT_METHODS, type ExperimentRows, type UpliftFitOptions, type UpliftMethod } from './estimators.js';

/** An experiment to analyse: rows, feature names, and optionally the true uplift (simulations only). */
export interface UpliftData extends ExperimentRows {
  names: string[];
  trueUplift?: Float64Array;
  userIds?: string[];
}

/** Options of {@link upliftAnalysis}. */
export interface UpliftAnalysisOptions extends UpliftFitOptions {
  /** Default both methods. */
  methods?: readonly UpliftMethod[];
  /** Base learners. Default ['gbt', 'lr']. */
  learners?: readonly PropensityModelKind[];
  /** Share of customers held out for evaluation. Default 0.5. */
  testShare?: number;
  /** Points per curve. Default 101. */
  curvePoints?: number;
}

/**
 * Trees for uplift default to depth 2 with 50 rows a leaf: the effect of a treatment is a small
 * difference between two response rates, and deeper trees fit noise in each that their difference
 * then amplifies.
 */
export const UPLIFT_GBT_DEFAULTS = { maxDepth: 2, minSamplesLeaf: 50 } as const;

/** How one ranking did on the held-out customers. */
export interface UpliftEvaluation {
  /** 'random' and 'oracle' are the reference rankings. */
  method: UpliftMethod | 'random' | 'oracle';
  learner: PropensityModelKind | null;
  qini: CurveArea;
  auuc: CurveArea;
  curve: UpliftCurvePoint[];
  deciles: UpliftDecile[];
  /** Rank correlation of predicted with true uplift, when the truth is known. */
  trueRankCorrelation: number | null;
  trainSeconds: number;
}

/** Everything {@link upliftAnalysis} measured on the held-out customers. */
export interface UpliftResult {
  rows: { train: number; test: number };
  treatedShare: number;
  /** Response rates of the held-out treated and control customers, and their difference with its standard error. */
  test: { treatedRate: number; controlRate: number; averageEffect: number; standardError: number };
  /** One per (method, learner), in the order asked. */
  estimators: UpliftEvaluation[];
  /** A seeded random ranking: its Qini coefficient is the chance level. */
  random: UpliftEvaluation;
  /** Ranking by the true uplift, when known: the ceiling for these data. */
  oracle: UpliftEvaluation | null;
}

/** Spearman's rank correlation (average ranks for ties). */
export function rankCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>): Float64Array => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i]! - v[j]!);
    const r = new Float64Array(v.length);
    for (let k = 0; k < order.length; ) {
      let end = k;
      while (end + 1 < order.length && v[order[end + 1]!] === v[order[k]!]) end++;
      for (let m = k; m <= end; m++) r[order[m]!] = (k + end) / 2;
      k = end + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i]! - mean) * (rb[i]! - mean);
    va += (ra[i]! - mean) ** 2;
    vb += (rb[i]! - mean) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

function evaluate(method: UpliftEvaluation['method'], learner: PropensityModelKind | null, scores: Float64Array, y: Uint8Array, t: Uint8Array, truth: Float64Array | undefined, points: number, seconds: number): UpliftEvaluation {
  return {
    method,
    learner,
    qini: qini(scores, y, t),
    auuc: auuc(scores, y, t),
    curve: upliftCurves(scores, y, t, points),
    deciles: upliftDeciles(scores, y, t, truth),
    trueRankCorrelation: truth ? rankCorrelation(scores, truth) : null,
    trainSeconds: seconds,
  };
}

/**
 * Splits an experiment into training and held-out customers (seeded), fits every requested
 * estimator on the training half and ranks the held-out half: Qini and uplift curves, their
 * coefficients against random and perfect rankings, and deciles of observed (and true) uplift.
 *
 * @example
 * const result = upliftAnalysis(syntheticExperiment({ n: 8000, seed: 1 }), { seed: 2 });
 * result.estimators.map((e) => [e.method, e.learner, e.qini.coefficient]);
 */
export function upliftAnalysis(data: UpliftData, options: UpliftAnalysisOptions = {}, progress: Progress = silentProgress): UpliftResult {
  const n = data.x.n;
  const testShare = options.testShare ?? 0.5;
  if (!(testShare > 0 && testShare < 1)) throw new MagpieError('invalid_input', `testShare must be between 0 and 1, got ${testShare}`, { location: { field: 'testShare' } });
  const seed = options.seed ?? 1;
  const order = new Random(seed).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const cut = Math.round(n * (1 - testShare));
  const trainRows = order.subarray(0, cut).slice().sort();
  const testRows = order.subarray(cut).slice().sort();
  const train = { x: selectRows(data.x, trainRows), y: selectEntries(data.y, trainRows), t: selectEntries(data.t, trainRows) };
  const test = { x: selectRows(data.x, testRows), y: selectEntries(data.y, testRows), t: selectEntries(data.t, testRows) };
  const truth = data.trueUplift ? selectEntries(data.trueUplift, testRows) : undefined;
  const points = options.curvePoints ?? 101;

  let treated = 0;
  let control = 0;
  let tr = 0;
  let cr = 0;
  test.t.forEach((ti, i) => {
    if (ti === 1) {
      treated++;
      tr += test.y[i]!;
    } else {
      control++;
      cr += test.y[i]!;
    }
  });
  if (treated === 0 || control === 0) throw new MagpieError('invalid_input', 'the held-out customers need both treated and control customers', { hint: 'use a larger experiment' });
  const p1 = tr / treated;
  const p0 = cr / control;

  const estimators: UpliftEvaluation[] = [];
  for (const method of options.methods ?? UPLIFT_METHODS) {
    for (const learner of options.learners ?? (['gbt', 'lr'] as const)) {
      const started = performance.now();
      const model = fitUplift(method, learner, train, { ...options, gbt: options.gbt ?? UPLIFT_GBT_DEFAULTS }, progress);
      const seconds = (performance.now() - started) / 1000;
      estimators.push(evaluate(method, learner, model.predict(test.x), test.y, test.t, truth, points, seconds));
    }
  }
  const rng = new Random(seed + 1);
  const random = evaluate('random', null, Float64Array.from({ length: test.y.length }, () => rng.nextFloat()), test.y, test.t, truth, points, 0);
  const oracle = truth ? evaluate('oracle', null, truth, test.y, test.t, truth, points, 0) : null;
  return {
    rows: { train: trainRows.length, test: testRows.length },
    treatedShare: treatedShare(data.t),
    test: { treatedRate: p1, controlRate: p0, averageEffect: p1 - p0, standardError: Math.sqrt((p1 * (1 - p1)) / treated + (p0 * (1 - p0)) / control) },
    estimators,
    random,
    oracle,
  };
}
