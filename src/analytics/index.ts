// Engagement analytics over the store: active users, cohort retention, funnels, repeat purchase,
// orders, recommendation impact, the user-state Markov model and the engagement Bayesian network.
// Each analysis takes a Store and options and returns typed rows (or a model object) that the CLI
// prints and writes as JSON unchanged.
export { activeUsers, type ActiveUsersRow } from './active-users.js';
export { funnel, parseSteps, DEFAULT_FUNNEL, type FunnelOptions, type FunnelRow } from './funnel.js';
export { orders, type OrdersRow } from './orders.js';
export { repeatPurchase, WHOLE_RANGE, type RepeatPurchaseRow } from './repeat-purchase.js';
export { retention, type RetentionRow } from './retention.js';
export { parseSegment, type AnalyticsOptions, type Segment } from './options.js';
export { GRANULARITIES, periodLabel, parseTime, type Granularity } from './periods.js';
export { ANALYSES, analysisName, runAnalysis, type AnalysisName, type AnalysisOptions, type AnalysisRows } from './run.js';
export { ALL_PERIODS, recommendationImpact, type RecImpactOptions, type RecImpactRow } from './rec-impact.js';
export { analyzeUserStates, whatIf, USER_STATES, type UserState, type UserStateModel, type UserStateOptions, type WhatIfChange, type WhatIfResult } from './user-states/index.js';
export { learnEngagementNetwork, query, type BayesNet, type EngagementNetwork, type EngagementNetworkOptions } from './bayes-net/index.js';
