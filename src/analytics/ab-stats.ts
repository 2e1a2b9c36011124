/**
 * A/B test statistics, as pure functions: rates with Wilson intervals, the two-proportion z-test,
 * relative lift, Welch's t-test, a seeded bootstrap, sample-size planning, the sample-ratio-mismatch
 * check and the mSPRT always-valid p-value that makes peeking safe. The experiment service
 * (serve/experiments) builds its reports from these; analysts can call them directly.
 *
 * @example
 * wilsonInterval(40, 100); // { value: 0.4, low: 0.3094, high: 0.4980 }
 * twoProportionZTest({ successes: 200, trials: 2000 }, { successes: 250, trials: 2000 }).pValue; // 0.0124
 * sampleSizeTwoProportions({ baseline: 0.1, minimumDetectableEffect: 0.05 }).control; // 686
 */
export type { Alternative } from './ab-stats/checks.js';
export {
  chiSquareSurvival,
  logBeta,
  logGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from './ab-stats/distributions.js';
export { criticalZ, proportionLift, relativeLift, twoProportionZTest, wilsonInterval, type Estimate, type Interval, type Proportion, type TwoProportionTest } from './ab-stats/proportions.js';
export { meanInterval, summarize, welchTTest, type SampleSummary, type WelchTest } from './ab-stats/means.js';
export { bootstrapMeanDifference, sortedQuantile, type BootstrapOptions, type BootstrapResult } from './ab-stats/bootstrap.js';
export { sampleSizeMeans, sampleSizeTwoProportions, type PlanOptions, type SampleSize } from './ab-stats/sample-size.js';
export { mixtureSprt, msprtMeans, msprtTwoProportions, type SequentialTest } from './ab-stats/sequential.js';
export { sampleRatioMismatch, type RatioMismatch } from './ab-stats/ratio-mismatch.js';
