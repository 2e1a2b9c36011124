import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dataset } from '../../dataset/types.js';
import { datasetFromTriples, heldOutAuc, plantedSplit, type Triple } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import type { Progress } from '../recommender.js';
import { LightGcn } from './index.js';

runRecommenderContract('lightgcn', () => new LightGcn({ factors: 8, epochs: 15, batchSize: 64, learningRate: 0.02 }));

function rowOf(data: Dataset, user: number): number[] {
  const m = data.matrix;
  return [...m.indices.subarray(m.indptr[user]!, m.indptr[user + 1]!)];
}

const SMALL = { factors: 16, batchSize: 128, learningRate: 0.02 } as const;

describe('lightgcn', () => {
  it('ranks held-out items of a planted block high (AUC > 0.9), the loss falling and validation reported', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 1);
    const model = new LightGcn({ ...SMALL, epochs: 20, patience: 0 });
    const ticks: Record<string, string | number>[] = [];
    const progress: Progress = { start() {}, stop() {}, tick: (_d, info) => void ticks.push(info ?? {}) };
    await model.fit(split.train, { seed: 3, progress });
    assert.ok(heldOutAuc(model, split) > 0.9, `AUC ${heldOutAuc(model, split)}`);
    const report = model.trainingReport()!;
    assert.equal(report.epochs.length, 20);
    assert.equal(ticks.length, 20);
    assert.ok(report.epochs.at(-1)!.loss < 0.8 * report.epochs[0]!.loss, `loss did not fall: ${report.epochs[0]!.loss} → ${report.epochs.at(-1)!.loss}`);
    assert.equal(report.epochs[0]!.ndcg, undefined, 'patience 0 trains without validation');
    assert.ok(report.triplesPerSecond > 0);
  });

  it('stops early on validation nDCG@10 and keeps the best epoch', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 2);
    // A large step overfits quickly, so validation peaks early and stops the run.
    const model = new LightGcn({ ...SMALL, learningRate: 0.05, epochs: 200, patience: 3, validationUsers: 150, validationFraction: 0.2 });
    const ticks: Record<string, string | number>[] = [];
    const progress: Progress = { start() {}, stop() {}, tick: (_d, info) => void ticks.push(info ?? {}) };
    await model.fit(split.train, { seed: 1, progress });
    const report = model.trainingReport()!;
    assert.ok(report.epochs.length < 200, 'did not stop early');
    assert.equal(report.epochs.length, report.bestEpoch + 3);
    const best = Math.max(...report.epochs.map((e) => e.ndcg!));
    assert.equal(report.bestNdcg, best);
    assert.equal(report.epochs[report.bestEpoch - 1]!.ndcg, best);
    assert.ok(best > 0.3, `validation nDCG@10 ${best}`);
    assert.ok(ticks.every((t) => 'loss' in t && 'ndcg@10' in t));
    assert.ok(heldOutAuc(model, split) > 0.9);
  });

  it('folds a history into its own block, deterministically, and close to the trained user', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 4);
    const model = new LightGcn({ ...SMALL, epochs: 20 });
    await model.fit(split.train, { seed: 5 });
    const row = rowOf(split.train, 7);
    const recs = model.recommend({ history: row }, { n: 10, exclude: new Set(row) });
    assert.ok(recs.every((r) => r.item % 5 === 7 % 5), JSON.stringify(recs));
    assert.deepEqual(model.recommend({ history: [...row].reverse().concat(row[0]!, 1000, -1) }, { n: 10, exclude: new Set(row) }), recs);
    const trained = new Set(model.recommend({ user: 7 }, { n: 10, exclude: new Set(row) }).map((r) => r.item));
    assert.ok(recs.filter((r) => trained.has(r.item)).length >= 5, 'fold-in and trained vector disagree');
    assert.ok(model.foldIn([]).every((v) => v === 0));
  });

  it('lists similar items from the same block, never the item itself', async () => {
    const split = plantedSplit(200, 100, 5, 12, 3, 6);
    const model = new LightGcn({ ...SMALL, epochs: 20 });
    await model.fit(split.train, { seed: 1 });
    const similar = model.similarItems(3, { n: 5 });
    assert.equal(similar.length, 5);
    assert.ok(similar.every((s) => s.item !== 3 && s.item % 5 === 3), JSON.stringify(similar));
  });

  it('scores untrained items -Infinity and a user without training items with zeros (also with no layers)', async () => {
    const triples: Triple[] = [];
    for (let u = 0; u < 9; u++) for (let i = 0; i < 6; i++) if ((u + i) % 2 === 0) triples.push([u, i]);
    const model = new LightGcn({ factors: 4, layers: 0, epochs: 3, patience: 0 });
    await model.fit(datasetFromTriples(10, 8, triples), { seed: 1 });
    const out = new Float32Array(8);
    model.scoreItems({ user: 9 }, out);
    assert.deepEqual([...out], [0, 0, 0, 0, 0, 0, -Infinity, -Infinity]);
    model.scoreItems({ user: 0 }, out);
    assert.ok(out.slice(0, 6).some((v) => v !== 0));
  });

  it('rejects data with no interactions, naming the problem', async () => {
    await assert.rejects(new LightGcn().fit(datasetFromTriples(3, 3, [])), /needs interactions/);
  });
});
