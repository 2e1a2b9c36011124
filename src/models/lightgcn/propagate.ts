/**
 * LightGCN's propagation: products of the normalised adjacency Â with a nodes × dim block of
 * embeddings (row-major float32). The mean over layers 0 … K of Â^k X is the model's forward
 * map from layer-0 embeddings to final ones, and, Â being symmetric, also its backward map from
 * the gradient of the final embeddings to that of the layer-0 ones.
 *
 * Two interchangeable implementations: on the tensor engine (the wasm backend's
 * sparseSegmentSum, 2–3× a TypeScript loop here; the block stays on the engine across layers)
 * and a plain TypeScript CSR loop for when the engine cannot start.
 */
import { getEngine, type Engine, type Tensor1D, type Tensor2D } from '../../math/engine.js';
import type { BipartiteGraph } from './graph.js';

/** Products with Â on one graph, at one width. */
export interface Propagator {
  /** Where the products run. */
  readonly backend: 'engine' | 'typescript';
  /** K, the number of products with Â. */
  readonly layers: number;
  /** out = (Σ_{k=0..layers} Â^k x) / (layers + 1); `x` and `out` are nodes × dim and must not overlap. */
  smooth(x: Float32Array, out: Float32Array): void;
  /** [Â x, Â² x, …, Â^layers x], fresh arrays. */
  powers(x: Float32Array): Float32Array[];
  /**
   * Dot products of the given users' rows of `final` (nodes × dim) with every item's row:
   * users.length × items, row-major.
   */
  userItemScores(final: Float32Array, users: Int32Array): Float32Array;
  /** Frees engine memory; the propagator is unusable afterwards. */
  dispose(): void;
}

/**
 * A propagator for `graph` at width `dim` over `layers` layers, on the engine unless `backend`
 * says otherwise or the engine does not start.
 */
export async function createPropagator(graph: BipartiteGraph, dim: number, layers: number, backend: 'auto' | 'typescript' = 'auto'): Promise<Propagator> {
  if (backend === 'auto') {
    try {
      return new EnginePropagator((await getEngine()).tf, graph, dim, layers);
    } catch {
      // The portable path below computes the same products.
    }
  }
  return new TypeScriptPropagator(graph, dim, layers);
}

type Tf = Engine['tf'];

/**
 * Â x as scale ⊙ SparseSegmentSum(scale ⊙ x): the binary adjacency summed by segments, with the
 * symmetric normalisation folded into row scalings before and after.
 */
class EnginePropagator implements Propagator {
  readonly backend = 'engine';
  private readonly indices: Tensor1D;
  private readonly segments: Tensor1D;
  private readonly scale: Tensor2D;

  constructor(
    private readonly tf: Tf,
    private readonly graph: BipartiteGraph,
    private readonly dim: number,
    readonly layers: number,
  ) {
    const { nodes, indptr, neighbours } = graph;
    // The output has (last segment id + 1) rows, so an isolated last node gets a dummy entry; its
    // row is multiplied by that node's scale, 0, afterwards.
    const pad = nodes > 0 && indptr[nodes] === indptr[nodes - 1] ? 1 : 0;
    const entries = neighbours.length;
    const indices = new Int32Array(entries + pad);
    indices.set(neighbours);
    const segments = new Int32Array(entries + pad);
    for (let n = 0; n < nodes; n++) segments.fill(n, indptr[n]!, indptr[n + 1]!);
    if (pad === 1) segments[entries] = nodes - 1;
    this.indices = tf.tensor1d(indices, 'int32');
    this.segments = tf.tensor1d(segments, 'int32');
    this.scale = tf.tensor2d(graph.scale, [nodes, 1]);
  }

  private step(x: Tensor2D): Tensor2D {
    const tf = this.tf;
    return tf.mul(this.scale, tf.sparse.sparseSegmentSum(tf.mul(this.scale, x), this.indices, this.segments));
  }

  smooth(x: Float32Array, out: Float32Array): void {
    const tf = this.tf;
    const result = tf.tidy(() => {
      let h = tf.tensor2d(x, [this.graph.nodes, this.dim]);
      let sum = h;
      for (let k = 0; k < this.layers; k++) {
        h = this.step(h);
        sum = tf.add(sum, h);
      }
      return tf.mul(sum, 1 / (this.layers + 1));
    });
    out.set(result.dataSync() as Float32Array);
    result.dispose();
  }

