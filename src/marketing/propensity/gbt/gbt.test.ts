import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rocAuc } from '../../../eval/classification.js';
import { Random } from '../../../math/random.js';
import type { DenseMatrix } from '../matrix.js';
import { binMatrix, binOf, featureEdges } from './binning.js';
import { fitGbt, marginLogLoss } from './gbt.js';
import { GbtModel } from './model.js';

function matrix(rows: number[][]): DenseMatrix {
  return { values: Float64Array.from(rows.flat()), n: rows.length, d: rows[0]!.length };
}

const accuracy = (p: Float64Array, y: ArrayLike<number>): number => p.reduce((hits, v, i) => hits + Number((v > 0.5 ? 1 : 0) === y[i]), 0) / p.length;

/** n points uniform in the unit square; label = (x > 0.5) XOR (y > 0.5). */
function xor(n: number, seed: number): { x: DenseMatrix; y: Uint8Array } {
  const rng = new Random(seed);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.nextFloat();
    const b = rng.nextFloat();
    rows.push([a, b]);
    y[i] = Number(a > 0.5 !== b > 0.5);
  }
  return { x: matrix(rows), y };
}

describe('histogram binning', () => {
  it('cuts between distinct values when there are few, at quantiles when there are many', () => {
    assert.deepEqual(Array.from(featureEdges(Float64Array.of(3, 1, 2, 2, Number.NaN), 10)), [1.5, 2.5]);
    const many = Float64Array.from({ length: 1000 }, (_, i) => i);
    const edges = featureEdges(many, 4);
    assert.deepEqual(Array.from(edges), [249, 499, 749]);
    assert.deepEqual([binOf(Number.NaN, edges), binOf(-5, edges), binOf(249, edges), binOf(249.5, edges), binOf(999, edges)], [0, 1, 1, 2, 4]);
  });

  it('sends x ≤ edge to the bins left of a split, so trees can predict from raw values', () => {
    const rng = new Random(3);
    const values = Float64Array.from({ length: 500 }, () => Math.round(rng.nextFloat() * 50) / 10);
    const binned = binMatrix({ values, n: 500, d: 1 }, 16);
    const edges = binned.edges[0]!;
    for (let b = 1; b <= edges.length; b++) {
      for (let i = 0; i < 500; i++) assert.equal(binned.bins[i]! <= b, values[i]! <= edges[b - 1]!);
    }
  });
});

