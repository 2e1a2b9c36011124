import { silentProgress, type Progress } from '../../core/progress.js';
import { logLoss } from '../../eval/classification.js';
import { fitGbt, type GbtOptions, type LabelledRows } from './gbt/gbt.js';
import { fitLogisticPath, type LogisticModel } from './logistic.js';
import type { DenseMatrix } from './matrix.js';
import type { FeatureImportance, ModelDetails, PropensityModelKind } from './types.js';
import type { GbtModel } from './gbt/model.js';

// The two learners behind one small interface, so propensity and uplift train either the same way.

/** A trained binary classifier. */
export interface BinaryClassifier {
  kind: PropensityModelKind;
  /** Probability of label 1 per row. */
  predict(x: DenseMatrix): Float64Array;
  /** Log-odds contributions of row i: one per feature, then the bias. */
  contributions(x: DenseMatrix, i: number): Float64Array;
  /** Feature weights, most important first. */
  importances(names: readonly string[]): FeatureImportance[];
  details: ModelDetails;
  /** The model's parameters as plain JSON. */
  toJSON(): unknown;
}

/** Settings of {@link trainClassifier}. */
export interface LearnerOptions {
  gbt?: GbtOptions;
  /** Fixed L2 penalty of the logistic regression; default: chosen on the validation fold. */
  l2?: number;
  seed?: number;
}

/** Penalties tried when none is given, largest first (warm starts); the lowest validation log loss wins. */
export const L2_GRID = [100, 10, 1, 0.1] as const;

function gbtClassifier(model: GbtModel, rounds: number): BinaryClassifier {
  return {
    kind: 'gbt',
    predict: (x) => model.predict(x),
    contributions: (x, i) => model.contributions(x, i),
    importances: (names) => {
      const gain = model.gainImportance();
      const splits = model.splitCounts();
      return names.map((feature, j) => ({ feature, importance: gain[j]!, splits: splits[j]! })).sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature));
    },
    details: { rounds },
    toJSON: () => model.toJSON(),
  };
}

function lrClassifier(model: LogisticModel, l2: number, iterations: number, converged: boolean): BinaryClassifier {
  return {
    kind: 'lr',
    predict: (x) => model.predict(x),
    contributions: (x, i) => model.contributions(x, i),
    importances: (names) =>
      names
        .map((feature, j) => ({ feature, importance: Math.abs(model.coefficients[j]!), coefficient: model.coefficients[j]! }))
        .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature)),
    details: { l2, iterations, converged },
    toJSON: () => model.toJSON(),
  };
}

/**
 * Trains one learner on `fit`; the validation fold stops the trees early and, when no penalty is
 * given, picks the logistic regression's λ.
 */
export function trainClassifier(kind: PropensityModelKind, fit: LabelledRows, validation: LabelledRows | undefined, options: LearnerOptions = {}, progress: Progress = silentProgress): BinaryClassifier {
  if (kind === 'gbt') {
    const result = fitGbt(fit, { seed: options.seed ?? 1, ...options.gbt }, validation, progress);
    return gbtClassifier(result.model, result.rounds);
  }
  const grid = options.l2 !== undefined || !validation ? [options.l2 ?? 1] : [...L2_GRID];
  progress.start('logistic regression', grid.length);
  let best: { classifier: BinaryClassifier; loss: number } | null = null;
  for (const { model, l2, iterations, converged } of fitLogisticPath(fit, grid)) {
    const loss = validation ? logLoss(model.predict(validation.x), validation.y) : 0;
    if (best === null || loss < best.loss) best = { classifier: lrClassifier(model, l2, iterations, converged), loss };
    progress.tick(1, { l2, valid: loss });
  }
  progress.stop();
  return best!.classifier;
}
