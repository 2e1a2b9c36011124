// Small random graphs and dense reference products for the lightgcn kernel tests.
import { csrFromTriples } from '../../dataset/csr.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { Random } from '../../math/random.js';

/** A random users × items matrix (entries of weight 2); the last user and the last item have no entries. */
export function randomMatrix(users: number, items: number, density: number, seed: number): CsrMatrix {
  const rng = new Random(seed);
  const rows: number[] = [];
  const cols: number[] = [];
  for (let u = 0; u < users - 1; u++) {
    for (let j = 0; j < items - 1; j++) {
      if (rng.nextFloat() < density) {
        rows.push(u);
        cols.push(j);
      }
    }
  }
  return csrFromTriples(users, items, Int32Array.from(rows), Int32Array.from(cols), new Float32Array(rows.length).fill(2));
}

/** Â as a dense nodes × nodes matrix, straight from the definition. */
export function denseAdjacency(matrix: CsrMatrix): Float64Array {
  const nodes = matrix.rows + matrix.cols;
  const a = new Float64Array(nodes * nodes);
  const degree = new Float64Array(nodes);
  for (let u = 0; u < matrix.rows; u++) {
    for (let q = matrix.indptr[u]!; q < matrix.indptr[u + 1]!; q++) {
      const i = matrix.rows + matrix.indices[q]!;
      a[u * nodes + i] = 1;
      a[i * nodes + u] = 1;
      degree[u]!++;
      degree[i]!++;
    }
  }
  for (let r = 0; r < nodes; r++) for (let c = 0; c < nodes; c++) if (a[r * nodes + c]) a[r * nodes + c] = 1 / Math.sqrt(degree[r]! * degree[c]!);
  return a;
}

/** (Σ_{k=0..layers} Â^k x) / (layers + 1) by dense products. */
export function denseSmooth(a: Float64Array, nodes: number, x: Float32Array, dim: number, layers: number): Float64Array {
  let h = Float64Array.from(x);
  const sum = Float64Array.from(x);
  for (let k = 0; k < layers; k++) {
    const next = new Float64Array(h.length);
    for (let r = 0; r < nodes; r++) {
      for (let c = 0; c < nodes; c++) {
        const v = a[r * nodes + c]!;
        if (v !== 0) for (let f = 0; f < dim; f++) next[r * dim + f]! += v * h[c * dim + f]!;
      }
    }
    h = next;
    for (let t = 0; t < sum.length; t++) sum[t]! += h[t]!;
  }
  return sum.map((v) => v / (layers + 1));
}

export function randomBlock(length: number, seed: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length }, () => rng.nextFloat() - 0.5);
}
