import type { CalibrationMethod } from './calibration.js';
import type { FeatureContribution } from './explain.js';
import type { Population } from './feature-spec.js';
import type { GbtOptions } from './gbt/gbt.js';
import type { PropensityTarget } from './labels.js';
import type { CalibrationBin, PrPoint, RocPoint } from '../../eval/classification.js';

/** Which learner: gradient-boosted trees or the logistic-regression baseline. */
export type PropensityModelKind = 'gbt' | 'lr';

/** Options of {@link trainPropensity}. Times are epoch ms or dates such as `2011-10-11`. */
export interface PropensityOptions {
  /** Default 'purchase'. */
  target?: PropensityTarget;
  /** Length N of the label window in days. Default 30 for purchase, 90 for churn. */
  horizonDays?: number;
  /** Training cut-off T1; the test cut-off is T1 + N. Default: the data's end − 2N, at midnight. */
  cutoff?: number | string;
  /** When the per-customer scores are made. Default: the midnight after the last event (the data's end). */
  scoreAt?: number | string;
  /**
   * Cross-fitting folds of the training customers: one model per fold, stopped early and calibrated
   * on its held-out fold; predictions average them. Default 5; 1 trains one model on a single split.
   */
  folds?: number;
  /** With `folds: 1`, the share of training customers held out. Default 0.2. */
  validationShare?: number;
  /** Default 'platt': two parameters fitted on a fold of a few hundred customers move less than isotonic steps. */
  calibration?: CalibrationMethod;
  /** The model whose scores and explanations are returned per customer. Default 'gbt'. */
  model?: PropensityModelKind;
  gbt?: GbtOptions;
  /** L2 penalty of the logistic regression; default: the best of 0.1, 1, 10, 100 on the validation fold. */
  l2?: number;
  /** Seed of the validation split and of the trees' sampling. Default 1. */
  seed?: number;
  /** Top contributing features kept per customer. Default 3. */
  explainTop?: number;
}

/** Quality of one set of probabilities against the labels. Undefined figures (one class only) are null. */
export interface ClassifierMetrics {
  rows: number;
  positives: number;
  /** positives ÷ rows. */
  baseRate: number;
  auc: number | null;
  /** Average precision (step-wise area under the precision–recall curve). */
  averagePrecision: number | null;
  logLoss: number;
  brier: number;
  /** Expected calibration error over the 10-bin table. */
  ece: number | null;
}

/** How one fold model was trained. */
export interface ModelDetails {
  rounds?: number;
  l2?: number;
  iterations?: number;
  converged?: boolean;
}

/** One feature's weight in a model. */
export interface FeatureImportance {
  feature: string;
  /** Trees: share of total split gain. Logistic regression: |standardised coefficient|. */
  importance: number;
  /** Logistic regression only: the signed coefficient (log-odds per standard deviation). */
  coefficient?: number;
  /** Trees only: number of splits on the feature. */
  splits?: number;
}

/** A model evaluated on the test window, before and after calibration. */
export interface ModelEvaluation {
  model: PropensityModelKind;
  /** Metrics of raw and calibrated probabilities on the test window. */
  test: { raw: ClassifierMetrics; calibrated: ClassifierMetrics };
  /** Out-of-fold metrics on the training customers (raw probabilities of the model that did not see them). */
  outOfFold: ClassifierMetrics;
  /** 10-bin reliability tables on the test window. */
  calibration: { raw: CalibrationBin[]; calibrated: CalibrationBin[] };
  /** Curves on the test window (calibrated probabilities), thinned to ≤ 201 points for charts. */
  roc: RocPoint[];
  pr: PrPoint[];
  /** Most important first, averaged over the fold models. */
  importances: FeatureImportance[];
  /** Wall time of training every fold model. */
  trainSeconds: number;
  /** Per fold model. Trees: rounds kept after early stopping. Logistic regression: λ chosen, Newton iterations. */
  details: ModelDetails[];
}

/** A customer's score at {@link PropensityResult.scoredAt}. */
export interface CustomerScore {
  userId: string;
  /** Calibrated probability of the target (purchase, or churn) within the horizon. */
  probability: number;
  /** The model's probability before calibration. */
  rawProbability: number;
  /** What happened in the window after the scoring time, when the data covers it; else null. */
  label: 0 | 1 | null;
  /** Features that moved this customer's score most, in log-odds. */
  reasons: FeatureContribution[];
}

/** Everything {@link trainPropensity} produced. Times are epoch ms. */
export interface PropensityResult {
  target: PropensityTarget;
  horizonDays: number;
  population: Population;
  /** Features at T1 train the models; their labels cover [T1, T1 + N). */
  trainCutoff: number;
  /** Features at T2 = T1 + N test them; labels cover [T2, T2 + N). */
  testCutoff: number;
  /** Midnight after the last event. */
  dataEnd: number;
  scoredAt: number;
  calibrationMethod: CalibrationMethod;
  features: string[];
  train: { customers: number; positives: number; folds: number };
  test: { customers: number; positives: number };
  /** The model whose scores are returned. */
  primary: PropensityModelKind;
  models: Record<PropensityModelKind, ModelEvaluation>;
  /** Every customer of the population at `scoredAt`, highest probability first. */
  scores: CustomerScore[];
  seconds: { load: number; features: number; total: number };
}
