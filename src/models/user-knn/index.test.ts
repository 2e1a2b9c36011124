import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { close, datasetFromTriples, fitAndScore, overlappingBaskets } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { UserKnn } from './index.js';

runRecommenderContract('user-knn', () => new UserKnn());
runRecommenderContract('user-knn', () => new UserKnn({ similarity: 'jaccard', neighbors: 5, shrink: 1, binary: false }));

describe('user-knn', () => {
  // u0: i0 i1 · u1: i0 i1 i2 · u2: i1 i2 · u3: i2 i3
  const data = overlappingBaskets();
  const scores = (model: UserKnn, query: { user?: number; history?: number[] }): Promise<Float32Array> => fitAndScore(model, data, query);

  it('sums cosine-weighted neighbour rows by hand', async () => {
    // sim(u0, u1) = 2/(√2·√3), sim(u0, u2) = 1/(√2·√2), sim(u0, u3) = 0.
    const out = await scores(new UserKnn(), { user: 0 });
    const s1 = 2 / Math.sqrt(6);
    assert.ok(close(out[0]!, s1));
    assert.ok(close(out[1]!, s1 + 0.5));
    assert.ok(close(out[2]!, s1 + 0.5));
    assert.equal(out[3], 0);
  });

  it('uses jaccard, shrink and the neighbour cap', async () => {
    const jaccard = await scores(new UserKnn({ similarity: 'jaccard' }), { user: 0 });
    assert.ok(close(jaccard[2]!, 2 / 3 + 1 / 3));
    const shrunk = await scores(new UserKnn({ shrink: 1 }), { user: 0 });
    assert.ok(close(shrunk[0]!, 2 / (Math.sqrt(6) + 1)));
    const single = await scores(new UserKnn({ neighbors: 1 }), { user: 0 });
    assert.ok(close(single[2]!, 2 / Math.sqrt(6)), 'only u1 counts');
    assert.equal(single[3], 0);
  });

  it('weighs neighbour rows by their interaction weights when not binary', async () => {
    // u0: i0 ×2 · u1: i0 ×1, i1 ×3 → cos = 2·1 / (2·√10); i1 gets sim · 3.
    const weighted = datasetFromTriples(2, 2, [
      [0, 0, 2],
      [1, 0, 1],
      [1, 1, 3],
    ]);
    const model = new UserKnn({ binary: false });
    await model.fit(weighted);
    const out = new Float32Array(2);
    model.scoreItems({ user: 0 }, out);
    const sim = 2 / (2 * Math.sqrt(10));
    assert.ok(close(out[1]!, 3 * sim));
    assert.ok(close(out[0]!, sim));
  });

  it('finds neighbours of a new history on the fly', async () => {
    // History {i0, i3}: u0, u3 at 1/(√2·√2), u1 at 1/(√2·√3), u2 shares nothing.
    const out = await scores(new UserKnn(), { history: [0, 3] });
    const s1 = 1 / Math.sqrt(6);
    assert.ok(close(out[0]!, 0.5 + s1));
    assert.ok(close(out[1]!, 0.5 + s1));
    assert.ok(close(out[2]!, s1 + 0.5));
    assert.ok(close(out[3]!, 0.5));
  });

  it('skips a training user identical to the query, so a user and its items as history agree', async () => {
    const model = new UserKnn();
    const asHistory = await scores(model, { history: [0, 1] });
    const asUser = new Float32Array(4);
    model.scoreItems({ user: 0 }, asUser);
    assert.deepEqual(asHistory, asUser);
  });

  it('rejects unknown users and has no item similarity', async () => {
    const model = new UserKnn();
    await model.fit(data);
    assert.throws(() => model.recommend({ user: 9 }, { n: 1 }), (e: unknown) => isMagpieError(e, 'not_found'));
    assert.throws(() => model.similarItems(0, { n: 1 }), (e: unknown) => isMagpieError(e, 'unsupported'));
  });
});
