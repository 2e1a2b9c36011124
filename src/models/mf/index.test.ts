import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isMagpieError } from '../../core/errors.js';
import { csrFromTriples } from '../../dataset/csr.js';
import type { Dataset, IdMap } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { datasetFromTriples } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { evaluateRatings, Mf } from './index.js';

runRecommenderContract('mf', () => new Mf({ factors: 8, epochs: 10 }));

const ML100K = fileURLToPath(new URL('../../../../shared/datasets/ml-100k/u.data', import.meta.url));

function idMap(prefix: string, count: number): IdMap {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  return { ids, index: new Map(ids.map((id, i) => [id, i])) };
}

/** A Dataset over the given log rows (ratings kept), all sharing one users × items index space. */
function ratingDataset(users: number, items: number, user: Int32Array, item: Int32Array, rating: Float32Array): Dataset {
  const length = user.length;
  const weight = new Float32Array(length).fill(1);
  return {
    users: idMap('u', users),
    items: idMap('i', items),
    log: { length, user, item, weight, rating, time: new Float64Array(length), type: new Array(length).fill('rate') },
    matrix: csrFromTriples(users, items, user, item, weight),
    sequences: Array.from({ length: users }, () => ({ items: new Int32Array(0), times: new Float64Array(0) })),
    baskets: [],
    catalog: new Map(),
  };
}

/** ML-100K (`user \t item \t rating \t time`) split 80/20 at random with a seed. */
function movielensSplit(seed: number): { train: Dataset; test: Dataset } {
  const rows = readFileSync(ML100K, 'utf8').trim().split('\n');
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const user = new Int32Array(rows.length);
  const item = new Int32Array(rows.length);
  const rating = new Float32Array(rows.length);
  rows.forEach((line, t) => {
    const [u = '', i = '', r = ''] = line.split('\t');
    if (!userIndex.has(u)) userIndex.set(u, userIndex.size);
    if (!itemIndex.has(i)) itemIndex.set(i, itemIndex.size);
    user[t] = userIndex.get(u)!;
    item[t] = itemIndex.get(i)!;
    rating[t] = Number(r);
  });
  const order = new Random(seed).shuffle(Int32Array.from({ length: rows.length }, (_, t) => t));
  const cut = Math.round(rows.length * 0.8);
  const part = (picked: Int32Array): Dataset =>
    ratingDataset(
      userIndex.size,
      itemIndex.size,
      Int32Array.from(picked, (t) => user[t]!),
      Int32Array.from(picked, (t) => item[t]!),
      Float32Array.from(picked, (t) => rating[t]!),
    );
  return { train: part(order.subarray(0, cut)), test: part(order.subarray(cut)) };
}

describe('mf', () => {
  it('predicts MovieLens-100K ratings with RMSE < 0.95 on a random 80/20 split', async () => {
    const { train, test } = movielensSplit(42);
    const model = new Mf();
    const rmses: number[] = [];
    await model.fit(train, { seed: 1, progress: { start() {}, stop() {}, tick: (_d, info) => void rmses.push(Number(info?.['rmse'])) } });
    const result = evaluateRatings(model, test);
    assert.equal(result.count, 20_000);
    assert.ok(result.rmse < 0.95, `RMSE ${result.rmse}`);
    assert.ok(result.mae < result.rmse && result.mae > 0.5, `MAE ${result.mae}`);
    assert.ok(rmses.at(-1)! < rmses[0]!, `training RMSE did not fall: ${rmses}`);
  });

  it('fits a tiny rating table and keeps predictions inside the rating range', async () => {
    // Two taste groups: users 0–1 love items 0–1 and hate 2–3, users 2–3 the other way round.
    const user = Int32Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3);
    const item = Int32Array.of(0, 1, 2, 0, 2, 3, 2, 3, 0, 2, 3, 1);
    const rating = Float32Array.of(5, 5, 1, 5, 1, 1, 5, 5, 1, 5, 5, 1);
    const model = new Mf({ factors: 4, epochs: 400, learningRate: 0.05, regularization: 0.001 });
    await model.fit(ratingDataset(4, 4, user, item, rating), { seed: 3 });
    for (let t = 0; t < user.length; t++) assert.ok(Math.abs(model.predictRating(user[t]!, item[t]!) - rating[t]!) < 0.5, `entry ${t}`);
    // Unseen pairs follow the group: user 1 has not rated item 1 (a group-A favourite).
    assert.ok(model.predictRating(1, 1) > 3, `user 1, item 1: ${model.predictRating(1, 1)}`);
    for (let u = 0; u < 4; u++) for (let i = 0; i < 4; i++) assert.ok(model.predictRating(u, i) >= 1 && model.predictRating(u, i) <= 5);
    const scores = new Float32Array(4);
    model.scoreItems({ user: 3 }, scores);
    assert.ok(scores[2]! > scores[0]! && scores[3]! > scores[1]!);
  });

  it('refuses target=rating on data without ratings, and evaluation without them', async () => {
    const data = datasetFromTriples(2, 2, [[0, 0], [1, 1]]);
    await assert.rejects(new Mf({ target: 'rating' }).fit(data), (e: unknown) => isMagpieError(e, 'invalid_input'));
    const model = new Mf({ factors: 2, epochs: 2 });
    await model.fit(data);
    assert.throws(() => evaluateRatings(model, data), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
