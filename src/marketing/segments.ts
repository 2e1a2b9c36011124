import { MagpieError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { baseline, summarise, type SegmentSummary } from './describe.js';
import { featureMatrix, type FeatureMatrixOptions } from './feature-matrix.js';
import { customerFeatures, type CustomerFeatures, type FeatureOptions } from './features.js';
import { kmeans, type KMeansResult } from './kmeans.js';
import { rfmScores, rfmSegment, RFM_SEGMENTS, type RfmScore } from './rfm.js';
import { chooseK, silhouette, type KCandidate } from './silhouette.js';

/** How customers are grouped: RFM quintile grid or k-means on behaviour features. */
export type SegmentMethod = 'rfm' | 'kmeans';

/** Every {@link SegmentMethod}, for option parsing. */
export const SEGMENT_METHODS: readonly SegmentMethod[] = ['rfm', 'kmeans'];

/** Options of {@link segmentCustomers}. */
export interface SegmentOptions extends FeatureOptions, Pick<FeatureMatrixOptions, 'categoryShares'> {
  /** Default 'rfm'. */
  method?: SegmentMethod;
  /** k-means: a number of clusters, or 'auto' (default) for the best silhouette in [minK, maxK]. */
  k?: number | 'auto';
  /** k-means with k 'auto': the range tried. Default 2…8. */
  minK?: number;
  maxK?: number;
  /** k-means seeding and silhouette sampling. Default 1. */
  seed?: number;
}

/** One customer's segment, RFM scores (computed for either method) and features. */
export interface CustomerSegment {
  userId: string;
  segment: string;
  rfm: RfmScore;
  features: CustomerFeatures;
}

/** How the k-means segmentation was made. */
export interface KMeansInfo {
  k: number;
  /** Mean silhouette of the clustering kept. */
  silhouette: number;
  /** Every k tried (just the one when k was given). */
  candidates: KCandidate[];
  /** Columns clustered on, and whether each was log-transformed. */
  columns: string[];
  logged: boolean[];
}

/** The result of {@link segmentCustomers}. */
export interface Segmentation {
  method: SegmentMethod;
  /** Reference time, epoch ms. */
  asOf: number;
  /** Every customer exactly once, ordered by id. */
  customers: CustomerSegment[];
  /** Non-empty segments: RFM in {@link RFM_SEGMENTS} order; k-means clusters by mean spend, highest first. */
  segments: SegmentSummary[];
  kmeans?: KMeansInfo;
}

/** Checks a method name from the command line or an API call. */
export function segmentMethod(name: string): SegmentMethod {
  if ((SEGMENT_METHODS as readonly string[]).includes(name)) return name as SegmentMethod;
  throw new MagpieError('invalid_input', `unknown segmentation method "${name}"`, { location: { field: 'method' }, hint: `use one of ${SEGMENT_METHODS.join(', ')}` });
}

function clusterWithKMeans(customers: readonly CustomerFeatures[], options: SegmentOptions): { labels: string[]; order: string[]; info: KMeansInfo } {
  const matrix = featureMatrix(customers, options);
  const seed = options.seed ?? 1;
  const k = options.k ?? 'auto';
  let result: KMeansResult;
  let score: number;
  let candidates: KCandidate[];
  if (k === 'auto') {
    const choice = chooseK(matrix, options.minK ?? 2, options.maxK ?? 8, { seed });
    result = choice.best;
    score = choice.silhouette;
    candidates = choice.candidates;
  } else {
    if (!Number.isInteger(k) || k < 1 || k > customers.length) {
      throw new MagpieError('invalid_input', `k must be a whole number from 1 to the number of customers (${customers.length}), got ${k}`, { location: { field: 'k' } });
    }
    result = kmeans(matrix, k, { seed });
    score = silhouette(matrix, result.assignments, k, { seed });
    candidates = [{ k, silhouette: score, inertia: result.inertia }];
  }
  // Cluster numbers from k-means depend on the seed; naming them by spend rank makes "cluster 1"
  // mean the same thing (the best customers) on every run.
  const spend = new Float64Array(result.k);
  const size = new Float64Array(result.k);
  customers.forEach((c, i) => {
    spend[result.assignments[i]!]! += c.monetary;
    size[result.assignments[i]!]!++;
  });
  const rank = Array.from({ length: result.k }, (_, c) => c)
    .filter((c) => size[c]! > 0)
    .sort((a, b) => spend[b]! / size[b]! - spend[a]! / size[a]! || a - b);
  const name = new Map(rank.map((c, i) => [c, `cluster ${i + 1}`]));
  return {
    labels: customers.map((_, i) => name.get(result.assignments[i]!)!),
    order: rank.map((c) => name.get(c)!),
    info: { k: result.k, silhouette: score, candidates, columns: matrix.names, logged: matrix.logged },
  };
}

/**
 * Segments every customer (a known user with a purchase before `asOf`) by RFM or by k-means, and
 * describes each segment. Features come from SQL on the store; scoring and clustering run here.
 *
 * @example
 * const rfm = await segmentCustomers(store, { method: 'rfm', asOf: '2011-12-01' });
 * rfm.segments[0]; // { segment: 'Champions', size: 812, share: 0.19, meanMonetary: 6_210.4, description: 'frequent high spenders, last seen 6 days ago, …' }
 * const clusters = await segmentCustomers(store, { method: 'kmeans', k: 'auto', seed: 7 });
 * clusters.kmeans?.k; // the k with the best silhouette in 2…8
 */
export async function segmentCustomers(store: Store, options: SegmentOptions = {}): Promise<Segmentation> {
  const method = options.method ?? 'rfm';
  const featureOptions: FeatureOptions = {};
  if (options.asOf !== undefined) featureOptions.asOf = options.asOf;
  if (options.from !== undefined) featureOptions.from = options.from;
  const { asOf, customers } = await customerFeatures(store, featureOptions);
  const scores = rfmScores(customers);
  let labels: string[];
  let order: readonly string[];
  let info: KMeansInfo | undefined;
  if (method === 'rfm') {
    labels = scores.map(rfmSegment);
    order = RFM_SEGMENTS;
  } else if (customers.length < 3 && (options.k ?? 'auto') === 'auto') {
    // A silhouette needs two clusters with a point to spare; so few customers are one group.
    labels = customers.map(() => 'cluster 1');
    order = ['cluster 1'];
  } else {
    ({ labels, order, info } = clusterWithKMeans(customers, options));
  }
  const members = new Map<string, CustomerFeatures[]>(order.map((name) => [name, []]));
  customers.forEach((c, i) => members.get(labels[i]!)!.push(c));
  const base = baseline(customers);
  const segments = [...members.entries()].filter(([, list]) => list.length > 0).map(([name, list]) => summarise(name, list, customers.length, base));
  return {
    method,
    asOf,
    customers: customers.map((features, i) => ({ userId: features.userId, segment: labels[i]!, rfm: scores[i]!, features })),
    segments,
    ...(info ? { kmeans: info } : {}),
  };
}
