import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { gramFromCsr } from '../../math/dense.js';
import { datasetFromTriples, syntheticDataset } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Ease, easeWeights } from './index.js';

runRecommenderContract('ease', () => new Ease({ lambda: 10 }));
runRecommenderContract('ease', () => new Ease({ lambda: 10, solver: 'engine' }));
runRecommenderContract('ease', () => new Ease({ lambda: 5, binary: false }));

describe('ease', () => {
  it('solves a two-item case by hand', async () => {
    // u0: i0 i1 · u1: i0 → G = [[2, 1], [1, 1]]; with λ = 1, B01 = 1/(2+1), B10 = 1/(1+1).
    const model = new Ease({ lambda: 1 });
    await model.fit(datasetFromTriples(2, 2, [[0, 0], [0, 1], [1, 0]]));
    const b = model.weightMatrix();
    assert.equal(b[0], 0);
    assert.equal(b[3], 0);
    assert.ok(Math.abs(b[1]! - 1 / 3) < 1e-6);
    assert.ok(Math.abs(b[2]! - 1 / 2) < 1e-6);
  });

  it('with dropout p, penalises each item by λ + p/(1−p)·Gᵢᵢ on top of Gᵢᵢ (EDLAE)', async () => {
    // Same data as above; p = 0.5 doubles the diagonal: (G + diag(G) + λI) = [[5, 1], [1, 3]],
    // so B01 = G01 / 5 and B10 = G10 / 3.
    const model = new Ease({ lambda: 1, dropout: 0.5 });
    await model.fit(datasetFromTriples(2, 2, [[0, 0], [0, 1], [1, 0]]));
    const b = model.weightMatrix();
    assert.ok(Math.abs(b[1]! - 1 / 5) < 1e-6);
    assert.ok(Math.abs(b[2]! - 1 / 3) < 1e-6);
    assert.throws(() => new Ease({ dropout: 1 }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('has a zero diagonal and meets the ridge optimality condition off it', async () => {
    const data = syntheticDataset({ users: 50, items: 30, seed: 11 });
    const lambda = 7;
    const model = new Ease({ lambda });
    await model.fit(data);
    const b = model.weightMatrix();
    const n = 30;
    const g = gramFromCsr(data.matrix, true);
    for (let j = 0; j < n; j++) {
      assert.equal(b[j * n + j], 0);
      // For i ≠ j: ((G + λI)·B)[i, j] = G[i, j].
      for (let i = 0; i < n; i++) {
        if (i === j) continue;
        let sum = lambda * b[i * n + j]!;
        for (let k = 0; k < n; k++) sum += g[i * n + k]! * b[k * n + j]!;
        assert.ok(Math.abs(sum - g[i * n + j]!) < 1e-3, `(${i}, ${j})`);
      }
    }
  });

  it('lists similar items from B, never the item itself', async () => {
    const model = new Ease({ lambda: 1 });
    await model.fit(datasetFromTriples(3, 3, [[0, 0], [0, 1], [1, 0], [1, 1], [2, 2]]));
    const similar = model.similarItems(0, { n: 5 });
    assert.equal(similar[0]!.item, 1);
    assert.ok(similar.every((s) => s.item !== 0));
  });

  it('gives the same model with the engine solver as with the Float64 one', async () => {
    const data = syntheticDataset({ users: 80, items: 40, seed: 3 });
    const exact = new Ease({ lambda: 5, solver: 'float64' });
    const fast = new Ease({ lambda: 5, solver: 'engine' });
    await exact.fit(data);
    await fast.fit(data);
    const [b, f] = [exact.weightMatrix(), fast.weightMatrix()];
    for (let i = 0; i < b.length; i++) assert.ok(Math.abs(b[i]! - f[i]!) < 1e-5, `entry ${i}`);
    for (let u = 0; u < 80; u++) {
      const top = (m: Ease): number[] => m.recommend({ user: u }, { n: 5 }).map((s) => s.item);
      assert.deepEqual(top(fast), top(exact), `user ${u}`);
    }
  });

  it('scores a batch of users as scoreItems does one by one', async () => {
    const data = syntheticDataset({ users: 30, items: 25, seed: 4 });
    const model = new Ease({ lambda: 3 });
    await model.fit(data);
    const users = Int32Array.of(4, 0, 29, 4);
    const batch = new Float32Array(users.length * 25);
    model.scoreBatch(users, batch);
    const one = new Float32Array(25);
    users.forEach((u, r) => {
      model.scoreItems({ user: u }, one);
      assert.deepEqual(batch.subarray(r * 25, r * 25 + 25), one);
    });
    assert.throws(() => model.scoreBatch(users, new Float32Array(10)), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('builds B from P by hand', () => {
    // P = [[0.5, -0.25], [-0.25, 0.5]] → B[0, 1] = 0.25 / 0.5.
    assert.deepEqual([...easeWeights(Float64Array.of(0.5, -0.25, -0.25, 0.5), 2)], [0, 0.5, 0.5, 0]);
  });

  it('refuses catalogues above maxItems', async () => {
    const model = new Ease({ maxItems: 2 });
    await assert.rejects(model.fit(datasetFromTriples(1, 3, [[0, 0]])), (e: unknown) => isMagpieError(e, 'too_large'));
  });
});
