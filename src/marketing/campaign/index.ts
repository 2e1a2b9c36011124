// Campaign analysis: difference in differences with clustered errors, and the per-customer
// before/after panel it is usually run on.
export { differenceInDifferences, type DidCell, type DidObservation, type DidOptions, type DidResult } from './did.js';
export { campaignPanel, type PanelMetric, type PanelOptions } from './panel.js';
export { studentTCdf, studentTQuantile } from '../../analytics/ab-stats/distributions.js';
