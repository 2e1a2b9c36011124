import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getEngine } from '../../math/engine.js';
import { runRecommenderContract } from '../recommender.case.js';
import { successorDataset, successorHitRate } from '../sequence/fixtures.case.js';
import { Dropout } from '../sequence/layers.js';
import { packBatch } from '../sequence/network.js';
import { initialWeights, toVariables } from '../sequence/weights.js';
import { Gru4rec } from './index.js';
import { Gru4recScratch, gru4recEncode } from './inference.js';
import { Gru4recNetwork, type Gru4recShape } from './network.js';

const tiny = { width: 8, maxLength: 10, epochs: 3, batchSize: 32, negatives: 16, validationUsers: 20 };

runRecommenderContract('gru4rec', () => new Gru4rec(tiny), { sequential: true });
runRecommenderContract('gru4rec', () => new Gru4rec({ ...tiny, loss: 'bpr-max', dropout: 0 }), { sequential: true });

describe('gru4rec', () => {
  it('learns that the next item follows from the previous one', async () => {
    const data = successorDataset({ users: 120, items: 20, length: 10, seed: 4 });
    const model = new Gru4rec({ width: 16, maxLength: 8, epochs: 25, batchSize: 32, learningRate: 0.02, dropout: 0, negatives: 19, validationUsers: 0 });
    await model.fit(data, { seed: 1 });
    const rate = successorHitRate(model, 20);
    assert.ok(rate >= 0.9, `hit@1 of the successor rule is ${rate}`);
  });

  it('serves with the same function the engine trains: TypeScript and engine outputs agree', async () => {
    const { tf } = await getEngine();
    const shape: Gru4recShape = { items: 30, maxLength: 6, width: 8 };
    const network = new Gru4recNetwork(shape, new Dropout(0.5, 1));
    const weights = initialWeights(network.specs, 9);
    for (const [name, values] of weights) if (name.endsWith('Bias')) values.forEach((_, i) => (values[i] = ((i * 37) % 11) / 10 - 0.5));
    const variables = toVariables(tf, network.specs, weights);
    const paths = [[3, 17, 4, 29, 0, 11], [5, 8], [21]];
    const windows = new Int32Array(paths.length * shape.maxLength).fill(-1);
    paths.forEach((path, r) => windows.set(path, r * shape.maxLength + shape.maxLength - path.length));
    const batch = packBatch(windows, [0, shape.maxLength, 2 * shape.maxLength], shape.maxLength, shape.items);
    const engineOut = tf.tidy(() => network.forward(tf, variables, batch, false).dataSync());
    const scratch = new Gru4recScratch(shape);
    paths.forEach((path, r) => {
      const out = new Float32Array(shape.width);
      gru4recEncode(shape, weights, path, scratch, out);
      const row = (r * shape.maxLength + shape.maxLength - 1) * shape.width;
      for (let j = 0; j < shape.width; j++) assert.ok(Math.abs(out[j]! - engineOut[row + j]!) < 1e-5, `path ${r}, entry ${j}: ${out[j]} vs ${engineOut[row + j]}`);
    });
    for (const v of variables.values()) v.dispose();
  });

  it('is reproducible for a seed', async () => {
    const data = successorDataset({ users: 40, items: 20, length: 6, seed: 6 });
    const params = { width: 8, maxLength: 6, epochs: 2, batchSize: 16, negatives: 8, validationUsers: 10 };
    const scores = async (seed: number): Promise<number[]> => {
      const model = new Gru4rec(params);
      await model.fit(data, { seed });
      const out = new Float32Array(20);
      model.scoreItems({ history: [1, 10] }, out);
      return [...out];
    };
    const first = await scores(3);
    assert.deepEqual(await scores(3), first);
    assert.notDeepEqual(await scores(4), first);
  });
});
