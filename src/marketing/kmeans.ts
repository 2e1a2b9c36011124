import { Random } from '../math/random.js';

// k-means on a dense row-major matrix (n points × d features, Float64Array): k-means++ seeding,
// Lloyd iterations, a few seeded restarts keeping the lowest inertia. Customer tables have
// thousands of rows and under a dozen features, so plain loops are fast enough; no workers.

/** Points as one row-major block: point i is `values[i*d … i*d+d)`. */
export interface Points {
  values: Float64Array;
  n: number;
  d: number;
}

/** Options of {@link kmeans}. */
export interface KMeansOptions {
  /** Seed of the k-means++ draws; the same seed gives the same clustering. Default 1. */
  seed?: number;
  /** Restarts from fresh k-means++ seeds; the one with the lowest inertia is kept. Default 4. */
  restarts?: number;
  /** Lloyd iterations per restart at most. Default 100. */
  maxIterations?: number;
}

/** A clustering. */
export interface KMeansResult {
  k: number;
  /** Cluster of each point, 0 … k−1. */
  assignments: Int32Array;
  /** k × d, row-major. */
  centroids: Float64Array;
  /** Σ squared distance of each point to its centroid (the elbow method plots this against k). */
  inertia: number;
  /** Lloyd iterations of the kept restart. */
  iterations: number;
}

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (both `d` wide). */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let sum = 0;
  const ai = i * d;
  const bj = j * d;
  for (let t = 0; t < d; t++) {
    const diff = a[ai + t]! - b[bj + t]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii, 2007): the first centre uniformly at random, each
 * next one drawn with probability proportional to the squared distance to the nearest centre
 * chosen so far, which spreads the centres out and makes bad local optima rare.
 */
export function kmeansPlusPlus(points: Points, k: number, rng: Random): Float64Array {
  const { values, n, d } = points;
  const centroids = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let chosen = rng.nextInt(n);
  for (let c = 0; c < k; c++) {
    centroids.set(values.subarray(chosen * d, chosen * d + d), c * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dist = squaredDistance(values, i, centroids, c, d);
      if (dist < nearest[i]!) nearest[i] = dist;
      total += nearest[i]!;
    }
    if (c === k - 1) break;
    if (total === 0) {
      // Fewer distinct points than k: any point will do; Lloyd leaves the duplicate centre empty
      // and the empty-cluster repair below handles it.
      chosen = rng.nextInt(n);
      continue;
    }
    let target = rng.nextFloat() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centroids;
}

/** Assigns each point to its nearest centroid (ties to the lower index); returns the inertia. */
function assign(points: Points, centroids: Float64Array, k: number, assignments: Int32Array): number {
  const { values, n, d } = points;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = squaredDistance(values, i, centroids, 0, d);
    for (let c = 1; c < k; c++) {
      const dist = squaredDistance(values, i, centroids, c, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    assignments[i] = best;
    inertia += bestDist;
  }
  return inertia;
}

/** Moves each centroid to the mean of its points; an empty cluster takes the point farthest from its own centroid. */
function update(points: Points, centroids: Float64Array, k: number, assignments: Int32Array): void {
  const { values, n, d } = points;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    counts[c]!++;
    for (let t = 0; t < d; t++) sums[c * d + t]! += values[i * d + t]!;
  }
  for (let c = 0; c < k; c++) {
    if (counts[c]! > 0) {
      for (let t = 0; t < d; t++) centroids[c * d + t] = sums[c * d + t]! / counts[c]!;
      continue;
    }
    let far = 0;
    let farDist = -1;
    for (let i = 0; i < n; i++) {
      const dist = squaredDistance(values, i, centroids, assignments[i]!, d);
      if (dist > farDist) {
        farDist = dist;
        far = i;
      }
    }
    centroids.set(values.subarray(far * d, far * d + d), c * d);
    assignments[far] = c;
  }
}

/**
 * Clusters `points` into `k` groups (1 ≤ k ≤ n). Deterministic for a given seed.
 *
 * @example
 * const points = { values: Float64Array.of(0, 0, 0, 1, 10, 10, 10, 11), n: 4, d: 2 };
 * kmeans(points, 2, { seed: 7 }).assignments; // [0, 0, 1, 1] or [1, 1, 0, 0]: the two pairs
 */
export function kmeans(points: Points, k: number, options: KMeansOptions = {}): KMeansResult {
  const { n, d } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kmeans: k must be an integer in 1…${n}, got ${k}`);
  const rng = new Random(options.seed ?? 1);
  const restarts = Math.max(1, options.restarts ?? 4);
  const maxIterations = options.maxIterations ?? 100;
  let best: KMeansResult | null = null;
  for (let run = 0; run < restarts; run++) {
    const centroids = kmeansPlusPlus(points, k, rng);
    const assignments = new Int32Array(n);
    let inertia = assign(points, centroids, k, assignments);
    let iterations = 0;
    while (iterations < maxIterations) {
      iterations++;
      const before = assignments.slice();
      update(points, centroids, k, assignments);
      inertia = assign(points, centroids, k, assignments);
      // Lloyd has converged when no point changes cluster; the centroids are then fixed too.
      let changed = false;
      for (let i = 0; i < n && !changed; i++) changed = before[i] !== assignments[i];
      if (!changed) break;
    }
    if (best === null || inertia < best.inertia - 1e-9 * Math.abs(best.inertia)) best = { k, assignments, centroids, inertia, iterations };
  }
  return best!;
}
