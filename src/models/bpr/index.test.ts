import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heldOutAuc, plantedSplit } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import type { Progress } from '../recommender.js';
import { Bpr } from './index.js';

runRecommenderContract('bpr', () => new Bpr({ factors: 8, epochs: 20, threads: 1 }));

describe('bpr', () => {
  it('ranks held-out items of a planted block high (AUC > 0.9)', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 1);
    const model = new Bpr({ factors: 16, epochs: 40, threads: 1 });
    const accuracy: number[] = [];
    const progress: Progress = { start() {}, stop() {}, tick: (_d, info) => void accuracy.push(Number(info?.['correct'])) };
    await model.fit(split.train, { seed: 3, progress });
    const value = heldOutAuc(model, split);
    assert.ok(value > 0.9, `AUC ${value}`);
    assert.equal(accuracy.length, 40);
    assert.ok(accuracy.at(-1)! > accuracy[0]!, `training accuracy did not rise: ${accuracy[0]} → ${accuracy.at(-1)}`);
    assert.ok(model.trainingStats()!.updatesPerSecond > 0);
  });

  it('trains Hogwild on two threads to the same quality', async () => {
    // Enough entries (≥ 20k) that the helper thread really starts.
    const split = plantedSplit(2500, 200, 5, 12, 3, 2);
    const model = new Bpr({ factors: 16, epochs: 15, threads: 2 });
    await model.fit(split.train, { seed: 3 });
    assert.equal(model.trainingStats()!.threads, 2);
    const value = heldOutAuc(model, split);
    assert.ok(value > 0.9, `AUC ${value}`);
  });

  it('folds a history into its own block, deterministically, and close to the trained user', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 4);
    const model = new Bpr({ factors: 16, epochs: 40, threads: 1 });
    await model.fit(split.train, { seed: 5 });
    const m = split.train.matrix;
    const row = [...m.indices.subarray(m.indptr[7]!, m.indptr[7 + 1]!)];
    const recs = model.recommend({ history: row }, { n: 10, exclude: new Set(row) });
    assert.ok(recs.every((r) => r.item % 5 === 7 % 5), JSON.stringify(recs));
    assert.deepEqual(model.recommend({ history: [...row].reverse() }, { n: 10, exclude: new Set(row) }), recs);
    const trained = new Set(model.recommend({ user: 7 }, { n: 10, exclude: new Set(row) }).map((r) => r.item));
    assert.ok(recs.filter((r) => trained.has(r.item)).length >= 5, 'fold-in and trained vector disagree');
  });

  it('lists similar items from the same block, never the item itself', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 6);
    const model = new Bpr({ factors: 16, epochs: 40, threads: 1 });
    await model.fit(split.train, { seed: 1 });
    const similar = model.similarItems(3, { n: 5 });
    assert.equal(similar.length, 5);
    assert.ok(similar.every((s) => s.item !== 3 && s.item % 5 === 3), JSON.stringify(similar));
  });
});
