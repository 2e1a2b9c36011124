// Customer segments: per-customer behaviour features from the store, RFM quintile scores with
// named segments, k-means clusters with k chosen by silhouette, segment descriptions and exports.
export { customerFeatures, type CategorySpend, type CustomerFeatures, type CustomerTable, type FeatureOptions } from './features.js';
export { quintileScores, rfmCode, rfmScores, rfmSegment, RFM_SEGMENTS, type RfmScore, type RfmSegment } from './rfm.js';
export { kmeans, kmeansPlusPlus, type KMeansOptions, type KMeansResult, type Points } from './kmeans.js';
export { chooseK, silhouette, type KCandidate, type KChoice, type SilhouetteOptions } from './silhouette.js';
export { BEHAVIOUR_COLUMNS, featureMatrix, skewness, topCategories, type BehaviourColumn, type FeatureMatrix, type FeatureMatrixOptions } from './feature-matrix.js';
export { baseline, categoryShares, describeSegment, summarise, type Baseline, type CategoryShare, type SegmentSummary } from './describe.js';
export { segmentCustomers, segmentMethod, SEGMENT_METHODS, type CustomerSegment, type KMeansInfo, type SegmentMethod, type SegmentOptions, type Segmentation } from './segments.js';
export { csvField, exportRows, toCsv, type SegmentExportRow } from './export.js';
export * as propensity from './propensity/index.js';
export * as uplift from './uplift/index.js';
export * as campaign from './campaign/index.js';
