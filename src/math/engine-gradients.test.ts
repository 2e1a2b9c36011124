import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as tfc from '@tensorflow/tfjs-core';
import { getEngine } from './engine.js';
import { GRADIENT_RULES } from './engine-gradients.js';

type Tf = typeof tfc;
type Tensor = tfc.Tensor;

/** Values in [-1, 1] (or [0.5, 2] when positive) kept 0.1 away from 0, so kinks (relu, max) are not straddled. */
function values(length: number, seed: number, positive = false): number[] {
  let s = seed;
  return Array.from({ length }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const u = s / 2 ** 31;
    if (positive) return 0.5 + 1.5 * u;
    const v = 2 * u - 1;
    return Math.abs(v) < 0.1 ? v + 0.2 * Math.sign(v || 1) : v;
  });
}

interface Case {
  /** The kernel whose gradient rule this case exercises. */
  kernel: string;
  shape: number[];
  positive?: boolean;
  /** A function of x, made scalar by the harness with fixed random weights. */
  f: (tf: Tf, x: Tensor) => Tensor;
}

const c23 = (tf: Tf): Tensor => tf.tensor2d(values(6, 99), [2, 3]);

const CASES: Case[] = [
  { kernel: 'Add', shape: [2, 3], f: (tf, x) => tf.add(x, c23(tf)) },
  { kernel: 'Add', shape: [3], f: (tf, x) => tf.add(c23(tf), x) },
  { kernel: 'Sub', shape: [2, 3], f: (tf, x) => tf.sub(x, c23(tf)) },
  { kernel: 'Sub', shape: [1, 3], f: (tf, x) => tf.sub(c23(tf), x) },
  { kernel: 'Multiply', shape: [2, 3], f: (tf, x) => tf.mul(x, c23(tf)) },
  { kernel: 'Multiply', shape: [2, 1], f: (tf, x) => tf.mul(c23(tf), x) },
  { kernel: 'Multiply', shape: [2, 3], f: (tf, x) => tf.mul(x, x) },
  { kernel: 'RealDiv', shape: [2, 3], f: (tf, x) => tf.div(x, tf.add(c23(tf), 3)) },
  { kernel: 'RealDiv', shape: [3], positive: true, f: (tf, x) => tf.div(c23(tf), x) },
  { kernel: 'SquaredDifference', shape: [2, 3], f: (tf, x) => tf.squaredDifference(x, c23(tf)) },
  { kernel: 'SquaredDifference', shape: [3], f: (tf, x) => tf.squaredDifference(c23(tf), x) },
  { kernel: 'Maximum', shape: [2, 3], f: (tf, x) => tf.maximum(x, tf.mul(c23(tf), 0.5)) },
  { kernel: 'Maximum', shape: [2, 3], f: (tf, x) => tf.maximum(tf.mul(c23(tf), 0.5), x) },
  { kernel: 'Neg', shape: [2, 3], f: (tf, x) => tf.neg(x) },
  { kernel: 'Square', shape: [2, 3], f: (tf, x) => tf.square(x) },
  { kernel: 'Log', shape: [2, 3], positive: true, f: (tf, x) => tf.log(x) },
  { kernel: 'Relu', shape: [2, 3], f: (tf, x) => tf.relu(x) },
  { kernel: 'Softplus', shape: [2, 3], f: (tf, x) => tf.softplus(x) },
  { kernel: 'Identity', shape: [2, 3], f: (tf, x) => tf.clone(x) },
  { kernel: 'Cast', shape: [2, 3], f: (tf, x) => tf.cast(x, 'float32') },
  { kernel: 'Exp', shape: [2, 3], f: (tf, x) => tf.exp(x) },
  { kernel: 'Sqrt', shape: [2, 3], positive: true, f: (tf, x) => tf.sqrt(x) },
  { kernel: 'Rsqrt', shape: [2, 3], positive: true, f: (tf, x) => tf.rsqrt(x) },
  { kernel: 'Sigmoid', shape: [2, 3], f: (tf, x) => tf.sigmoid(x) },
  { kernel: 'Tanh', shape: [2, 3], f: (tf, x) => tf.tanh(x) },
  { kernel: 'Sum', shape: [2, 3], f: (tf, x) => tf.sum(x, 1) },
  { kernel: 'Sum', shape: [2, 3, 2], f: (tf, x) => tf.sum(x, [0, 2], true) },
  { kernel: 'Mean', shape: [2, 3], f: (tf, x) => tf.mean(x, 0, true) },
  { kernel: 'Mean', shape: [2, 3], f: (tf, x) => tf.mean(x) },
  { kernel: 'Max', shape: [2, 3], f: (tf, x) => tf.max(x, 1) },
  { kernel: 'BatchMatMul', shape: [2, 3], f: (tf, x) => tf.matMul(x, tf.tensor2d(values(12, 7), [3, 4])) },
  { kernel: 'BatchMatMul', shape: [3, 4], f: (tf, x) => tf.matMul(c23(tf), x) },
  { kernel: 'BatchMatMul', shape: [4, 3], f: (tf, x) => tf.matMul(c23(tf), x, false, true) },
  { kernel: 'BatchMatMul', shape: [2, 3], f: (tf, x) => tf.matMul(x, tf.tensor2d(values(12, 7), [4, 3]), false, true) },
  { kernel: 'BatchMatMul', shape: [3, 2], f: (tf, x) => tf.matMul(x, tf.tensor2d(values(12, 7), [3, 4]), true, false) },
  { kernel: 'BatchMatMul', shape: [2, 4], f: (tf, x) => tf.matMul(c23(tf), x, true, false) },
  { kernel: 'BatchMatMul', shape: [3, 2], f: (tf, x) => tf.matMul(x, tf.tensor2d(values(12, 7), [4, 3]), true, true) },
  { kernel: 'BatchMatMul', shape: [4, 2], f: (tf, x) => tf.matMul(c23(tf), x, true, true) },
  { kernel: 'BatchMatMul', shape: [2, 2, 3], f: (tf, x) => tf.matMul(x, x, false, true) },
  { kernel: 'BatchMatMul', shape: [3, 2], f: (tf, x) => tf.matMul(tf.tensor3d(values(12, 8), [2, 2, 3]), x) },
  { kernel: 'GatherV2', shape: [5, 2], f: (tf, x) => tf.gather(x, tf.tensor1d([1, 1, 4, 0, 1], 'int32')) },
  { kernel: 'GatherV2', shape: [5, 2], f: (tf, x) => tf.gather(x, tf.tensor2d([3, 1, 3, 0], [2, 2], 'int32')) },
  { kernel: 'Softmax', shape: [2, 3], f: (tf, x) => tf.softmax(x) },
  { kernel: 'Reshape', shape: [2, 3], f: (tf, x) => tf.reshape(x, [3, 2]) },
  { kernel: 'ExpandDims', shape: [2, 3], f: (tf, x) => tf.expandDims(x, 1) },
  { kernel: 'Transpose', shape: [2, 3, 4], f: (tf, x) => tf.transpose(x, [1, 2, 0]) },
  { kernel: 'Slice', shape: [3, 4], f: (tf, x) => tf.slice(x, [1, 1], [2, -1]) },
  { kernel: 'Concat', shape: [2, 3], f: (tf, x) => tf.concat([x, tf.square(x), c23(tf)], 1) },
  { kernel: 'Pack', shape: [2, 3], f: (tf, x) => tf.stack([x, tf.mul(x, 3)], 1) },
  { kernel: 'Unpack', shape: [3, 2], f: (tf, x) => tf.mul(tf.unstack(x, 1)[1]!, 2) },
];

