import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { catalogItem, datasetFromTriples } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Popularity } from './index.js';

runRecommenderContract('popularity', () => new Popularity());
runRecommenderContract('popularity', () => new Popularity({ by: 'weight', halfLifeDays: 3 }));

describe('popularity', () => {
  // Item 2: three users; item 0: two users but heavy weights; item 1: one user (repeated).
  const data = datasetFromTriples(
    4,
    4,
    [
      [0, 2, 1, 0],
      [1, 2, 1, 0],
      [2, 2, 1, 0],
      [0, 0, 5, 10],
      [1, 0, 5, 10],
      [3, 1, 1, 10],
      [3, 1, 1, 10],
    ],
    new Map([
      [0, catalogItem('i0', ['Home', 'Lighting'])],
      [1, catalogItem('i1', ['Home'])],
      [2, catalogItem('i2', ['Garden'])],
    ]),
  );

  it('orders by distinct users, ignoring repeats and history', async () => {
    const model = new Popularity();
    await model.fit(data);
    const recs = model.recommend({ user: 3, history: [0] }, { n: 4 });
    assert.deepEqual(recs.map((r) => [r.item, r.score]), [[2, 3], [0, 2], [1, 1], [3, 0]]);
  });

  it('orders by summed weight', async () => {
    const model = new Popularity({ by: 'weight' });
    await model.fit(data);
    assert.deepEqual(model.recommend({}, { n: 3 }).map((r) => [r.item, r.score]), [[0, 10], [2, 3], [1, 2]]);
  });

  it('decays older interactions by the half-life', async () => {
    const model = new Popularity({ halfLifeDays: 10 });
    await model.fit(data);
    const recs = model.recommend({}, { n: 3 });
    // Item 2's three users are 10 days older than the latest event: each counts ½.
    assert.deepEqual(recs.map((r) => r.item), [0, 2, 1]);
    assert.ok(Math.abs(recs[1]!.score - 1.5) < 1e-6);
    assert.ok(Math.abs(recs[0]!.score - 2) < 1e-6);
  });

  it('ranks within a category', async () => {
    const model = new Popularity();
    await model.fit(data);
    assert.deepEqual(model.topInCategory('Home', 5).map((r) => r.item), [0, 1]);
    assert.deepEqual(model.topInCategory('Lighting', 5).map((r) => r.item), [0]);
    assert.deepEqual(model.topInCategory('Toys', 5), []);
    assert.deepEqual(model.categories(), ['Garden', 'Home', 'Lighting']);
  });

  it('has no similar items', async () => {
    const model = new Popularity();
    await model.fit(data);
    assert.throws(() => model.similarItems(0, { n: 3 }), (e: unknown) => isMagpieError(e, 'unsupported'));
  });
});
