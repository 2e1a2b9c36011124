import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { getEngine } from '../../math/engine.js';
import { datasetFromTriples, syntheticDataset, type Triple } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { createModel, parseModelSpec } from '../registry.js';
import { Dropout } from '../sequence/layers.js';
import { initialWeights, toVariables } from '../sequence/weights.js';
import { featureNames } from './features.js';
import { Ranker } from './index.js';
import { mlpForward, mlpLogits, MlpScratch, mlpSpecs, type MlpShape } from './network.js';
import { buildProfiles } from './profile.js';
import { Standardizer } from './standardizer.js';
import { parseRetrievers } from './retrievers.js';

const tiny = { retrievers: 'item-knn+popularity', candidates: 12, labelDays: 30, hidden1: 16, hidden2: 8, epochs: 4, batchSize: 64, validationShare: 0.3 };

runRecommenderContract('ranker', () => new Ranker(tiny));
runRecommenderContract('ranker', () => new Ranker({ ...tiny, retrievers: 'ease[lambda=10]+popularity', recentItems: 3, hidden2: 0, dropout: 0, l2: 0 }));

/**
 * Shoppers whose purchases in the last weeks favour the items that are trending then — a rule a
 * popularity retriever cannot see (it counts all time) but the ranker's recent-count features can.
 * Days run 0..89; items 0–19 sold steadily all along, items 20–29 only from day 50 on.
 */
function trendingShop(seed: number): Dataset {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const users = 160;
  const triples: Triple[] = [];
  for (let u = 0; u < users; u++) {
    const seen = new Set<number>();
    for (let k = 0; k < 14; k++) {
      const day = Math.floor(random() * 90);
      // Before day 50 only the steady items exist; after it, the new ones take most sales.
      const item = day >= 50 && random() < 0.8 ? 20 + Math.floor(random() * 10) : Math.floor(random() * 20);
      if (seen.has(item)) continue;
      seen.add(item);
      triples.push([u, item, 1, day]);
    }
  }
  return datasetFromTriples(users, 30, triples);
}