describe('gradient-boosted trees', () => {
  it('separates separable data perfectly with one threshold between the classes', () => {
    const xs = [0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.7, 0.75, 0.8, 0.9];
    const x = matrix(xs.flatMap((v) => Array.from({ length: 10 }, (_, k) => [v + k * 1e-3])));
    const y = Uint8Array.from(xs.flatMap((v) => Array(10).fill(v > 0.5 ? 1 : 0)));
    const { model } = fitGbt({ x, y }, { rounds: 50, learningRate: 0.3, minSamplesLeaf: 5, subsample: 1 });
    const p = model.predict(x);
    assert.equal(accuracy(p, y), 1);
    assert.equal(rocAuc(p, y), 1);
    // Every root split falls between 0.409 and 0.6, the gap between the classes.
    for (const tree of model.trees) assert.ok(tree.threshold[0]! > 0.409 && tree.threshold[0]! < 0.6, `${tree.threshold[0]}`);
    assert.ok(p[0]! < 0.05 && p[99]! > 0.95);
  });

  it('learns XOR with depth-2 trees, which stumps (an additive model) cannot', () => {
    const train = xor(2000, 1);
    const test = xor(1000, 2);
    const deep = fitGbt(train, { rounds: 200, maxDepth: 2, learningRate: 0.2, seed: 4 });
    const stumps = fitGbt(train, { rounds: 200, maxDepth: 1, learningRate: 0.2, seed: 4 });
    const deepAccuracy = accuracy(deep.model.predict(test.x), test.y);
    const stumpAccuracy = accuracy(stumps.model.predict(test.x), test.y);
    assert.ok(deepAccuracy > 0.96, `depth 2: ${deepAccuracy}`);
    assert.ok(stumpAccuracy < 0.7, `stumps: ${stumpAccuracy}`);
    // Both features matter equally for XOR.
    const gain = deep.model.gainImportance();
    assert.ok(Math.abs(gain[0]! - gain[1]!) < 0.25 && Math.abs(gain[0]! + gain[1]! - 1) < 1e-12, `${gain[0]}, ${gain[1]}`);
  });

  it('path contributions plus the bias add up to the margin of every row', () => {
    const { x, y } = xor(400, 5);
    const { model } = fitGbt({ x, y }, { rounds: 30, maxDepth: 3, seed: 2 });
    const margin = model.predictMargin(x);
    for (let i = 0; i < x.n; i += 37) {
      const c = model.contributions(x, i);
      assert.ok(Math.abs(c.reduce((a, b) => a + b, 0) - margin[i]!) < 1e-9);
    }
  });

  it('credits only the informative feature and learns where missing values go', () => {
    const rng = new Random(9);
    const rows: number[][] = [];
    const y = new Uint8Array(1000);
    for (let i = 0; i < 1000; i++) {
      const signal = rng.nextFloat();
      // Missing signal means a positive label; otherwise positive above 0.7.
      const missing = i % 5 === 0;
      rows.push([missing ? Number.NaN : signal, rng.nextFloat(), rng.nextFloat()]);
      y[i] = Number(missing || signal > 0.7);
    }
    const x = matrix(rows);
    const { model } = fitGbt({ x, y }, { rounds: 60, seed: 1 });
    const gain = model.gainImportance();
    assert.ok(gain[0]! > 0.95, `gain ${Array.from(gain)}`);
    const probe = model.predict(matrix([[Number.NaN, 0.5, 0.5], [0.2, 0.5, 0.5], [0.9, 0.5, 0.5]]));
    assert.ok(probe[0]! > 0.9 && probe[1]! < 0.1 && probe[2]! > 0.9, `${Array.from(probe)}`);
  });

  it('stops early at the best validation round and is reproducible for a seed', () => {
    // Labels are pure noise: the validation loss stops improving almost at once.
    const rng = new Random(11);
    const make = (n: number): { x: DenseMatrix; y: Uint8Array } => ({
      x: { values: Float64Array.from({ length: n * 3 }, () => rng.nextFloat()), n, d: 3 },
      y: Uint8Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 1 : 0)),
    });
    const train = make(600);
    const valid = make(300);
    const fit = fitGbt(train, { rounds: 400, earlyStoppingRounds: 10, seed: 7 }, valid);
    assert.ok(fit.validationLoss.length < 400, 'stopped before the last round');
    assert.equal(fit.rounds, fit.model.trees.length);
    const best = Math.min(...fit.validationLoss);
    assert.equal(fit.validationLoss[fit.rounds - 1], best);
    assert.equal(fit.validationLoss.length, fit.rounds + 10);
    assert.ok(Math.abs(marginLogLoss(fit.model.predictMargin(valid.x), valid.y) - best) < 1e-12);
    const again = fitGbt(train, { rounds: 400, earlyStoppingRounds: 10, seed: 7 }, valid);
    assert.deepEqual(Array.from(again.model.predict(valid.x)), Array.from(fit.model.predict(valid.x)));
  });

  it('round-trips through JSON', () => {
    const { x, y } = xor(300, 8);
    const { model } = fitGbt({ x, y }, { rounds: 20, seed: 3 });
    const copy = GbtModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    assert.deepEqual(Array.from(copy.predict(x)), Array.from(model.predict(x)));
  });

  it('rejects labels other than 0 and 1', () => {
    assert.throws(() => fitGbt({ x: matrix([[1], [2]]), y: [0, 2] }), /label 2 of row 1 is not 0 or 1/);
  });
});
