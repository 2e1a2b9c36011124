import { ensembleDetails, ensembleImportances, predictEnsemble, type CrossFitEnsemble } from './ensemble.js';
import { averagePrecision, brierScore, calibrationBins, expectedCalibrationError, logLoss, prCurve, rocAuc, rocCurve, thinCurve } from '../../eval/classification.js';
import type { DenseMatrix } from './matrix.js';
import type { ClassifierMetrics, ModelEvaluation } from './types.js';

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * AUC, average precision, log loss, Brier score and calibration error of `probabilities`.
 *
 * @example
 * classifierMetrics([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]).auc; // 0.75
 */
export function classifierMetrics(probabilities: ArrayLike<number>, labels: ArrayLike<number>): ClassifierMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  return {
    rows: labels.length,
    positives,
    baseRate: labels.length > 0 ? positives / labels.length : 0,
    auc: orNull(rocAuc(probabilities, labels)),
    averagePrecision: orNull(averagePrecision(probabilities, labels)),
    logLoss: logLoss(probabilities, labels),
    brier: brierScore(probabilities, labels),
    ece: orNull(expectedCalibrationError(calibrationBins(probabilities, labels))),
  };
}

/** The evaluation of a cross-fitted model: out-of-fold on the training rows, raw and calibrated on the test rows. */
export function evaluateEnsemble(ensemble: CrossFitEnsemble, trainLabels: Uint8Array, test: DenseMatrix, testLabels: Uint8Array, names: readonly string[]): ModelEvaluation {
  const { raw, calibrated } = predictEnsemble(ensemble, test);
  return {
    model: ensemble.kind,
    test: { raw: classifierMetrics(raw, testLabels), calibrated: classifierMetrics(calibrated, testLabels) },
    outOfFold: classifierMetrics(ensemble.outOfFold, trainLabels),
    calibration: { raw: calibrationBins(raw, testLabels), calibrated: calibrationBins(calibrated, testLabels) },
    roc: thinCurve(rocCurve(calibrated, testLabels)),
    pr: thinCurve(prCurve(calibrated, testLabels)),
    importances: ensembleImportances(ensemble, names),
    trainSeconds: ensemble.trainSeconds,
    details: ensembleDetails(ensemble),
  };
}
