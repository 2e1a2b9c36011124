import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getEngine } from '../../math/engine.js';
import { gbceBeta, sequenceLoss } from './losses.js';
import { NegativeSampler } from './negatives.js';
import type { SequenceLoss } from './params.js';

const softplus = (x: number): number => Math.log1p(Math.exp(x));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * Two positions over a 4-item table (+ padding row), width 2, negatives {1, 3}; position 1's
 * target is item 3, an accidental hit. Scores worked out here in float64.
 */
const hidden = [1, 0.5, -0.5, 2];
const table = [0.2, 0.1, -0.3, 0.4, 0.5, -0.2, 0.1, 0.3, 0, 0];
const bias = [0.05, -0.1, 0.2, 0.3, 0];
const targets = [0, 3];
const negatives = [1, 3];
const hits = [0, 0, 0, 1];
const hitColumns = [-1, 1];
const score = (p: number, item: number): number =>
  hidden[2 * p]! * table[2 * item]! + hidden[2 * p + 1]! * table[2 * item + 1]! + bias[item]!;

function reference(kind: SequenceLoss, catalogue: number, t: number, reg: number): number {
  let total = 0;
  for (let p = 0; p < 2; p++) {
    const pos = score(p, targets[p]!);
    const negs = negatives.map((j) => score(p, j));
    const mask = [hits[2 * p]!, hits[2 * p + 1]!];
    if (kind === 'sampled-softmax') {
      const terms = [pos, ...negs.filter((_, j) => mask[j] === 0)];
      total += Math.log(terms.reduce((a, s) => a + Math.exp(s), 0)) - pos;
    } else if (kind === 'bce' || kind === 'gbce') {
      const beta = kind === 'gbce' ? gbceBeta(2, catalogue, t) : 1;
      total += beta * softplus(-pos) + negs.reduce((a, s, j) => a + (mask[j] === 0 ? softplus(s) : 0), 0);
    } else {
      const live = negs.map((s, j) => (mask[j] === 0 ? Math.exp(s) : 0));
      const z = live.reduce((a, b) => a + b, 0);
      const weights = live.map((e) => e / z);
      const ranking = -Math.log(weights.reduce((a, w, j) => a + w * sigmoid(pos - negs[j]!), 0) + 1e-10);
      total += ranking + reg * weights.reduce((a, w, j) => a + w * negs[j]! ** 2, 0);
    }
  }
  return total / 2;
}

