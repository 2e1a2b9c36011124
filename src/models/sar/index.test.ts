import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeEvent } from '../../core/types.js';
import { buildDataset } from '../../dataset/build.js';
import { splitDataset } from '../../dataset/split.js';
import { ndcgAtK, relevantSets } from '../../eval/metrics.js';
import { close, datasetFromTriples, fitAndScore } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Sar, sarAffinity } from './index.js';

runRecommenderContract('sar', () => new Sar());
runRecommenderContract('sar', () => new Sar({ similarity: 'lift', binary: true, timeDecayDays: 0, neighbors: 5 }));

const ML100K = '../shared/datasets/ml-100k/u.data';

describe('sar', () => {
  // (user, item, weight, day). Latest day is 60, so with a 30-day half-life an entry from day 0
  // keeps 1/4 of its weight and one from day 30 keeps 1/2.
  // Users per item: i0 {u0,u2,u3}, i1 {u0,u1,u3}, i2 {u1,u2}; pairs: c01 = 2, c02 = 1, c12 = 1.
  const data = datasetFromTriples(4, 3, [
    [0, 0, 4, 0],
    [0, 1, 1, 30],
    [1, 1, 1, 60],
    [1, 2, 4, 45],
    [2, 0, 1, 10],
    [2, 2, 1, 20],
    [3, 0, 1, 50],
    [3, 1, 1, 50],
  ]);
  const scoresOf = (params: Record<string, unknown>, query: { user?: number; history?: number[] }): Promise<Float32Array> =>
    fitAndScore(new Sar(params), data, query);

  it('decays affinity by age relative to the latest event', () => {
    const affinity = sarAffinity(data, { timeDecayDays: 30, binary: false });
    const row = (u: number): number[] => Array.from(affinity.data.subarray(affinity.indptr[u]!, affinity.indptr[u + 1]!));
    assert.deepEqual(row(0), [4 * 0.25, 1 * 0.5]);
    assert.deepEqual(row(1), [1, 4 * Math.pow(0.5, 15 / 30)].map(Math.fround));
    const flat = sarAffinity(data, { timeDecayDays: 0, binary: true });
    assert.deepEqual(Array.from(flat.data), [1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('computes jaccard similarity and scores affinity × similarity by hand', async () => {
    const model = new Sar();
    await model.fit(data);
    // jaccard(0,1) = 2/(3+3−2), jaccard(0,2) = jaccard(1,2) = 1/(3+2−1).
    assert.deepEqual(model.similarItems(0, { n: 5 }), [
      { item: 1, score: 0.5 },
      { item: 2, score: 0.25 },
    ]);
    const out = new Float32Array(3);
    model.scoreItems({ user: 0 }, out);
    // u0 affinity: i0 = 1, i1 = 0.5.
    assert.ok(close(out[2]!, 1 * 0.25 + 0.5 * 0.25));
    assert.ok(close(out[1]!, 1 * 0.5));
    assert.ok(close(out[0]!, 0.5 * 0.5));
  });

  it('supports lift, co-occurrence, the threshold and no decay', async () => {
    const lift = await scoresOf({ similarity: 'lift', timeDecayDays: 0 }, { user: 0 });
    // lift(0,2) = 1/(3·2), lift(1,2) = 1/(3·2); raw affinities 4 and 1.
    assert.ok(close(lift[2]!, 4 / 6 + 1 / 6));
    const counts = await scoresOf({ similarity: 'cooccurrence', timeDecayDays: 0 }, { user: 0 });
    assert.ok(close(counts[2]!, 4 * 1 + 1 * 1));
    const thresholded = await scoresOf({ threshold: 2 }, { user: 0 });
    assert.equal(thresholded[2], 0, 'pairs seen once are dropped');
    assert.ok(close(thresholded[1]!, 0.5));
  });

  it('gives history items affinity 1', async () => {
    const out = await scoresOf({}, { history: [0, 1] });
    assert.ok(close(out[2]!, 0.25 + 0.25));
    assert.throws(() => new Sar({ similarity: 'cosine' }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('lands near Microsoft Recommenders’ published nDCG@10 on ML-100K user-stratified', { skip: !existsSync(ML100K) }, async () => {
    const events = readFileSync(ML100K, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [user, item, rating, time] = line.split('\t');
        return makeEvent({ id: `${user}:${item}`, type: 'rate', userId: user!, itemId: item!, value: Number(rating), timestamp: Number(time) * 1000 });
      });
    const { train, test } = splitDataset(await buildDataset(events), 'user-stratified', 42);
    const model = new Sar({ similarity: 'jaccard', timeDecayDays: 30 });
    await model.fit(train);
    const m = train.matrix;
    const recs = Array.from({ length: m.rows }, (_, u) => {
      const seen = new Set(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!));
      return model.recommend({ user: u }, { n: 10, exclude: seen }).map((r) => r.item);
    });
    const ndcg = ndcgAtK(recs, relevantSets(test.matrix), 10);
    // MS Recommenders' SAR benchmark on the same protocol: nDCG@10 = 0.382.
    assert.ok(Math.abs(ndcg - 0.382) <= 0.03, `nDCG@10 = ${ndcg.toFixed(4)}`);
  });
});
