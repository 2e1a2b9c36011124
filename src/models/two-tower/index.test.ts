import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { getEngine } from '../../math/engine.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Dropout } from '../sequence/layers.js';
import { initialWeights, toVariables } from '../sequence/weights.js';
import { featureTable, buildVocabulary } from './features.js';
import { topicShop, TOPICS } from './fixtures.case.js';
import { TwoTower } from './index.js';
import { itemInputs, itemTower, TowerScratch, userVector } from './inference.js';
import { itemBatch, TwoTowerNetwork } from './network.js';

const tiny = { width: 8, maxLength: 10, epochs: 3, batchSize: 32, negatives: 16, validationUsers: 20 };

runRecommenderContract('two-tower', () => new TwoTower(tiny));
runRecommenderContract('two-tower', () => new TwoTower({ ...tiny, ann: 'hnsw', loss: 'bce', dropout: 0, idDropout: 0 }));

const shop = () => topicShop({ users: 90, perTopic: 12, perUser: 6, seed: 3 });
const shopParams = { width: 16, maxLength: 10, epochs: 30, batchSize: 32, learningRate: 0.01, validationUsers: 0 };

/** 1-based rank of `item` among the scores (items scoring strictly higher, plus one). */
function rankOf(scores: Float32Array, item: number, exclude: ReadonlySet<number> = new Set()): number {
  let rank = 1;
  scores.forEach((s, j) => {
    if (j !== item && !exclude.has(j) && s > scores[item]!) rank++;
  });
  return rank;
}