  powers(x: Float32Array): Float32Array[] {
    const tf = this.tf;
    const out: Float32Array[] = [];
    let h = tf.tensor2d(x, [this.graph.nodes, this.dim]);
    for (let k = 0; k < this.layers; k++) {
      const next = tf.tidy(() => this.step(h));
      h.dispose();
      h = next;
      out.push((h.dataSync() as Float32Array).slice());
    }
    h.dispose();
    return out;
  }

  userItemScores(final: Float32Array, users: Int32Array): Float32Array {
    const tf = this.tf;
    const { users: userCount, items, nodes } = this.graph;
    const result = tf.tidy(() => {
      const all = tf.tensor2d(final, [nodes, this.dim]);
      const rows = tf.gather(all, tf.tensor1d(users, 'int32'));
      return tf.matMul(rows, tf.slice(all, [userCount, 0], [items, this.dim]), false, true);
    });
    const out = (result.dataSync() as Float32Array).slice();
    result.dispose();
    return out;
  }

  dispose(): void {
    this.indices.dispose();
    this.segments.dispose();
    this.scale.dispose();
  }
}

/** The same products as a CSR loop over the weighted rows of Â. */
class TypeScriptPropagator implements Propagator {
  readonly backend = 'typescript';
  private readonly scratch: Float32Array[];

  constructor(
    private readonly graph: BipartiteGraph,
    private readonly dim: number,
    readonly layers: number,
  ) {
    this.scratch = [new Float32Array(graph.nodes * dim), new Float32Array(graph.nodes * dim)];
  }

  smooth(x: Float32Array, out: Float32Array): void {
    out.set(x);
    let h = x;
    for (let k = 0; k < this.layers; k++) {
      const next = this.scratch[k % 2]!;
      adjacencyProduct(this.graph, this.dim, h, next);
      for (let t = 0; t < out.length; t++) out[t]! += next[t]!;
      h = next;
    }
    const mean = 1 / (this.layers + 1);
    for (let t = 0; t < out.length; t++) out[t]! *= mean;
  }

  powers(x: Float32Array): Float32Array[] {
    const out: Float32Array[] = [];
    let h = x;
    for (let k = 0; k < this.layers; k++) {
      const next = new Float32Array(x.length);
      adjacencyProduct(this.graph, this.dim, h, next);
      out.push(next);
      h = next;
    }
    return out;
  }

  userItemScores(final: Float32Array, users: Int32Array): Float32Array {
    const { users: userCount, items } = this.graph;
    const dim = this.dim;
    const out = new Float32Array(users.length * items);
    users.forEach((u, r) => {
      const uo = u * dim;
      for (let j = 0; j < items; j++) {
        const io = (userCount + j) * dim;
        let s = 0;
        for (let f = 0; f < dim; f++) s += final[uo + f]! * final[io + f]!;
        out[r * items + j] = s;
      }
    });
    return out;
  }

  dispose(): void {}
}

/**
 * out = Â x, row by row: each output row is accumulated in eight locals at a time, so the
 * neighbour list is read dim/8 times but nothing round-trips through memory per entry.
 */
export function adjacencyProduct(graph: BipartiteGraph, dim: number, x: Float32Array, out: Float32Array): void {
  const { nodes, indptr, neighbours, weights } = graph;
  const blocks = dim - (dim % 8);
  for (let n = 0; n < nodes; n++) {
    const o = n * dim;
    const lo = indptr[n]!;
    const hi = indptr[n + 1]!;
    for (let f = 0; f < blocks; f += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let q = lo; q < hi; q++) {
        const c = neighbours[q]! * dim + f;
        const v = weights[q]!;
        a0 += v * x[c]!;
        a1 += v * x[c + 1]!;
        a2 += v * x[c + 2]!;
        a3 += v * x[c + 3]!;
        a4 += v * x[c + 4]!;
        a5 += v * x[c + 5]!;
        a6 += v * x[c + 6]!;
        a7 += v * x[c + 7]!;
      }
      out[o + f] = a0;
      out[o + f + 1] = a1;
      out[o + f + 2] = a2;
      out[o + f + 3] = a3;
      out[o + f + 4] = a4;
      out[o + f + 5] = a5;
      out[o + f + 6] = a6;
      out[o + f + 7] = a7;
    }
    for (let f = blocks; f < dim; f++) {
      let a = 0;
      for (let q = lo; q < hi; q++) a += weights[q]! * x[neighbours[q]! * dim + f]!;
      out[o + f] = a;
    }
  }
}
