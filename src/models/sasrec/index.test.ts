import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { getEngine } from '../../math/engine.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Dropout } from '../sequence/layers.js';
import { packBatch } from '../sequence/network.js';
import { successorDataset, successorHitRate } from '../sequence/fixtures.case.js';
import { initialWeights, toVariables } from '../sequence/weights.js';
import { Sasrec } from './index.js';
import { SasrecScratch, sasrecEncode } from './inference.js';
import { SasrecNetwork, type SasrecShape } from './network.js';

const tiny = { width: 8, maxLength: 10, blocks: 1, epochs: 3, batchSize: 32, negatives: 16, validationUsers: 20 };

runRecommenderContract('sasrec', () => new Sasrec(tiny), { sequential: true });
runRecommenderContract('sasrec', () => new Sasrec({ ...tiny, blocks: 2, heads: 2, loss: 'gbce', dropout: 0 }), { sequential: true });

describe('sasrec', () => {
  it('learns that the next item follows from the previous one', async () => {
    const data = successorDataset({ users: 120, items: 20, length: 10, seed: 4 });
    const model = new Sasrec({ width: 16, maxLength: 8, blocks: 1, epochs: 25, batchSize: 32, learningRate: 0.01, dropout: 0, negatives: 19, validationUsers: 0 });
    await model.fit(data, { seed: 1 });
    const rate = successorHitRate(model, 20);
    assert.ok(rate >= 0.9, `hit@1 of the successor rule is ${rate}`);
    const report = model.trainingReport!;
    assert.ok(report.epochs.at(-1)!.loss < report.epochs[0]!.loss / 2, 'loss did not fall');
  });

  it('serves with the same function the engine trains: TypeScript and engine outputs agree', async () => {
    const { tf } = await getEngine();
    for (const heads of [1, 2]) {
      const shape: SasrecShape = { items: 30, maxLength: 6, width: 8, blocks: 2, heads };
      const network = new SasrecNetwork(shape, new Dropout(0.5, 1));
      const weights = initialWeights(network.specs, 9);
      // Non-trivial norms and biases, so a slip in either would show.
      for (const [name, values] of weights) if (/Norm|norm|Bias/.test(name)) values.forEach((_, i) => (values[i] = 0.5 + ((i * 37) % 11) / 10));
      const variables = toVariables(tf, network.specs, weights);
      const paths = [[3, 17, 4, 29, 0, 11], [5, 8], [21]];
      const windows = new Int32Array(paths.length * shape.maxLength).fill(-1);
      paths.forEach((path, r) => windows.set(path, r * shape.maxLength + shape.maxLength - path.length));
      const batch = packBatch(windows, [0, shape.maxLength, 2 * shape.maxLength], shape.maxLength, shape.items);
      const engineOut = tf.tidy(() => network.forward(tf, variables, batch, false).dataSync());
      const scratch = new SasrecScratch(shape);
      paths.forEach((path, r) => {
        const out = new Float32Array(shape.width);
        sasrecEncode(shape, weights, path, scratch, out);
        const row = (r * shape.maxLength + shape.maxLength - 1) * shape.width;
        for (let j = 0; j < shape.width; j++) {
          assert.ok(Math.abs(out[j]! - engineOut[row + j]!) < 1e-4, `heads ${heads}, path ${r}, entry ${j}: ${out[j]} vs ${engineOut[row + j]}`);
        }
      });
      for (const v of variables.values()) v.dispose();
    }
  });

  it('stops early and keeps the best epoch', async () => {
    const data = successorDataset({ users: 80, items: 20, length: 8, seed: 5 });
    const model = new Sasrec({ width: 8, maxLength: 8, blocks: 1, epochs: 40, patience: 1, batchSize: 32, learningRate: 0.05, negatives: 8, validationUsers: 40 });
    await model.fit(data, { seed: 2 });
    const report = model.trainingReport!;
    const scores = report.epochs.map((e) => e.validation!.ndcg);
    assert.ok(report.epochs.length < 40, 'ran every epoch');
    assert.equal(scores[report.bestEpoch - 1], Math.max(...scores));
    assert.equal(report.epochs.length, report.bestEpoch + 1, 'patience 1 stops one epoch after the best');
    assert.deepEqual(report.best, report.epochs[report.bestEpoch - 1]!.validation);
  });

  it('leaves no tensors behind after fitting', async () => {
    const { tf } = await getEngine();
    const before = tf.memory().numTensors;
    const model = new Sasrec({ width: 8, maxLength: 6, blocks: 1, epochs: 2, batchSize: 16, negatives: 8, validationUsers: 10 });
    await model.fit(successorDataset({ users: 30, items: 20, length: 6, seed: 7 }), { seed: 1 });
    assert.equal(tf.memory().numTensors, before);
  });

  it('is reproducible for a seed and differs across seeds', async () => {
    const data = successorDataset({ users: 40, items: 20, length: 6, seed: 6 });
    const params = { width: 8, maxLength: 6, blocks: 1, epochs: 2, batchSize: 16, negatives: 8, validationUsers: 10 };
    const scores = async (seed: number): Promise<number[]> => {
      const model = new Sasrec(params);
      await model.fit(data, { seed });
      const out = new Float32Array(20);
      model.scoreItems({ history: [1, 10] }, out);
      return [...out];
    };
    const first = await scores(3);
    assert.deepEqual(await scores(3), first);
    assert.notDeepEqual(await scores(4), first);
  });

  it('rejects heads that do not divide the width', () => {
    assert.throws(() => new Sasrec({ width: 10, heads: 3 }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'heads');
    assert.throws(() => new Sasrec({ loss: 'hinge' }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
