import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { syntheticDataset } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Lowpass, normalizedGram } from './index.js';

runRecommenderContract('lowpass', () => new Lowpass({ factors: 8 }));
runRecommenderContract('lowpass', () => new Lowpass({ factors: 6, binary: false }));

describe('lowpass', () => {
  it('normalises the Gram by user and item degrees', () => {
    // u0: i0 i1 · u1: i0 → d_u = (2, 1), d_i = (2, 1).
    const matrix = { rows: 2, cols: 2, indptr: Int32Array.of(0, 2, 3), indices: Int32Array.of(0, 1, 0), data: Float32Array.of(1, 1, 1) };
    const degrees = new Float64Array(2);
    const g = normalizedGram(matrix, true, degrees);
    assert.deepEqual(Array.from(degrees), [2, 1]);
    // G00 = (1/2 + 1/1) / 2, G01 = (1/2) / √2, G11 = (1/2) / 1.
    assert.ok(Math.abs(g[0]! - 0.75) < 1e-6);
    assert.ok(Math.abs(g[1]! - 0.5 / Math.SQRT2) < 1e-6);
    assert.ok(Math.abs(g[3]! - 0.5) < 1e-6);
  });

  it('with every eigenvector kept, reproduces the history itself', async () => {
    // V Vᵀ = I when k = n (and the Gram has full rank), so scores equal the query history.
    const data = syntheticDataset({ users: 80, items: 12, seed: 5 });
    const model = new Lowpass({ factors: 12, iterations: 40 });
    await model.fit(data);
    const out = new Float32Array(12);
    model.scoreItems({ history: [3, 7] }, out);
    for (let j = 0; j < 12; j++) assert.ok(Math.abs(out[j]! - (j === 3 || j === 7 ? 1 : 0)) < 1e-3, `item ${j}: ${out[j]}`);
  });
});
