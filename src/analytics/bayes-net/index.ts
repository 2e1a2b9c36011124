// Discrete Bayesian networks: a small generic library (variables with finite domains, structure
// learning by hill climbing on BIC, CPTs with Dirichlet smoothing, exact inference by variable
// elimination) and its use on the event log: a network of engagement drivers and next-month purchase.
export { discreteData, parentsFromNames, topologicalOrder, variableIndex, type BayesNet, type DiscreteData, type Variable } from './network.js';
export { cptFromCounts, familyBic, familyCounts, fitNetwork, networkBic } from './fit.js';
export { learnStructure, type LearnedStructure, type StructureOptions } from './learn.js';
export { query } from './inference.js';
export { OUTCOME, engagementVariables, type EngagementData, type EngagementVariable, type UnavailableVariable } from './engagement-data.js';
export { DISCOUNT_SHARE, userFeatures, type FeatureTable, type FeatureWindow, type UserFeatures } from './engagement-features.js';
export {
  engagementDataset,
  learnEngagementNetwork,
  type DriverEffect,
  type EngagementNetwork,
  type EngagementNetworkOptions,
  type OutcomeCptRow,
} from './engagement.js';