describe('ranker', () => {
  it('parses retrievers with their own params and checks them when built', async () => {
    assert.deepEqual(parseRetrievers('ease[lambda=400;binary=false]+popularity'), [
      { name: 'ease', params: { lambda: 400, binary: false } },
      { name: 'popularity', params: {} },
    ]);
    const spec = parseModelSpec('ranker:retrievers=ease+item-knn,candidates=50');
    assert.equal(spec.params['candidates'], 50);
    assert.throws(() => new Ranker({ retrievers: 'ease[lambda]' }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'retrievers');
    assert.throws(() => new Ranker({ retrievers: 'ranker' }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => new Ranker({ candidates: 0 }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'candidates');
    await assert.rejects(new Ranker({ ...tiny, retrievers: 'no-such-model' }).fit(syntheticDataset()), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it('learns what the retrievers miss: ranks trending items first and beats its own popularity retriever', async () => {
    const data = trendingShop(5);
    const ranker = new Ranker({ retrievers: 'popularity', candidates: 30, labelDays: 20, hidden1: 16, hidden2: 8, epochs: 40, patience: 5, learningRate: 0.01, validationShare: 0.25 });
    await ranker.fit(data, { seed: 1 });
    const report = ranker.trainingReport!;
    assert.ok(report.epochs.at(-1)!.loss < report.epochs[0]!.loss, 'training loss did not fall');
    assert.ok(report.epochs[report.bestEpoch - 1]!.auc! > 0.75, `validation AUC ${report.epochs[report.bestEpoch - 1]!.auc}`);
    // Over all users, the new items should fill the top of the list, ahead of all-time favourites.
    let trendingInTop5 = 0;
    let lists = 0;
    for (let u = 0; u < data.matrix.rows; u++) {
      const top = ranker.recommend({ user: u }, { n: 5 });
      if (top.length === 0) continue;
      lists++;
      trendingInTop5 += top.filter((r) => r.item >= 20).length / top.length;
    }
    const popular = createModel('popularity');
    await popular.fit(data);
    let popularTrending = 0;
    for (let u = 0; u < data.matrix.rows; u++) {
      const seen = new Set(data.sequences[u]!.items);
      popularTrending += popular.recommend({ user: u }, { n: 5, exclude: seen }).filter((r) => r.item >= 20).length / 5;
    }
    assert.ok(trendingInTop5 / lists > 0.7, `trending share of the ranker's top 5: ${trendingInTop5 / lists}`);
    assert.ok(trendingInTop5 / lists > popularTrending / data.matrix.rows + 0.2, `popularity alone gets ${popularTrending / data.matrix.rows}`);
  });

  it('never offers the query its own items as candidates, and keeps them below every candidate', async () => {
    const data = syntheticDataset({ users: 60, items: 40, seed: 3 });
    const ranker = new Ranker(tiny);
    await ranker.fit(data, { seed: 2 });
    const out = new Float32Array(40);
    ranker.scoreItems({ user: 5 }, out);
    const own = new Set(data.sequences[5]!.items);
    const top = ranker.recommend({ user: 5 }, { n: 10 });
    assert.ok(top.every((r) => !own.has(r.item)));
    const lowestTop = Math.min(...top.map((r) => r.score));
    for (const item of own) assert.ok(out[item]! < lowestTop);
  });

  it('serves with the function the engine trains: TypeScript and engine logits agree', async () => {
    const { tf } = await getEngine();
    const shape: MlpShape = { inputs: 7, hidden: [12, 5] };
    const specs = mlpSpecs(shape);
    const weights = initialWeights(specs, 3);
    for (const [name, values] of weights) if (name.endsWith('_b')) values.forEach((_, i) => (values[i] = 0.1 * ((i % 5) - 2)));
    const variables = toVariables(tf, specs, weights);
    const rows = 9;
    const x = Float32Array.from({ length: rows * shape.inputs }, (_, i) => Math.sin(i * 1.7));
    const engine = tf.tidy(() => mlpForward(tf, shape, variables, tf.tensor2d(x, [rows, shape.inputs]), new Dropout(0.5, 1), false).dataSync());
    const out = new Float32Array(rows);
    mlpLogits(shape, weights, x, rows, new MlpScratch(shape, rows), out);
    for (let r = 0; r < rows; r++) assert.ok(Math.abs(out[r]! - engine[r]!) < 1e-5, `row ${r}: ${out[r]} vs ${engine[r]}`);
    for (const v of variables.values()) v.dispose();
  });

  it('standardises with the training statistics and maps missing values to the mean', () => {
    const rows = Float32Array.of(1, NaN, 3, 5, 5, 5);
    const s = Standardizer.fit(rows, 3, 2);
    assert.deepEqual([...s.mean], [3, 5]);
    assert.equal(s.scale[1], 0); // constant column
    const fresh = Float32Array.of(3, NaN, 7, 5);
    s.apply(fresh, 2);
    assert.deepEqual([...fresh], [0, 0, Math.fround(4 * s.scale[0]!), 0]);
  });

  it('profiles count recent events from the data’s latest time, not the clock', () => {
    const data = datasetFromTriples(2, 3, [
      [0, 0, 1, 0],
      [0, 1, 1, 80],
      [1, 1, 1, 95],
      [1, 2, 1, 100],
    ]);
    const p = buildProfiles(data, 2);
    assert.equal(p.referenceTime, data.log.time[3]);
    // [7-day, 30-day] counts per item; item 1: day 95 is within 7 days of day 100, days 80 and 95 within 30.
    assert.deepEqual([...p.items.recent], [0, 0, 1, 2, 1, 1]);
    assert.equal(p.users.events[1], 2);
    assert.deepEqual([...p.users.recent], [0, 1, 1, 2]); // latest two distinct items per user, oldest first
    const names = featureNames([{ name: 'ease', historyAware: true }, { name: 'ease', historyAware: true }, { name: 'popularity', historyAware: false }], true);
    assert.equal(names.slice(0, 8).join(), 'ease.z,ease.rank,ease#1.z,ease#1.rank,popularity.z,popularity.rank,ease.recentZ,ease#1.recentZ');
  });

  it('stops early on validation AUC and keeps the best epoch', async () => {
    const ranker = new Ranker({ retrievers: 'popularity', candidates: 30, labelDays: 20, hidden1: 32, hidden2: 16, epochs: 60, patience: 2, learningRate: 0.05, dropout: 0, l2: 0, validationShare: 0.3 });
    await ranker.fit(trendingShop(6), { seed: 3 });
    const report = ranker.trainingReport!;
    const aucs = report.epochs.map((e) => e.auc!);
    assert.ok(report.epochs.length < 60, 'ran every epoch');
    assert.equal(aucs[report.bestEpoch - 1], Math.max(...aucs));
    assert.equal(report.epochs.length, report.bestEpoch + 2, 'patience 2 stops two epochs after the best');
  });

  it('averages the logits of its networks, saves every one, and loads a one-network ranker saved without the param', async () => {
    const data = trendingShop(9);
    const params = { retrievers: 'popularity+item-knn', candidates: 20, labelDays: 20, hidden1: 8, hidden2: 4, epochs: 12, patience: 3, learningRate: 0.01, validationShare: 0.3 };
    const single = new Ranker({ ...params, networks: 1 });
    await single.fit(data, { seed: 4 });
    const ensemble = new Ranker({ ...params, networks: 3 });
    await ensemble.fit(data, { seed: 4 });
    const one = single.trainingReport!;
    const three = ensemble.trainingReport!;
    // The first network of the ensemble is the one-network ranker: same seed, same rows.
    assert.deepEqual(three.epochs, one.epochs.map((e) => ({ ...e, seconds: three.epochs[e.epoch - 1]!.seconds })));
    assert.equal(one.validationAuc, one.epochs[one.bestEpoch - 1]!.auc);
    assert.equal(three.networks.length, 3);
    assert.notEqual(three.networks[1]!.auc, three.networks[0]!.auc, 'the networks did not differ');
    assert.ok(three.validationAuc! > 0.6 && three.validationAuc! <= 1, `ensemble validation AUC ${three.validationAuc} (networks ${three.networks.map((n) => n.auc).join()})`);
    // It serves, and a save/load round trip keeps every network: the same scores after loading.
    const scored = ensemble.scoreCandidates({ user: 2 });
    assert.ok(scored.items.length > 0);
    const dir = await mkdtemp(join(tmpdir(), 'magpie-ranker-ensemble-'));
    try {
      await ensemble.save(join(dir, 'three'));
      const loaded = new Ranker();
      await loaded.load(join(dir, 'three'));
      assert.equal(loaded.params.networks, 3);
      const a = new Float32Array(30);
      const b = new Float32Array(30);
      ensemble.scoreItems({ user: 5 }, a);
      loaded.scoreItems({ user: 5 }, b);
      assert.deepEqual([...b], [...a]);
      // A ranker written before `networks` existed: the param is absent and one network is stored.
      await single.save(join(dir, 'one'));
      const manifestPath = join(dir, 'one', 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { params: Record<string, unknown> };
      delete manifest.params['networks'];
      await writeFile(manifestPath, JSON.stringify(manifest));
      const old = new Ranker();
      await old.load(join(dir, 'one'));
      assert.equal(old.params.networks, 1);
      single.scoreItems({ user: 5 }, a);
      old.scoreItems({ user: 5 }, b);
      assert.deepEqual([...b], [...a]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible for a seed, differs across seeds, and leaves no tensors behind', async () => {
    const { tf } = await getEngine();
    const before = tf.memory().numTensors;
    const data = trendingShop(7);
    const scores = async (seed: number): Promise<number[]> => {
      const ranker = new Ranker({ retrievers: 'popularity+item-knn', candidates: 20, labelDays: 20, hidden1: 8, hidden2: 4, epochs: 3, patience: 0 });
      await ranker.fit(data, { seed });
      const out = new Float32Array(30);
      ranker.scoreItems({ user: 3 }, out);
      return [...out];
    };
    const first = await scores(1);
    assert.deepEqual(await scores(1), first);
    assert.notDeepEqual(await scores(2), first);
    assert.equal(tf.memory().numTensors, before);
  });

  it('learns from more label windows when asked, and stops where the data runs out', async () => {
    const data = trendingShop(8);
    const params = { retrievers: 'popularity', candidates: 30, labelDays: 20, hidden1: 8, hidden2: 0, epochs: 2, patience: 0 };
    const one = new Ranker({ ...params, labelWindows: 1 });
    await one.fit(data, { seed: 1 });
    const two = new Ranker({ ...params, labelWindows: 2 });
    await two.fit(data, { seed: 1 });
    assert.ok(two.trainingReport!.users > one.trainingReport!.users, 'a second window added no users');
    assert.ok(two.trainingReport!.trainRows > one.trainingReport!.trainRows);
    // 90 days hold at most four 20-day windows with data before them; asking for 50 is not an error.
    const many = new Ranker({ ...params, labelWindows: 50 });
    await many.fit(data, { seed: 1 });
    assert.ok(many.trainingReport!.users >= two.trainingReport!.users);
  });

  it('explains a label window it cannot use', async () => {
    // Every interaction on one day: nothing lies before a label window.
    const data = datasetFromTriples(3, 4, [
      [0, 0, 1, 0],
      [1, 1, 1, 0],
      [2, 2, 1, 0],
    ]);
    await assert.rejects(new Ranker(tiny).fit(data), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'labelDays');
  });

  it('scores a session from its history and delegates similar items to a retriever', async () => {
    const data = syntheticDataset({ users: 60, items: 40, seed: 3 });
    const ranker = new Ranker(tiny);
    await ranker.fit(data, { seed: 4 });
    const recs = ranker.recommend({ history: [1, 2, 3] }, { n: 5 });
    assert.equal(recs.length, 5);
    assert.ok(recs.every((r) => ![1, 2, 3].includes(r.item)));
    assert.equal(ranker.similarItems(3, { n: 4 }).length, 4);
    const dir = await mkdtemp(join(tmpdir(), 'magpie-ranker-'));
    try {
      await ranker.save(join(dir, 'm'));
      const loaded = new Ranker();
      await loaded.load(join(dir, 'm'));
      assert.deepEqual(loaded.recommend({ history: [1, 2, 3] }, { n: 5 }), recs);
      assert.equal(loaded.describe(), 'item-knn+popularity');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
