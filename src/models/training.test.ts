import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { getEngine } from '../math/engine.js';
import { trainWithEarlyStopping, type EarlyStoppingLoop, type EpochValidation } from './training.js';

/**
 * A toy model with one weight: each epoch writes the epoch number into it and returns `losses[epoch − 1]`,
 * and validation reads `scores[epoch − 1]`, so the kept weight tells which epoch was kept.
 */
function toyLoop(losses: number[], scores: number[] | undefined, patience: number, progress?: Progress): EarlyStoppingLoop<{ score: number; weight: number }> {
  let epoch = 0;
  const validation: EpochValidation<{ score: number; weight: number }> = {
    label: 'score@1',
    measure: (_tf, variables) => ({ score: scores![epoch - 1]!, weight: variables.get('w')!.dataSync()[0]! }),
    score: (figures) => figures.score,
  };
  return {
    specs: [{ name: 'w', shape: [1], init: 'zeros' }],
    seed: 1,
    params: { epochs: losses.length, patience, learningRate: 0.01 },
    label: 'toy',
    ...(progress ? { progress } : {}),
    epoch: ({ tf, variables }) => {
      epoch++;
      const value = tf.tensor1d([epoch]);
      variables.get('w')!.assign(value);
      value.dispose();
      return losses[epoch - 1]!;
    },
    ...(scores ? { validation } : {}),
  };
}

describe('trainWithEarlyStopping', () => {
  it('stops after `patience` epochs without a higher score and keeps the best epoch', async () => {
    const ticks: Record<string, string | number>[] = [];
    const progress: Progress = { start() {}, stop() {}, tick: (_d, info) => void ticks.push(info ?? {}) };
    const { weights, report } = await trainWithEarlyStopping(toyLoop([1, 0.9, 0.8, 0.7, 0.6, 0.5], [0.1, 0.5, 0.5, 0.3, 0.9, 0.9], 2, progress));
    // 0.5 again in epoch 3 is no improvement: epochs 3 and 4 are stale, so epoch 5's 0.9 is never reached.
    assert.deepEqual(report.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
    assert.equal(report.bestEpoch, 2);
    assert.deepEqual(report.best, { score: 0.5, weight: 2 });
    assert.equal(report.secondsToBest, report.epochs[1]!.seconds);
    assert.deepEqual([...weights.get('w')!], [2]);
    assert.deepEqual(ticks[1], { loss: '0.9000', 'score@1': '0.5000' });
  });

  it('keeps the last epoch without validation or with patience 0', async () => {
    for (const loop of [toyLoop([1, 0.9, 0.8], undefined, 2), toyLoop([1, 0.9, 0.8], [0.9, 0.1, 0.2], 0)]) {
      const { weights, report } = await trainWithEarlyStopping(loop);
      assert.equal(report.epochs.length, 3);
      assert.equal(report.bestEpoch, 3);
      assert.deepEqual([...weights.get('w')!], [3]);
    }
  });

  it('fails on a diverging first epoch, and keeps the best epoch when a later one diverges', async () => {
    await assert.rejects(trainWithEarlyStopping(toyLoop([NaN, 1], [0.1, 0.2], 2)), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'learningRate');
    const { weights, report } = await trainWithEarlyStopping(toyLoop([1, 0.9, Infinity, 0.5], [0.2, 0.1, 0.3, 0.4], 3));
    assert.equal(report.epochs.length, 2);
    assert.equal(report.bestEpoch, 1);
    assert.deepEqual([...weights.get('w')!], [1]);
  });

  it('leaves no tensors behind', async () => {
    const { tf } = await getEngine();
    const before = tf.memory().numTensors;
    await trainWithEarlyStopping(toyLoop([1, 0.9, 0.8], [0.1, 0.2, 0.3], 1));
    assert.equal(tf.memory().numTensors, before);
  });
});