describe('sequence losses', () => {
  for (const kind of ['sampled-softmax', 'bce', 'gbce', 'bpr-max'] as const) {
    it(`${kind} matches the formula, accidental hit masked`, async () => {
      const { tf } = await getEngine();
      const options = { kind, catalogue: 4, gbceT: 0.75, bprMaxReg: 0.5 };
      const value = tf.tidy(() =>
        sequenceLoss(
          tf,
          {
            hidden: tf.tensor2d(hidden, [2, 2]),
            table: tf.tensor2d(table, [5, 2]),
            bias: tf.tensor1d(bias),
            targets: tf.tensor1d(targets, 'int32'),
            negatives: tf.tensor1d(negatives, 'int32'),
            hitColumns: Int32Array.from(hitColumns),
            exhaustive: false,
          },
          options,
        ).dataSync()[0]!,
      );
      const expected = reference(kind, 4, 0.75, 0.5);
      assert.ok(Math.abs(value - expected) < 1e-5, `${value} vs ${expected}`);
    });
  }

  it('differentiates the sampled softmax as the plain log-softmax does', async () => {
    const { tf } = await getEngine();
    type T = import('../../math/engine.js').Tensor;
    const inputs = (h: T, t: T, b: T) => ({
      hidden: h as import('../../math/engine.js').Tensor2D,
      table: t as import('../../math/engine.js').Tensor2D,
      bias: b as import('../../math/engine.js').Tensor1D,
      targets: tf.tensor1d(targets, 'int32'),
      negatives: tf.tensor1d(negatives, 'int32'),
      hitColumns: Int32Array.from(hitColumns),
      exhaustive: false,
    });
    const options = { kind: 'sampled-softmax' as const, catalogue: 4, gbceT: 0.75, bprMaxReg: 1 };
    const at = (): T[] => [tf.tensor2d(hidden, [2, 2]), tf.tensor2d(table, [5, 2]), tf.tensor1d(bias)];
    const ours = tf.tidy(() => tf.grads((h: T, t: T, b: T) => sequenceLoss(tf, inputs(h, t, b), options))(at()).map((g) => [...g.dataSync()]));
    // The same loss through concat + logSoftmax + slice, differentiated op by op.
    const plain = tf.tidy(() =>
      tf
        .grads((h: T, t: T, b: T) => {
          const x = inputs(h, t, b);
          const pos = tf.add(tf.sum(tf.mul(x.hidden, tf.gather(x.table, x.targets)), 1), tf.gather(x.bias, x.targets));
          const neg = tf.add(tf.matMul(x.hidden, tf.gather(x.table, x.negatives), false, true), tf.gather(x.bias, x.negatives));
          const logits = tf.concat([tf.reshape(pos, [2, 1]), tf.sub(neg, tf.mul(tf.tensor2d(hits, [2, 2]), 1e9))], 1);
          return tf.neg(tf.mean(tf.slice(tf.logSoftmax(logits), [0, 0], [2, 1])));
        })(at())
        .map((g) => [...g.dataSync()]),
    );
    ours.forEach((grad, g) => grad.forEach((v, i) => assert.ok(Math.abs(v - plain[g]![i]!) < 1e-6, `input ${g} entry ${i}: ${v} vs ${plain[g]![i]}`)));
    for (const grad of ours) assert.ok(grad.some((v) => Math.abs(v) > 1e-3));
    // Items 0 and 3 are targets, 1 and 3 negatives: item 2 and the padding row get nothing.
    assert.deepEqual([ours[1]![4], ours[1]![5], ours[2]![2], ours[2]![4]], [0, 0, 0, 0]);
  });

  it('is the exact softmax when every item is a negative', async () => {
    const { tf } = await getEngine();
    type T = import('../../math/engine.js').Tensor;
    const all = [0, 1, 2, 3];
    const loss = (h: T, t: T, b: T): T =>
      sequenceLoss(
        tf,
        {
          hidden: h as never,
          table: t as never,
          bias: b as never,
          targets: tf.tensor1d(targets, 'int32'),
          negatives: tf.tensor1d(all, 'int32'),
          hitColumns: Int32Array.from(targets),
          exhaustive: true,
        },
        { kind: 'sampled-softmax', catalogue: 4, gbceT: 0.75, bprMaxReg: 1 },
      );
    const full = (h: T, t: T, b: T): T => {
      const logits = tf.add(tf.matMul(h as never, tf.slice(t, [0, 0], [4, 2]) as never, false, true), tf.slice(b, [0], [4]));
      return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(tf.tensor1d(targets, 'int32'), 4)), 1)));
    };
    const at = (): T[] => [tf.tensor2d(hidden, [2, 2]), tf.tensor2d(table, [5, 2]), tf.tensor1d(bias)];
    const expected = (p: number): number => {
      const scores = all.map((j) => score(p, j));
      return Math.log(scores.reduce((a, x) => a + Math.exp(x), 0)) - score(p, targets[p]!);
    };
    const value = tf.tidy(() => loss(...(at() as [T, T, T])).dataSync()[0]!);
    assert.ok(Math.abs(value - (expected(0) + expected(1)) / 2) < 1e-5, `${value}`);
    const ours = tf.tidy(() => tf.grads(loss)(at()).map((g) => [...g.dataSync()]));
    const reference = tf.tidy(() => tf.grads(full)(at()).map((g) => [...g.dataSync()]));
    ours.forEach((grad, g) => grad.forEach((v, i) => assert.ok(Math.abs(v - reference[g]![i]!) < 1e-6, `input ${g} entry ${i}: ${v} vs ${reference[g]![i]}`)));
  });

  it('gives gBCE β = 1 at t = 0 and α at t = 1', () => {
    assert.equal(gbceBeta(10, 101, 0), 1);
    assert.ok(Math.abs(gbceBeta(10, 101, 1) - 0.1) < 1e-12);
    assert.ok(gbceBeta(10, 101, 0.75) < 1 && gbceBeta(10, 101, 0.75) > 0.1);
  });
});

describe('negative sampler', () => {
  it('draws distinct known items, uniformly and reproducibly', () => {
    const known = Uint8Array.from({ length: 50 }, (_, i) => (i % 5 === 4 ? 0 : 1));
    const a = new NegativeSampler(known, 10, 3);
    const b = new NegativeSampler(known, 10, 3);
    const counts = new Float64Array(50);
    for (let draw = 0; draw < 2000; draw++) {
      const items = a.draw();
      assert.deepEqual(items, b.draw());
      assert.equal(new Set(items).size, 10);
      for (const i of items) counts[i]!++;
    }
    // 40 known items, 10 per draw: each drawn 500 times in expectation (sd ≈ 19).
    for (let i = 0; i < 50; i++) {
      if (known[i] === 0) assert.equal(counts[i], 0, `unknown item ${i} drawn`);
      else assert.ok(Math.abs(counts[i]! - 500) < 100, `item ${i} drawn ${counts[i]} times`);
    }
  });

  it('takes every known item when asked for more, and marks accidental hits', () => {
    const sampler = new NegativeSampler(Uint8Array.of(1, 0, 1, 1), 10, 1);
    assert.equal(sampler.size, 3);
    assert.ok(sampler.exhaustive);
    assert.deepEqual([...sampler.draw()], [0, 2, 3]);
    assert.deepEqual([...sampler.hits(Int32Array.of(2, 1, 0), Int32Array.of(0, 2, 3))], [1, -1, 0]);
  });
});
