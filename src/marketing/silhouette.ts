import { Random } from '../math/random.js';
import { kmeans, type KMeansOptions, type KMeansResult, type Points } from './kmeans.js';

// Choosing k: the silhouette (Rousseeuw, 1987) compares each point's mean distance to its own
// cluster with that to the nearest other cluster, so unlike inertia it does not improve just
// because k grows. It costs O(n²·d); above `sampleSize` points it is averaged over a seeded
// sample of points (each still measured against every point), which keeps the estimate unbiased.

/** Options of {@link silhouette}. */
export interface SilhouetteOptions {
  /** Points scored at most; more are sampled without replacement. Default 1,000. */
  sampleSize?: number;
  /** Seed of the sample. Default 1. */
  seed?: number;
}

/**
 * Mean silhouette of a clustering, in [−1, 1]: for point i, a = mean distance to the other points
 * of its cluster, b = the smallest mean distance to the points of another cluster, and
 * s = (b − a) ÷ max(a, b); a point alone in its cluster scores 0. Distances are Euclidean.
 * Needs at least two non-empty clusters (else 0).
 *
 * @example
 * // Points 0, 1 in one cluster and 4 in another (d = 1): s = 0.75, 2/3 and 0 (alone) → mean 0.472…
 * silhouette({ values: Float64Array.of(0, 1, 4), n: 3, d: 1 }, Int32Array.of(0, 0, 1), 2);
 */
export function silhouette(points: Points, assignments: Int32Array, k: number, options: SilhouetteOptions = {}): number {
  const { values, n, d } = points;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[assignments[i]!]!++;
  if (sizes.filter((s) => s > 0).length < 2) return 0;
  const sampleSize = options.sampleSize ?? 1000;
  let sample: Int32Array;
  if (n <= sampleSize) sample = Int32Array.from({ length: n }, (_, i) => i);
  else sample = new Random(options.seed ?? 1).shuffle(Int32Array.from({ length: n }, (_, i) => i)).subarray(0, sampleSize).sort();

  const sums = new Float64Array(k);
  let total = 0;
  for (const i of sample) {
    sums.fill(0);
    const own = assignments[i]!;
    const base = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let sq = 0;
      const bj = j * d;
      for (let t = 0; t < d; t++) {
        const diff = values[base + t]! - values[bj + t]!;
        sq += diff * diff;
      }
      sums[assignments[j]!]! += Math.sqrt(sq);
    }
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    const larger = Math.max(a, b);
    total += larger === 0 ? 0 : (b - a) / larger;
  }
  return total / sample.length;
}

/** One candidate k tried by {@link chooseK}. */
export interface KCandidate {
  k: number;
  silhouette: number;
  /** For an elbow plot. */
  inertia: number;
}

/** What {@link chooseK} settled on, and every k it tried. */
export interface KChoice {
  best: KMeansResult;
  silhouette: number;
  candidates: KCandidate[];
}

/**
 * Runs k-means for every k in `[minK, maxK]` (clamped to the number of points) and keeps the k
 * with the best silhouette; a tie goes to the smaller k, the simpler story to tell.
 *
 * @example
 * const { best, candidates } = chooseK(points, 2, 8, { seed: 42 });
 * best.k; // 3 on three well-separated blobs
 */
export function chooseK(points: Points, minK: number, maxK: number, options: KMeansOptions & SilhouetteOptions = {}): KChoice {
  const low = Math.max(2, minK);
  const high = Math.min(maxK, points.n - 1);
  if (high < low) throw new RangeError(`chooseK: need more than ${low} points to compare k in ${minK}…${maxK}, got ${points.n}`);
  let choice: KChoice | null = null;
  const candidates: KCandidate[] = [];
  for (let k = low; k <= high; k++) {
    const result = kmeans(points, k, options);
    const score = silhouette(points, result.assignments, k, options);
    candidates.push({ k, silhouette: score, inertia: result.inertia });
    if (choice === null || score > choice.silhouette + 1e-12) choice = { best: result, silhouette: score, candidates };
  }
  return choice!;
}
