import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getEngine } from '../../math/engine.js';
import { Random } from '../../math/random.js';
import { initialWeights } from '../sequence/weights.js';
import { mlpLogits, mlpLogitsOnEngine, MlpScratch, mlpSpecs, type MlpShape } from './network.js';

describe('ranker network serving paths', () => {
  it('gives the same logits in TypeScript and on the engine, and leaves no tensor on the engine', async () => {
    const { tf } = await getEngine();
    const shape: MlpShape = { inputs: 13, hidden: [16, 8] };
    const weights = initialWeights(mlpSpecs(shape), 5);
    // Glorot init leaves biases at zero; give them values so they are checked too.
    const random = new Random(9);
    for (const [name, values] of weights) if (name.endsWith('_b')) for (let k = 0; k < values.length; k++) values[k] = random.nextFloat() - 0.5;
    const rows = 41;
    const x = Float32Array.from({ length: rows * shape.inputs }, () => random.nextFloat() * 4 - 2);
    const plain = new Float32Array(rows);
    mlpLogits(shape, weights, x, rows, new MlpScratch(shape, rows), plain);
    const before = tf.memory().numTensors;
    const onEngine = new Float32Array(rows + 3).fill(42);
    mlpLogitsOnEngine(tf, shape, weights, x, rows, onEngine);
    assert.equal(tf.memory().numTensors, before);
    for (let r = 0; r < rows; r++) assert.ok(Math.abs(plain[r]! - onEngine[r]!) < 1e-4, `row ${r}: ${plain[r]} vs ${onEngine[r]}`);
    assert.deepEqual([...onEngine.subarray(rows)], [42, 42, 42]);
    assert.ok(new Set(plain).size > rows / 2, 'logits should vary across rows');
  });
});
