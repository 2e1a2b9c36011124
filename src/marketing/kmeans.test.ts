import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../math/random.js';
import { featureMatrix, skewness } from './feature-matrix.js';
import type { CustomerFeatures } from './features.js';
import { kmeans, type Points } from './kmeans.js';
import { chooseK, silhouette } from './silhouette.js';

/** Three Gaussian blobs (sd 1) around (0, 0), (10, 0) and (5, 8), `per` points each, in blob order. */
function blobs(per: number, seed: number): Points {
  const rng = new Random(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const centres = [
    [0, 0],
    [10, 0],
    [5, 8],
  ];
  const values = new Float64Array(3 * per * 2);
  centres.forEach(([x, y], c) => {
    for (let i = 0; i < per; i++) {
      values[(c * per + i) * 2] = x! + normal();
      values[(c * per + i) * 2 + 1] = y! + normal();
    }
  });
  return { values, n: 3 * per, d: 2 };
}

describe('k-means', () => {
  it('recovers three planted blobs and picks k = 3 by silhouette', () => {
    const points = blobs(60, 3);
    const { best, silhouette: score, candidates } = chooseK(points, 2, 6, { seed: 11 });
    assert.equal(best.k, 3);
    assert.deepEqual(candidates.map((c) => c.k), [2, 3, 4, 5, 6]);
    assert.ok(candidates.every((c) => c.k === 3 || c.silhouette < score));
    // Each blob lands whole in one cluster, and the three clusters differ.
    const labels = [0, 1, 2].map((blob) => new Set(best.assignments.subarray(blob * 60, blob * 60 + 60)));
    assert.ok(labels.every((set) => set.size === 1));
    assert.equal(new Set(labels.map((set) => [...set][0])).size, 3);
    // Inertia falls with k, the elbow method's curve.
    for (let i = 1; i < candidates.length; i++) assert.ok(candidates[i]!.inertia < candidates[i - 1]!.inertia);
  });

  it('gives the same clustering for the same seed', () => {
    const points = blobs(40, 9);
    const a = kmeans(points, 4, { seed: 21 });
    const b = kmeans(points, 4, { seed: 21 });
    assert.deepEqual([...a.assignments], [...b.assignments]);
    assert.deepEqual([...a.centroids], [...b.centroids]);
    assert.equal(a.inertia, b.inertia);
  });

  it('puts two far pairs apart, with centroids at their means and inertia by hand', () => {
    const points = { values: Float64Array.of(0, 0, 0, 2, 10, 10, 10, 12), n: 4, d: 2 };
    const result = kmeans(points, 2, { seed: 7 });
    assert.equal(result.assignments[0], result.assignments[1]);
    assert.equal(result.assignments[2], result.assignments[3]);
    assert.notEqual(result.assignments[0], result.assignments[2]);
    const a = result.assignments[0]!;
    assert.deepEqual([...result.centroids.subarray(a * 2, a * 2 + 2)], [0, 1]);
    // Each point is 1 away from its centroid: 4 × 1².
    assert.equal(result.inertia, 4);
  });

  it('copes with fewer distinct points than k', () => {
    const points = { values: Float64Array.of(1, 1, 1, 1, 5, 5), n: 3, d: 2 };
    const result = kmeans(points, 3, { seed: 1 });
    assert.equal(result.inertia, 0);
  });
});

describe('silhouette', () => {
  it('matches a hand-computed 1-D case', () => {
    // Clusters {0, 1} and {4}: point 0 a=1 b=4 → 3/4; point 1 a=1 b=3 → 2/3; point 4 alone → 0.
    const value = silhouette({ values: Float64Array.of(0, 1, 4), n: 3, d: 1 }, Int32Array.of(0, 0, 1), 2);
    assert.ok(Math.abs(value - (3 / 4 + 2 / 3) / 3) < 1e-12);
  });

  it('matches a hand-computed 2-D case with three clusters', () => {
    // (0,0),(0,2) | (4,0) | (4,3),(4,5). Point (0,0): a = 2; to {(4,0)} 4, to the far pair (5 + √41)/2 → b = 4, s = 1/2.
    // Point (0,2): a = 2; to (4,0) √20; to the pair (√17 + 5)/2 ≈ 4.562 → b = 4.472, s = 1 − 2/√20.
    // Point (4,3): a = 2; to (4,0) 3 → b = 3 vs (5 + √13)/2 ≈ 4.30; s = 1/3. Point (4,5): a = 2; to (4,0) 5,
    // pair (√41 + √13)/2 ≈ 5.004 → b = 5, s = 3/5. (4,0) alone → 0.
    const values = Float64Array.of(0, 0, 0, 2, 4, 0, 4, 3, 4, 5);
    const got = silhouette({ values, n: 5, d: 2 }, Int32Array.of(0, 0, 1, 2, 2), 3);
    const expected = (1 / 2 + (1 - 2 / Math.sqrt(20)) + 0 + 1 / 3 + 3 / 5) / 5;
    assert.ok(Math.abs(got - expected) < 1e-12, `${got} vs ${expected}`);
  });

  it('samples large inputs with a seed, close to the full score', () => {
    const points = blobs(400, 5);
    const labels = Int32Array.from({ length: 1200 }, (_, i) => Math.floor(i / 400));
    const full = silhouette(points, labels, 3, { sampleSize: 5000 });
    const sampled = silhouette(points, labels, 3, { sampleSize: 300, seed: 4 });
    assert.equal(sampled, silhouette(points, labels, 3, { sampleSize: 300, seed: 4 }));
    assert.ok(Math.abs(full - sampled) < 0.03, `${full} vs ${sampled}`);
  });
});

describe('featureMatrix', () => {
  it('logs skewed columns and standardises each to mean 0, sd 1', () => {
    const customer = (userId: string, monetary: number, returnRate: number): CustomerFeatures => ({
      userId,
      firstPurchaseAt: 0,
      lastPurchaseAt: 0,
      recencyDays: 5,
      tenureDays: 5,
      frequency: 1,
      revenue: monetary,
      returns: 0,
      monetary,
      averageOrderValue: monetary,
      distinctCategories: 1,
      returnRate,
      categories: [],
    });
    // Spend 1, 1, 1, 1, 1000: skewness (1.5) > 1 → logged. Return rates 0, 0.5, 0, 0.5, 0.25 symmetric → not.
    const customers = [customer('a', 1, 0), customer('b', 1, 0.5), customer('c', 1, 0), customer('d', 1, 0.5), customer('e', 1000, 0.25)];
    assert.ok(skewness([1, 1, 1, 1, 1000]) > 1);
    const matrix = featureMatrix(customers, { columns: ['monetary', 'returnRate', 'recencyDays'] });
    assert.deepEqual(matrix.logged, [true, false, false]);
    // z-scores of four equal values and one outlier: −1/2 each and 2 (mean 0, population sd 1).
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => Math.round(matrix.values[i * 3]! * 1e9) / 1e9), [-0.5, -0.5, -0.5, -0.5, 2]);
    // Return rates 0, .5, 0, .5, .25: mean .25, variance 4 × .25² / 5 = .05, so ∓.25/√.05 = ∓√5/2 and 0.
    const half = Math.sqrt(5) / 2;
    assert.deepEqual([0, 1, 4].map((i) => Math.round(matrix.values[i * 3 + 1]! * 1e9) / 1e9), [-half, half, 0].map((x) => Math.round(x * 1e9) / 1e9));
    // Constant recency → 0.
    assert.ok([0, 1, 2, 3, 4].every((i) => matrix.values[i * 3 + 2] === 0));
  });
});
