// Campaign targeting by predicted uplift: T-learner and class-transformation estimators on the
// propensity learners, Qini and uplift curves, synthetic and semi-synthetic experiments.
export { auuc, qini, upliftCurves, upliftDeciles, type CurveArea, type UpliftCurvePoint, type UpliftDecile } from './curves.js';
export { fitUplift, treatedShare, UPLIFT_METHODS, type ExperimentRows, type UpliftFitOptions, type UpliftMethod, type UpliftModel } from './estimators.js';
export { rankCorrelation, upliftAnalysis, UPLIFT_GBT_DEFAULTS, type UpliftAnalysisOptions, type UpliftData, type UpliftEvaluation, type UpliftResult } from './analysis.js';
export { syntheticExperiment, type SyntheticExperiment } from './synthetic.js';
export {
  campaignData,
  hashUniform,
  semiSyntheticCampaign,
  semiSyntheticFromLog,
  SIMULATED_EFFECT,
  SIMULATED_EFFECT_RULE,
  type CampaignAssignment,
  type CampaignData,
  type SemiSyntheticCampaign,
  type SemiSyntheticOptions,
} from './campaign-data.js';
