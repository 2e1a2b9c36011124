import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { createVectorIndex, ExactIndex, HnswIndex, type VectorIndex } from './ann.js';
import { Random } from './random.js';

/** `count` vectors around `clusters` centres, with norms spread over 0.5–2 (inner product, not cosine, decides). */
function clustered(count: number, dimensions: number, clusters: number, seed: number): Float32Array {
  const random = new Random(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random.nextFloat())) * Math.cos(2 * Math.PI * random.nextFloat());
  const centres = Float32Array.from({ length: clusters * dimensions }, gauss);
  const out = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i++) {
    const c = random.nextInt(clusters);
    let norm = 0;
    for (let j = 0; j < dimensions; j++) {
      const v = centres[c * dimensions + j]! + 0.7 * gauss();
      out[i * dimensions + j] = v;
      norm += v * v;
    }
    const scale = (0.5 + 1.5 * random.nextFloat()) / Math.sqrt(norm);
    for (let j = 0; j < dimensions; j++) out[i * dimensions + j]! *= scale;
  }
  return out;
}

const labels = (count: number): Int32Array => Int32Array.from({ length: count }, (_, i) => i);

describe('vector index', () => {
  it('exact search ranks by inner product, ties to the lower label, and honours accept', () => {
    const index = new ExactIndex(2);
    index.add(Float32Array.of(1, 0, 0, 1, 1, 1, 2, 0, 1, 0), Int32Array.of(4, 7, 2, 9, 3));
    assert.equal(index.size, 5);
    // q = (1, 0.5): scores 4 → 1, 7 → 0.5, 2 → 1.5, 9 → 2, 3 → 1 (tie with 4: 3 first).
    const q = Float32Array.of(1, 0.5);
    assert.deepEqual(index.search(q, 4), [
      { label: 9, score: 2 },
      { label: 2, score: 1.5 },
      { label: 3, score: 1 },
      { label: 4, score: 1 },
    ]);
    assert.deepEqual(
      index.search(q, 2, (label) => label !== 9 && label !== 3).map((h) => h.label),
      [2, 4],
    );
    assert.equal(index.search(q, 50).length, 5);
    assert.deepEqual(index.search(q, 0), []);
    // A label added again keeps its first vector.
    index.add(Float32Array.of(100, 100), Int32Array.of(4));
    assert.equal(index.size, 5);
    assert.equal(index.search(q, 1)[0]!.label, 9);
  });

  it('rejects bad input with clear errors', () => {
    const index = new ExactIndex(3);
    assert.throws(() => index.add(new Float32Array(5), [0, 1]), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => index.add(Float32Array.of(0, NaN, 0), [0]), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => index.add(new Float32Array(3), [-1]), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => index.search(new Float32Array(2), 1), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => new ExactIndex(0), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('auto picks the exact scan for small catalogues and HNSW for large ones', () => {
    assert.equal(createVectorIndex({ dimensions: 4, capacity: 1000 }).kind, 'exact');
    assert.equal(createVectorIndex({ dimensions: 4, capacity: 1000, exactBelow: 500 }).kind, 'hnsw');
    assert.equal(createVectorIndex({ dimensions: 4, capacity: 10, kind: 'hnsw' }).kind, 'hnsw');
  });

  it('HNSW top-10 agrees with the exact top-10 (recall ≥ 0.95) on 5,000 clustered vectors', () => {
    const d = 32;
    const count = 5000;
    const vectors = clustered(count, d, 40, 1);
    const exact = new ExactIndex(d);
    exact.add(vectors, labels(count));
    const approx = createVectorIndex({ dimensions: d, capacity: count, kind: 'hnsw', seed: 3 });
    approx.add(vectors, labels(count));
    const queries = clustered(200, d, 40, 2);
    let found = 0;
    for (let q = 0; q < 200; q++) {
      const query = queries.subarray(q * d, (q + 1) * d);
      const truth = new Set(exact.search(query, 10).map((h) => h.label));
      const hits = approx.search(query, 10);
      assert.equal(hits.length, 10);
      for (let k = 1; k < hits.length; k++) assert.ok(hits[k - 1]!.score >= hits[k]!.score, 'not best first');
      for (const hit of hits) if (truth.has(hit.label)) found++;
    }
    const recall = found / (200 * 10);
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  });

  it('HNSW honours accept, grows past its capacity, and stays exact-scored after a longer vector arrives', () => {
    const d = 8;
    const vectors = clustered(600, d, 6, 5);
    const index: VectorIndex = new HnswIndex({ dimensions: d, capacity: 100, seed: 1 });
    index.add(vectors.subarray(0, 300 * d), labels(300));
    const rest = Int32Array.from({ length: 300 }, (_, i) => 300 + i);
    index.add(vectors.subarray(300 * d), rest);
    assert.equal(index.size, 600);
    const query = vectors.subarray(0, d);
    const even = index.search(query, 10, (label) => label % 2 === 0);
    assert.equal(even.length, 10);
    assert.ok(even.every((h) => h.label % 2 === 0));
    // A vector far longer than any before, pointing along the query: it must come first.
    const long = Float32Array.from(query, (v) => v * 50);
    index.add(long, [999]);
    const top = index.search(query, 3);
    assert.equal(top[0]!.label, 999);
    let dot = 0;
    for (let j = 0; j < d; j++) dot += query[j]! * long[j]!;
    assert.ok(Math.abs(top[0]!.score - dot) < 1e-3 * Math.abs(dot));
  });

  it('HNSW builds reproducibly for a seed', () => {
    const d = 16;
    const vectors = clustered(2000, d, 10, 7);
    const build = (): VectorIndex => {
      const index = new HnswIndex({ dimensions: d, capacity: 2000, seed: 9, ef: 10 });
      index.add(vectors, labels(2000));
      return index;
    };
    const a = build();
    const b = build();
    for (let q = 0; q < 20; q++) {
      const query = vectors.subarray(q * 50 * d, (q * 50 + 1) * d);
      assert.deepEqual(a.search(query, 10), b.search(query, 10));
    }
  });
});