/** Largest relative gap between tf.grad and central differences of Σ w·f(x). */
function worstGap(tf: Tf, testCase: Case, seed: number): number {
  const size = testCase.shape.reduce((a, b) => a * b, 1);
  const x0 = values(size, seed, testCase.positive);
  const loss = (x: Tensor): Tensor => {
    const y = testCase.f(tf, x);
    return tf.sum(tf.mul(y, tf.tensor(values(y.size, seed + 1), y.shape)));
  };
  const analytic = tf.tidy(() => tf.grad(loss)(tf.tensor(x0, testCase.shape)).dataSync());
  const h = 1e-2;
  let worst = 0;
  for (let i = 0; i < size; i++) {
    const at = (delta: number): number =>
      tf.tidy(() => loss(tf.tensor(x0.map((v, j) => (j === i ? v + delta : v)), testCase.shape)).dataSync()[0]!);
    const numeric = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs(analytic[i]! - numeric) / Math.max(1, Math.abs(numeric)));
  }
  return worst;
}

describe('engine gradients', () => {
  it('match central differences for every registered rule', async () => {
    const { tf } = await getEngine();
    const start = tf.memory().numTensors;
    CASES.forEach((testCase, c) => {
      const gap = worstGap(tf, testCase, 11 + c);
      assert.ok(gap < 1e-2, `${testCase.kernel} (case ${c}): analytic and numeric gradients differ by ${gap.toExponential(2)}`);
    });
    assert.equal(tf.memory().numTensors, start, 'gradient rules leaked tensors');
  });

  it('has a numeric check for each rule', () => {
    const checked = new Set(CASES.map((c) => c.kernel));
    const missing = GRADIENT_RULES.map((r) => r.kernel).filter((k) => !checked.has(k));
    assert.deepEqual(missing, []);
  });

  it('trains through the registered rules: least squares by gradient descent reaches the solution', async () => {
    const { tf } = await getEngine();
    // y = X·w* with w* = (1, -2, 0.5); plain gradient descent on the mean squared error.
    const xs = tf.tensor2d(values(30, 3), [10, 3]);
    const target = tf.matMul(xs, tf.tensor2d([1, -2, 0.5], [3, 1]));
    const w = tf.variable(tf.zeros([3, 1]));
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < 300; step++) {
      tf.tidy(() => {
        optimizer.minimize(() => tf.mean(tf.squaredDifference(tf.matMul(xs, w), target)) as tfc.Scalar);
      });
    }
    const learned = [...w.dataSync()];
    [1, -2, 0.5].forEach((v, i) => assert.ok(Math.abs(learned[i]! - v) < 1e-3, `w[${i}] = ${learned[i]}`));
    tf.dispose([xs, target, w]);
    optimizer.dispose();
  });
});