describe('two-tower', () => {
  it("learns which topic a shopper buys from: most of the top 5 are the shopper's topic", async () => {
    const data = shop();
    const model = new TwoTower(shopParams);
    await model.fit(data, { seed: 1 });
    let inTopic = 0;
    for (let u = 0; u < 90; u++) {
      const seen = new Set(data.sequences[u]!.items);
      for (const { item } of model.recommend({ user: u }, { n: 5, exclude: seen })) if (item % 3 === u % 3) inTopic++;
    }
    assert.ok(inTopic / (90 * 5) >= 0.9, `share of top-5 in the user's topic: ${inTopic / 450}`);
    const report = model.trainingReport!;
    assert.ok(report.epochs.at(-1)!.loss < report.epochs[0]!.loss, 'loss did not fall');
  });

  it('places a brand-new product by its text alone: high for shoppers of its topic, low for others', async () => {
    const data = shop();
    const model = new TwoTower(shopParams);
    await model.fit(data, { seed: 2 });
    const before = model.recommend({ user: 0 }, { n: 3 });
    const [mug] = model.addItems([{ title: 'Ceramic espresso mug', description: 'a coffee mug with saucer', categories: ['Kitchen'], brand: null, price: 9 }]);
    assert.equal(mug, 36);
    const out = new Float32Array(37);
    const ranks: number[][] = [[], [], []];
    for (let u = 0; u < 90; u++) {
      model.scoreItems({ user: u }, out);
      ranks[u % 3]!.push(rankOf(out, mug!, new Set(data.sequences[u]!.items)));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    // Every shopper has 6 unseen items of their own topic and 24 of the others. For Kitchen
    // shoppers the new mug should rank among their 6; for the others, below them.
    assert.ok(median(ranks[0]!) <= 6, `median rank for Kitchen shoppers ${median(ranks[0]!)}`);
    assert.ok(ranks[0]!.filter((r) => r <= 10).length >= 27, `Kitchen shoppers with the mug in their top 10: ${ranks[0]!.filter((r) => r <= 10).length} of 30`);
    for (const other of [1, 2]) assert.ok(median(ranks[other]!) > 6, `median rank for ${TOPICS[other]!.category} shoppers ${median(ranks[other]!)}`);
    // An anonymous history of three Kitchen items retrieves it among the 9 other Kitchen items.
    const kitchenHistory = [0, 3, 6];
    const retrieved = model.recommend({ history: kitchenHistory }, { n: 10, exclude: new Set(kitchenHistory) }).map((r) => r.item);
    assert.ok(retrieved.includes(mug!), `top 10 for a Kitchen history: ${retrieved.join(' ')}`);
    // Items that were there before keep their scores.
    assert.deepEqual(model.recommend({ user: 0 }, { n: 3 }).filter((r) => r.item !== mug).slice(0, 2), before.slice(0, 2));
    const { vectors, prior } = model.embedItems([{ title: 'Ceramic espresso mug', description: 'a coffee mug with saucer', categories: ['Kitchen'], brand: null, price: 9 }]);
    assert.equal(vectors.length, 16);
    assert.equal(prior.length, 1);
    // Its nearest neighbours are Kitchen items (a third of the catalogue).
    const similar = model.similarItems(mug!, { n: 3 }).map((s) => s.item);
    assert.ok(similar.every((item) => item % 3 === 0), `nearest items of the new mug: ${similar.join(' ')}`);
  });

  it('keeps added items through save and load, on the HNSW path too', async () => {
    const data = shop();
    const model = new TwoTower({ ...shopParams, epochs: 5, ann: 'hnsw' });
    await model.fit(data, { seed: 3 });
    assert.equal(model.searchKind, 'hnsw');
    const [lamp] = model.addItems([{ title: 'Brass desk lamp', description: null, categories: ['Lighting'], brand: 'Lumo', price: 30 }]);
    const dir = await mkdtemp(join(tmpdir(), 'magpie-two-tower-'));
    try {
      await model.save(dir);
      const loaded = new TwoTower({ ...shopParams, epochs: 5, ann: 'hnsw' });
      await loaded.load(dir);
      const history = [2, 5, 8];
      assert.deepEqual(loaded.recommend({ history }, { n: 10 }), model.recommend({ history }, { n: 10 }));
      assert.deepEqual(loaded.similarItems(lamp!, { n: 3 }), model.similarItems(lamp!, { n: 3 }));
      // HNSW and exact scoring agree on this catalogue.
      const out = new Float32Array(37);
      loaded.scoreItems({ history }, out);
      const exact = [...out.keys()].sort((a, b) => out[b]! - out[a]! || a - b).slice(0, 10);
      assert.deepEqual(loaded.recommend({ history }, { n: 10 }).map((r) => r.item), exact);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a new product none of whose fields it knows', async () => {
    const model = new TwoTower({ ...shopParams, epochs: 1 });
    await model.fit(shop(), { seed: 1 });
    assert.throws(
      () => model.addItems([{ title: 'Quantum flux capacitor', description: null, categories: [], brand: null, price: null }]),
      (e: unknown) => isMagpieError(e, 'invalid_input') && /row 0/.test(e.message),
    );
  });

  it('serves with the same function the engine trains: TypeScript and engine towers agree', async () => {
    const { tf } = await getEngine();
    const data = shop();
    const options = { vocabulary: 100, minCount: 2, maxWords: 5, priceBuckets: 4 };
    const vocabulary = buildVocabulary(data.catalog, options);
    const table = featureTable(36, (i) => data.catalog.get(i), vocabulary, options);
    const d = 8;
    const network = new TwoTowerNetwork({ items: 36, features: vocabulary.terms.length, width: d }, new Dropout(0.5, 1));
    const weights = initialWeights(network.specs, 4);
    // Non-zero biases and prior weights, so a slip in either would show.
    for (const [name, values] of weights) if (/Bias|prior/.test(name)) values.forEach((_, i) => (values[i] = ((i * 37) % 11) / 10 - 0.5));
    const variables = toVariables(tf, network.specs, weights);
    const ids = Int32Array.from({ length: 36 }, (_, i) => i);
    const idMask = Float32Array.from(ids, (i) => (i % 5 === 0 ? 0 : 1));
    const histories = [[3, 17, 4, 29], [5], []];
    const contexts = new Int32Array(3 * 6).fill(-1);
    histories.forEach((h, r) => contexts.set(h, r * 6));
    const [engineX, engineV, engineB, engineU] = tf.tidy(() => {
      const x = network.inputs(tf, variables, itemBatch(ids, idMask, table));
      const { vectors, prior } = network.itemTower(tf, variables, x, false);
      const users = network.userTower(tf, variables, x, contexts, 3, false);
      return [x.dataSync(), vectors.dataSync(), prior.dataSync(), users.dataSync()];
    });
    const x = new Float32Array(36 * d);
    itemInputs(weights, d, table, 36, (i) => idMask[i] === 1, x);
    const v = new Float32Array(36 * d);
    const b = new Float32Array(36);
    itemTower(weights, d, x, 36, v, b);
    const close = (a: ArrayLike<number>, e: ArrayLike<number>, what: string) => {
      assert.equal(a.length, e.length);
      for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - e[k]!) < 1e-5, `${what} ${k}: ${a[k]} vs ${e[k]}`);
    };
    close(x, engineX!, 'input');
    close(v, engineV!, 'item vector');
    close(b, engineB!, 'prior');
    histories.forEach((h, r) => {
      const u = new Float32Array(d);
      userVector(weights, d, x, h, new TowerScratch(1, d), new Float32Array(d), u);
      close(u, engineU!.subarray(r * d, (r + 1) * d), `user ${r}`);
    });
    for (const variable of variables.values()) variable.dispose();
  });

  it('stops early and keeps the best epoch', async () => {
    const model = new TwoTower({ ...shopParams, epochs: 40, patience: 1, learningRate: 0.05, validationUsers: 40 });
    await model.fit(topicShop({ users: 120, perTopic: 12, perUser: 5, seed: 8 }), { seed: 2 });
    const report = model.trainingReport!;
    const scores = report.epochs.map((e) => e.validation!.ndcg);
    assert.ok(report.epochs.length < 40, 'ran every epoch');
    assert.equal(scores[report.bestEpoch - 1], Math.max(...scores));
    assert.equal(report.epochs.length, report.bestEpoch + 1, 'patience 1 stops one epoch after the best');
    assert.equal(report.validationUsers, 40);
  });

  it('is reproducible for a seed, differs across seeds, and leaves no tensors behind', async () => {
    const { tf } = await getEngine();
    const before = tf.memory().numTensors;
    const data = topicShop({ users: 30, perTopic: 6, perUser: 4, seed: 4 });
    const scores = async (seed: number): Promise<number[]> => {
      const model = new TwoTower({ ...tiny, validationUsers: 5 });
      await model.fit(data, { seed });
      const out = new Float32Array(18);
      model.scoreItems({ history: [1, 10] }, out);
      return [...out];
    };
    const first = await scores(3);
    assert.deepEqual(await scores(3), first);
    assert.notDeepEqual(await scores(4), first);
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects bad params and data without interactions', async () => {
    assert.throws(() => new TwoTower({ ann: 'faiss' }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => new TwoTower({ idDropout: 2 }), (e: unknown) => isMagpieError(e, 'invalid_input'));
    const empty = topicShop({ users: 3, perTopic: 2, perUser: 0, seed: 1 });
    await assert.rejects(new TwoTower(tiny).fit(empty), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
