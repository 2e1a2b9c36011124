import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { denseAdjacency, denseSmooth, randomBlock, randomMatrix } from './fixtures.case.js';
import { bipartiteGraph, type BipartiteGraph } from './graph.js';
import { createPropagator } from './propagate.js';

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length);
  for (let t = 0; t < actual.length; t++) {
    assert.ok(Math.abs(actual[t]! - expected[t]!) <= tolerance, `${what}[${t}]: ${actual[t]} vs ${expected[t]}`);
  }
}

describe('lightgcn propagation', () => {
  const matrix = randomMatrix(12, 10, 0.35, 3);
  const graph: BipartiteGraph = bipartiteGraph(matrix);
  const dense = denseAdjacency(matrix);
  const dim = 12; // one block of eight plus a remainder in the TypeScript kernel
  const x = randomBlock(graph.nodes * dim, 4);

  for (const backend of ['auto', 'typescript'] as const) {
    it(`${backend}: smooth and powers match dense products with Â (isolated nodes included)`, async () => {
      const propagator = await createPropagator(graph, dim, 3, backend);
      try {
        const out = new Float32Array(x.length);
        propagator.smooth(x, out);
        assertClose(out, denseSmooth(dense, graph.nodes, x, dim, 3), 1e-5, 'smooth');
        const powers = propagator.powers(x);
        assert.equal(powers.length, 3);
        assertClose(powers[0]!, denseSmooth(dense, graph.nodes, x, dim, 1).map((v, t) => 2 * v - x[t]!), 1e-5, 'Âx');
        const users = Int32Array.of(4, 0);
        const expected = Array.from({ length: 2 * graph.items }, (_, t) => {
          const u = users[Math.floor(t / graph.items)]!;
          const j = graph.users + (t % graph.items);
          let s = 0;
          for (let f = 0; f < dim; f++) s += x[u * dim + f]! * x[j * dim + f]!;
          return s;
        });
        assertClose(propagator.userItemScores(x, users), expected, 1e-5, 'scores');
      } finally {
        propagator.dispose();
      }
    });
  }
});
