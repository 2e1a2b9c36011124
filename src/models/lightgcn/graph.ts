/**
 * The user–item graph LightGCN propagates over, and the validation entries carved out of the
 * training matrix before it is built.
 *
 * Nodes are the users (0 … users−1) followed by the items (users + j). Every stored entry of the
 * interaction matrix is one undirected edge of weight 1, whatever its value (LightGCN reads
 * implicit feedback as a binary graph). Â = D^−1/2 A D^−1/2 is kept both as CSR weights and as
 * the per-node scale d^−1/2, so a product can run as "scale, sum neighbours, scale".
 */
import type { CsrMatrix } from '../../dataset/types.js';
import { Random } from '../../math/random.js';

/** The symmetric-normalised adjacency of the bipartite graph, over users then items. */
export interface BipartiteGraph {
  readonly users: number;
  readonly items: number;
  /** users + items. */
  readonly nodes: number;
  /** CSR row pointers over the nodes (length nodes + 1). */
  readonly indptr: Int32Array;
  /** Neighbour node indices, ascending within each row. */
  readonly neighbours: Int32Array;
  /** Â's entry for each stored neighbour: 1 / √(d_a · d_b). */
  readonly weights: Float32Array;
  /** d^−1/2 per node; 0 for a node without edges. */
  readonly scale: Float32Array;
}

/**
 * Builds Â from a users × items matrix. Each row of the matrix must hold distinct, ascending
 * columns (as a {@link CsrMatrix} does), so every edge appears once in each direction.
 */
export function bipartiteGraph(matrix: CsrMatrix): BipartiteGraph {
  const users = matrix.rows;
  const items = matrix.cols;
  const nodes = users + items;
  const edges = matrix.indptr[users]!;
  const degree = new Int32Array(nodes);
  for (let u = 0; u < users; u++) degree[u] = matrix.indptr[u + 1]! - matrix.indptr[u]!;
  for (let q = 0; q < edges; q++) degree[users + matrix.indices[q]!]!++;
  const indptr = new Int32Array(nodes + 1);
  for (let n = 0; n < nodes; n++) indptr[n + 1] = indptr[n]! + degree[n]!;
  const neighbours = new Int32Array(2 * edges);
  // User rows are the matrix rows shifted into item node numbers; item rows fill in user order,
  // so both come out ascending.
  const cursor = indptr.slice(0, nodes);
  for (let u = 0; u < users; u++) {
    for (let q = matrix.indptr[u]!; q < matrix.indptr[u + 1]!; q++) {
      const item = users + matrix.indices[q]!;
      neighbours[cursor[u]!++] = item;
      neighbours[cursor[item]!++] = u;
    }
  }
  const scale = new Float32Array(nodes);
  for (let n = 0; n < nodes; n++) scale[n] = degree[n]! > 0 ? 1 / Math.sqrt(degree[n]!) : 0;
  const weights = new Float32Array(2 * edges);
  for (let n = 0; n < nodes; n++) {
    for (let q = indptr[n]!; q < indptr[n + 1]!; q++) weights[q] = scale[n]! * scale[neighbours[q]!]!;
  }
  return { users, items, nodes, indptr, neighbours, weights, scale };
}

/** Entries held out of training to pick the epoch: per validation user, the items to find again. */
export interface Holdout {
  /** The matrix without the held-out entries. */
  readonly train: CsrMatrix;
  /** Validation users, ascending. */
  readonly users: Int32Array;
  /** Held-out items of users[v] are items[offsets[v] … offsets[v+1]), ascending. */
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/**
 * Holds out `fraction` of the entries (at least one) of up to `users` users picked at random
 * among those with at least three, so each keeps two or more in training. The same seed picks
 * the same entries.
 */
export function holdOut(matrix: CsrMatrix, users: number, fraction: number, seed: number): Holdout {
  const rng = new Random(seed);
  const candidates: number[] = [];
  for (let u = 0; u < matrix.rows; u++) if (matrix.indptr[u + 1]! - matrix.indptr[u]! >= 3) candidates.push(u);
  const chosen = Int32Array.from(rng.shuffle(candidates).slice(0, Math.max(0, Math.floor(users)))).sort();
  const held = new Uint8Array(matrix.indptr[matrix.rows]!);
  const offsets = new Int32Array(chosen.length + 1);
  const items: number[] = [];
  chosen.forEach((u, v) => {
    const start = matrix.indptr[u]!;
    const count = matrix.indptr[u + 1]! - start;
    const take = Math.min(count - 2, Math.max(1, Math.round(fraction * count)));
    const order = rng.shuffle(Int32Array.from({ length: count }, (_, t) => start + t));
    const picked = Array.from(order.subarray(0, take)).sort((a, b) => a - b);
    for (const q of picked) {
      held[q] = 1;
      items.push(matrix.indices[q]!);
    }
    offsets[v + 1] = items.length;
  });
  const indptr = new Int32Array(matrix.rows + 1);
  const kept = held.length - items.length;
  const indices = new Int32Array(kept);
  const data = new Float32Array(kept);
  let w = 0;
  for (let u = 0; u < matrix.rows; u++) {
    for (let q = matrix.indptr[u]!; q < matrix.indptr[u + 1]!; q++) {
      if (held[q] === 1) continue;
      indices[w] = matrix.indices[q]!;
      data[w] = matrix.data[q]!;
      w++;
    }
    indptr[u + 1] = w;
  }
  return { train: { rows: matrix.rows, cols: matrix.cols, indptr, indices, data }, users: chosen, offsets, items: Int32Array.from(items) };
}
