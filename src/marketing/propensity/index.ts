// Purchase-propensity and churn models: leak-free per-customer features at a cut-off, gradient-
// boosted trees and a logistic-regression baseline, calibration, evaluation on a later window,
// importances and per-customer explanations.
export { loadActivity, type ActivityLog, type ActivityOptions } from './activity.js';
export { CORE_FEATURES, ENGAGEMENT_WINDOWS, fitFeatureSpec, populationAt, type AttributeColumn, type FeatureSpec, type Population } from './feature-spec.js';
export { featureTable, type FeatureTable } from './features.js';
export { DEFAULT_HORIZON_DAYS, labelsAt, populationOf, PROPENSITY_TARGETS, type PropensityTarget } from './labels.js';
export { fitGbt, marginLogLoss, type GbtFit, type GbtOptions, type LabelledRows } from './gbt/gbt.js';
export { GbtModel, type GbtJson } from './gbt/model.js';
export { fitLogistic, fitLogisticPath, LogisticModel, type LogisticFit, type LogisticJson, type LogisticOptions } from './logistic.js';
export { CALIBRATION_METHODS, fitCalibrator, fitIsotonic, fitPlatt, pava, type CalibrationMethod, type Calibrator } from './calibration.js';
export { averagePrecision, brierScore, calibrationBins, expectedCalibrationError, logLoss, prCurve, rocAuc, rocCurve, type CalibrationBin, type PrPoint, type RocPoint } from '../../eval/classification.js';
export { classifierMetrics, evaluateEnsemble } from './evaluate.js';
export { crossFit, ensembleContributions, ensembleImportances, predictEnsemble, type CrossFitEnsemble } from './ensemble.js';
export { topContributions, type FeatureContribution } from './explain.js';
export { trainClassifier, type BinaryClassifier, type LearnerOptions } from './learners.js';
export { selectRows, sigmoid, type DenseMatrix } from './matrix.js';
export { stratifiedFolds, stratifiedSplit, type Folds } from './split.js';
export { dataEndOf, planPropensity, propensityTarget, trainPropensity, type PropensityPlan } from './train.js';
export type { ClassifierMetrics, CustomerScore, FeatureImportance, ModelDetails, ModelEvaluation, PropensityModelKind, PropensityOptions, PropensityResult } from './types.js';
