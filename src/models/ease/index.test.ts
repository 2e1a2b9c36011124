import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { gramFromCsr } from '../../math/dense.js';
import { datasetFromTriples, syntheticDataset } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Ease } from './index.js';

runRecommenderContract('ease', () => new Ease({ lambda: 10 }));
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

  it('refuses catalogues above maxItems', async () => {
    const model = new Ease({ maxItems: 2 });
    await assert.rejects(model.fit(datasetFromTriples(1, 3, [[0, 0]])), (e: unknown) => isMagpieError(e, 'too_large'));
  });
});
