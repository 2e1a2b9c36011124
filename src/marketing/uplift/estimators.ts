import { MagpieError } from '../../core/errors.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import { trainClassifier, type BinaryClassifier, type LearnerOptions } from '../propensity/learners.js';
import { selectEntries, selectRows, type DenseMatrix } from '../propensity/matrix.js';
import { stratifiedSplit } from '../propensity/split.js';
import type { PropensityModelKind } from '../propensity/types.js';

// Two ways to learn who responds to a treatment from a randomised experiment:
// - T-learner: one response model on the treated, one on the control group; uplift = p₁(x) − p₀(x).
// - Class transformation (Jaskowski & Jaroszewicz 2012): z = y·t + (1 − y)(1 − t) is 1 for treated
//   responders and control non-responders. When P(t = 1) = ½, P(z = 1 | x) = ½ + ½·uplift(x), so
//   one classifier on z gives uplift = 2·P(z = 1 | x) − 1.

/** How uplift is estimated. */
export type UpliftMethod = 't-learner' | 'class-transformation';

/** Every {@link UpliftMethod}, for option parsing. */
export const UPLIFT_METHODS: readonly UpliftMethod[] = ['t-learner', 'class-transformation'];

/** A randomised experiment: features, 0/1 outcome, 0/1 treatment per customer. */
export interface ExperimentRows {
  x: DenseMatrix;
  y: Uint8Array;
  t: Uint8Array;
}

/** A fitted uplift estimator. */
export interface UpliftModel {
  method: UpliftMethod;
  learner: PropensityModelKind;
  /** Predicted uplift (change in response probability from treatment) per row, in [−1, 1]. */
  predict(x: DenseMatrix): Float64Array;
}

/** Options of {@link fitUplift}. */
export interface UpliftFitOptions extends LearnerOptions {
  /** Share of each model's rows held out for early stopping and λ. Default 0.2. */
  validationShare?: number;
  /** Largest allowed |P(t = 1) − ½| for the class transformation. Default 0.05. */
  balanceTolerance?: number;
}

function trainOn(kind: PropensityModelKind, x: DenseMatrix, y: Uint8Array, options: UpliftFitOptions, seed: number, progress: Progress): BinaryClassifier {
  const folds = stratifiedSplit(y, options.validationShare ?? 0.2, seed);
  const fit = { x: selectRows(x, folds.fit), y: selectEntries(y, folds.fit) };
  const validation = { x: selectRows(x, folds.validation), y: selectEntries(y, folds.validation) };
  return trainClassifier(kind, fit, validation, { ...options, seed }, progress);
}

/** Share of rows with t = 1. */
export function treatedShare(t: ArrayLike<number>): number {
  let treated = 0;
  for (let i = 0; i < t.length; i++) treated += t[i]!;
  return t.length > 0 ? treated / t.length : 0;
}

/**
 * Fits an uplift estimator with gradient-boosted trees or logistic regression as the base learner.
 *
 * @example
 * const model = fitUplift('class-transformation', 'gbt', { x, y, t }, { seed: 3 });
 * const uplift = model.predict(candidates); // target the highest first
 */
export function fitUplift(method: UpliftMethod, learner: PropensityModelKind, data: ExperimentRows, options: UpliftFitOptions = {}, progress: Progress = silentProgress): UpliftModel {
  const { x, y, t } = data;
  if (y.length !== x.n || t.length !== x.n) throw new MagpieError('invalid_input', `${x.n} rows but ${y.length} outcomes and ${t.length} treatment flags`);
  const seed = options.seed ?? 1;
  if (method === 't-learner') {
    const treated = Int32Array.from(Array.from(t.keys()).filter((i) => t[i] === 1));
    const control = Int32Array.from(Array.from(t.keys()).filter((i) => t[i] === 0));
    for (const [name, rows] of [['treated', treated], ['control', control]] as const) {
      const positives = selectEntries(y, rows).reduce((a, b) => a + b, 0);
      if (rows.length < 10 || positives === 0 || positives === rows.length) {
        throw new MagpieError('invalid_input', `the ${name} group has ${rows.length} customers of whom ${positives} responded; a response model needs both outcomes`, { hint: 'use a larger experiment' });
      }
    }
    const onTreated = trainOn(learner, selectRows(x, treated), selectEntries(y, treated), options, seed, progress);
    const onControl = trainOn(learner, selectRows(x, control), selectEntries(y, control), options, seed + 1, progress);
    return {
      method,
      learner,
      predict: (rows) => {
        const p1 = onTreated.predict(rows);
        const p0 = onControl.predict(rows);
        return p1.map((p, i) => p - p0[i]!);
      },
    };
  }
  if (method !== 'class-transformation') throw new MagpieError('invalid_input', `unknown uplift method "${String(method)}"`, { location: { field: 'method' }, hint: `use one of ${UPLIFT_METHODS.join(', ')}` });
  const share = treatedShare(t);
  const tolerance = options.balanceTolerance ?? 0.05;
  if (Math.abs(share - 0.5) > tolerance) {
    throw new MagpieError('invalid_input', `the class transformation needs a 50/50 randomisation, but ${(share * 100).toFixed(1)}% of customers were treated`, {
      location: { field: 'method' },
      hint: 'use the t-learner, or subsample the larger group to balance the experiment',
    });
  }
  const z = Uint8Array.from(y, (yi, i) => (yi === t[i] ? 1 : 0));
  const model = trainOn(learner, x, z, options, seed, progress);
  return { method, learner, predict: (rows) => model.predict(rows).map((p) => 2 * p - 1) };
}
