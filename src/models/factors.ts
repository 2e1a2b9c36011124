/**
 * What the factor models (`ials`, `bpr`, `lightgcn`, `mf`) and the models scoring from item vectors
 * (`sasrec`, `gru4rec`, `two-tower`) share: the `factors` param, dot products of a query vector with every item's factors, and cosine
 * neighbours in factor space. Factors are row-major float32, `k` per row; items without training
 * interactions (`known[j] === 0`) never come back.
 */
import type { CsrMatrix } from '../dataset/types.js';
import { topK } from '../math/topk.js';
import type { ScoredItem } from './recommender.js';

/** The param spec every factor model shares; spread into each model's table. */
export const FACTOR_PARAMS = {
  factors: { type: 'number', default: 64, min: 1, max: 1024, integer: true, doc: 'latent dimensions' },
} as const;

/** 1 for every column of `matrix` holding at least one entry, 0 for the rest. */
export function knownItems(matrix: CsrMatrix): Uint8Array {
  const known = new Uint8Array(matrix.cols);
  for (let q = 0; q < matrix.indices.length; q++) known[matrix.indices[q]!] = 1;
  return known;
}

/** Writes the Euclidean norm of each of the `out.length` factor rows into `out`. */
export function factorNorms(factors: Float32Array, k: number, out: Float32Array | Float64Array): void {
  for (let j = 0; j < out.length; j++) {
    let s = 0;
    for (let f = 0; f < k; f++) s += factors[j * k + f]! * factors[j * k + f]!;
    out[j] = Math.sqrt(s);
  }
}

/**
 * out[j] = bias[j] + vector · items_j (bias 0 when absent) for every item, -Infinity where the
 * item is not known.
 */
export function dotScores(vector: Float32Array, items: Float32Array, k: number, known: Uint8Array, out: Float32Array, bias?: Float32Array): void {
  for (let j = 0; j < out.length; j++) {
    if (known[j] === 0) {
      out[j] = -Infinity;
      continue;
    }
    const base = j * k;
    let s = bias === undefined ? 0 : bias[j]!;
    for (let f = 0; f < k; f++) s += vector[f]! * items[base + f]!;
    out[j] = s;
  }
}

/**
 * The `n` known items whose factors point most nearly the same way as `item`'s (cosine, from
 * precomputed row `norms`), best first; `item` itself is left out. A zero row is similar to none.
 */
export function cosineSimilarItems(items: Float32Array, norms: Float32Array | Float64Array, k: number, known: Uint8Array, item: number, n: number): ScoredItem[] {
  const count = known.length;
  const own = norms[item]!;
  const scores = new Float32Array(count);
  for (let j = 0; j < count; j++) {
    const other = norms[j]!;
    if (known[j] === 0 || own === 0 || other === 0) continue;
    let s = 0;
    for (let f = 0; f < k; f++) s += items[item * k + f]! * items[j * k + f]!;
    scores[j] = s / (own * other);
  }
  return topK(scores, n, { exclude: (j) => j === item || known[j] === 0 });
}
