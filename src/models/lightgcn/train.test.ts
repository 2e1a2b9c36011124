import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomBlock, randomMatrix } from './fixtures.case.js';
import { bipartiteGraph, type Holdout } from './graph.js';
import { createPropagator } from './propagate.js';
import { batchGradient, type Triples } from './train.js';
import { validationNdcg } from './validation.js';

describe('lightgcn training step', () => {
  const matrix = randomMatrix(12, 10, 0.35, 3);
  const graph = bipartiteGraph(matrix);
  const dim = 12;
  const x = randomBlock(graph.nodes * dim, 4);

  it('the batch gradient matches finite differences of the batch loss', async () => {
    const propagator = await createPropagator(graph, dim, 2, 'typescript');
    const users = graph.users;
    const triples: Triples = { users: Int32Array.of(0, 3, 3, 5), positives: Int32Array.of(1, 2, 4, 0), negatives: Int32Array.of(6, 7, 1, 3) };
    const l2 = 0.05;
    const layer0 = Float32Array.from(x, (v) => 4 * v);
    const scratch = new Float32Array(x.length);
    const lossAt = (e: Float32Array, grad: Float32Array): number => {
      const final = new Float32Array(e.length);
      propagator.smooth(e, final);
      return batchGradient(propagator, { final, propagatedFrom: e, layer0: e, layerWeight: 1 / 3 }, dim, users, triples, 4, l2, scratch, grad);
    };
    const grad = new Float32Array(x.length);
    lossAt(layer0, grad);
    const unused = new Float32Array(x.length);
    const rows = [0, 3, users + 1, users + 6, users + 9, 7]; // batch rows, their neighbours, an isolated item
    for (const row of rows) {
      for (const f of [0, 5, 11]) {
        const t = row * dim + f;
        const h = 1e-2;
        const plus = Float32Array.from(layer0);
        plus[t]! += h;
        const minus = Float32Array.from(layer0);
        minus[t]! -= h;
        const numeric = (lossAt(plus, unused) - lossAt(minus, unused)) / (2 * h);
        assert.ok(Math.abs(numeric - grad[t]!) < 2e-4 + 1e-2 * Math.abs(numeric), `row ${row} dim ${f}: ${grad[t]} vs numeric ${numeric}`);
      }
    }
    assert.equal(grad[(users + 9) * dim], 0, 'an item outside the batch and the graph gets no gradient');
  });
});

describe('lightgcn validation', () => {
  it('computes nDCG@10 over held-out items, skipping training items and items outside the graph', () => {
    // Two users over 14 items; user 0 trained on item 0, user 1 on item 1; item 13 has no edges.
    const train = { rows: 2, cols: 14, indptr: Int32Array.of(0, 1, 2), indices: Int32Array.of(0, 1), data: Float32Array.of(1, 1) };
    const known = new Uint8Array(14).fill(1);
    known[13] = 0;
    // Higher index scores higher for both users: ranking 13 (unknown), 12, 11, …
    const scorer = (users: Int32Array): Float32Array => Float32Array.from({ length: users.length * 14 }, (_, t) => t % 14);
    const holdout: Holdout = { train, users: Int32Array.of(0, 1), offsets: Int32Array.of(0, 2, 3), items: Int32Array.of(11, 13, 0) };
    // User 0: 12, 11, … — item 11 at rank 2, item 13 never listed; ideal over 2 positions.
    // User 1: item 0 is its 11th candidate (12 … 2 fill the top 10, 1 is trained), so no hit.
    const user0 = 1 / Math.log2(3) / (1 + 1 / Math.log2(3));
    assert.ok(Math.abs(validationNdcg(scorer, holdout, train, known) - user0 / 2) < 1e-12);
  });
});
