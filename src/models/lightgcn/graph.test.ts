import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { denseAdjacency, randomMatrix } from './fixtures.case.js';
import { bipartiteGraph, holdOut } from './graph.js';

describe('lightgcn graph', () => {
  it('normalises every edge by 1/√(d_a d_b), symmetrically, whatever the interaction weight', () => {
    const matrix = randomMatrix(9, 7, 0.4, 1);
    const graph = bipartiteGraph(matrix);
    const dense = denseAdjacency(matrix);
    assert.equal(graph.nodes, 16);
    assert.equal(graph.neighbours.length, 2 * matrix.indices.length);
    for (let n = 0; n < graph.nodes; n++) {
      for (let q = graph.indptr[n]!; q < graph.indptr[n + 1]!; q++) {
        const m = graph.neighbours[q]!;
        if (q > graph.indptr[n]!) assert.ok(m > graph.neighbours[q - 1]!, 'neighbours not ascending');
        assert.ok(Math.abs(graph.weights[q]! - dense[n * graph.nodes + m]!) < 1e-7);
      }
    }
    assert.equal(graph.scale[8], 0, 'isolated user');
    assert.equal(graph.scale[15], 0, 'isolated item');
  });

  it('holds out part of some users’ entries, reproducibly, leaving each at least two', () => {
    const matrix = randomMatrix(40, 30, 0.3, 2);
    const a = holdOut(matrix, 10, 0.3, 5);
    assert.deepEqual(holdOut(matrix, 10, 0.3, 5), a);
    assert.equal(a.users.length, 10);
    assert.equal(a.train.indices.length + a.items.length, matrix.indices.length);
    a.users.forEach((u, v) => {
      const kept = new Set(a.train.indices.subarray(a.train.indptr[u]!, a.train.indptr[u + 1]!));
      const held = a.items.subarray(a.offsets[v]!, a.offsets[v + 1]!);
      const all = new Set(matrix.indices.subarray(matrix.indptr[u]!, matrix.indptr[u + 1]!));
      assert.ok(kept.size >= 2 && held.length >= 1);
      for (const i of held) assert.ok(all.has(i) && !kept.has(i));
      assert.equal(kept.size + held.length, all.size);
    });
  });
});

