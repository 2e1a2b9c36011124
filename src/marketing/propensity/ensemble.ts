import { silentProgress, type Progress } from '../../core/progress.js';
import { fitCalibrator, type CalibrationMethod, type Calibrator } from './calibration.js';
import { trainClassifier, type BinaryClassifier, type LearnerOptions } from './learners.js';
import { selectEntries, selectRows, type DenseMatrix } from './matrix.js';
import type { Folds } from './split.js';
import type { FeatureImportance, ModelDetails, PropensityModelKind } from './types.js';

// Cross-fitting: one model per fold, each stopped early and calibrated on the fold it did not
// train on; predictions average the fold models (raw and calibrated alike). Every training row
// thereby gets an out-of-fold prediction, the averaged models vary less than any one of them, and
// no calibrator ever sees rows its model was fitted on.

/** K fold models of one kind with their calibrators. */
export interface CrossFitEnsemble {
  kind: PropensityModelKind;
  members: { classifier: BinaryClassifier; calibrator: Calibrator }[];
  /** Out-of-fold raw probability of every training row. */
  outOfFold: Float64Array;
  trainSeconds: number;
}

/** Trains one model per fold and calibrates each on its held-out rows. */
export function crossFit(kind: PropensityModelKind, x: DenseMatrix, y: Uint8Array, folds: readonly Folds[], method: CalibrationMethod, learner: LearnerOptions, progress: Progress = silentProgress): CrossFitEnsemble {
  const started = performance.now();
  const outOfFold = new Float64Array(x.n);
  const members = folds.map((fold, k) => {
    const fit = { x: selectRows(x, fold.fit), y: selectEntries(y, fold.fit) };
    const validation = { x: selectRows(x, fold.validation), y: selectEntries(y, fold.validation) };
    const classifier = trainClassifier(kind, fit, validation, { ...learner, seed: (learner.seed ?? 1) + k }, progress);
    const held = classifier.predict(validation.x);
    fold.validation.forEach((row, j) => (outOfFold[row] = held[j]!));
    return { classifier, calibrator: fitCalibrator(method, held, validation.y) };
  });
  return { kind, members, outOfFold, trainSeconds: (performance.now() - started) / 1000 };
}

/** Mean raw and mean calibrated probability of the members. */
export function predictEnsemble(ensemble: CrossFitEnsemble, x: DenseMatrix): { raw: Float64Array; calibrated: Float64Array } {
  const raw = new Float64Array(x.n);
  const calibrated = new Float64Array(x.n);
  const k = ensemble.members.length;
  for (const { classifier, calibrator } of ensemble.members) {
    const p = classifier.predict(x);
    const c = calibrator.apply(p);
    for (let i = 0; i < x.n; i++) {
      raw[i]! += p[i]! / k;
      calibrated[i]! += c[i]! / k;
    }
  }
  return { raw, calibrated };
}

/** Mean log-odds contributions of row i over the members (one per feature, then the bias). */
export function ensembleContributions(ensemble: CrossFitEnsemble, x: DenseMatrix, i: number): Float64Array {
  const out = new Float64Array(x.d + 1);
  for (const { classifier } of ensemble.members) {
    const c = classifier.contributions(x, i);
    for (let j = 0; j <= x.d; j++) out[j]! += c[j]! / ensemble.members.length;
  }
  return out;
}

/** Importances averaged over the members (coefficients averaged, splits summed), most important first. */
export function ensembleImportances(ensemble: CrossFitEnsemble, names: readonly string[]): FeatureImportance[] {
  const total = new Map<string, FeatureImportance>();
  const k = ensemble.members.length;
  for (const { classifier } of ensemble.members) {
    for (const imp of classifier.importances(names)) {
      const acc = total.get(imp.feature) ?? { feature: imp.feature, importance: 0 };
      acc.importance += imp.importance / k;
      if (imp.coefficient !== undefined) acc.coefficient = (acc.coefficient ?? 0) + imp.coefficient / k;
      if (imp.splits !== undefined) acc.splits = (acc.splits ?? 0) + imp.splits;
      total.set(imp.feature, acc);
    }
  }
  return [...total.values()].sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));
}

/** Per-member training details (rounds kept, λ chosen), in fold order. */
export function ensembleDetails(ensemble: CrossFitEnsemble): ModelDetails[] {
  return ensemble.members.map((m) => m.classifier.details);
}
