import type { DenseMatrix } from '../matrix.js';

// Histogram boosting works on small integer bins instead of raw values: each feature's values are
// cut at (at most maxBins − 1) quantile edges once, and every split search then scans a histogram
// of at most 256 bins instead of sorting rows. Bin 0 holds missing values (NaN); value bins are
// 1…edges.length + 1, with x in bin b + 1 exactly when edges[b − 1] < x ≤ edges[b].

/** Largest number of value bins per feature: bin indices must fit a byte with bin 0 for missing. */
export const MAX_BINS = 255;

/** Bin edges of every feature and the binned training matrix. */
export interface BinnedMatrix {
  /** Row-major n × d bin indices. */
  bins: Uint8Array;
  n: number;
  d: number;
  /** edges[f]: ascending cut points of feature f. */
  edges: Float64Array[];
}

/**
 * Cut points of one feature: midpoints between neighbouring distinct values when there are few
 * enough, else values at evenly spaced quantiles (deduplicated).
 */
export function featureEdges(column: Float64Array, maxBins: number): Float64Array {
  const sorted = column.filter((x) => !Number.isNaN(x)).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= maxBins) {
    const edges = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i + 1 < distinct.length; i++) edges[i] = (distinct[i]! + distinct[i + 1]!) / 2;
    return edges;
  }
  const cuts: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const value = sorted[Math.floor((q * sorted.length) / maxBins) - 1]!;
    // The largest value is never a cut: nothing would be right of it.
    if (value < sorted[sorted.length - 1]! && (cuts.length === 0 || value > cuts[cuts.length - 1]!)) cuts.push(value);
  }
  return Float64Array.from(cuts);
}

/** The bin of value `x` given a feature's edges (0 for NaN). */
export function binOf(x: number, edges: Float64Array): number {
  if (Number.isNaN(x)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Bins a matrix with edges already chosen. */
export function applyBins(m: DenseMatrix, edges: Float64Array[]): Uint8Array {
  const bins = new Uint8Array(m.n * m.d);
  for (let i = 0; i < m.n; i++) for (let f = 0; f < m.d; f++) bins[i * m.d + f] = binOf(m.values[i * m.d + f]!, edges[f]!);
  return bins;
}

/** Chooses edges for every feature of `m` (up to `maxBins` value bins each) and bins it. */
export function binMatrix(m: DenseMatrix, maxBins: number): BinnedMatrix {
  const bins = Math.max(2, Math.min(MAX_BINS, Math.floor(maxBins)));
  const column = new Float64Array(m.n);
  const edges: Float64Array[] = [];
  for (let f = 0; f < m.d; f++) {
    for (let i = 0; i < m.n; i++) column[i] = m.values[i * m.d + f]!;
    edges.push(featureEdges(column, bins));
  }
  return { bins: applyBins(m, edges), n: m.n, d: m.d, edges };
}
