/**
 * SASRec's forward pass for one history in plain TypeScript, the same function as
 * `network.ts` without dropout. Only the last position's output is wanted, so the last block
 * computes keys and values for every position but the query, attention and feed-forward for the
 * last one only: about a third less work than the full pass.
 */
import { dot, layerNormRows, linearRows } from '../sequence/dense-ops.js';
import type { Weights } from '../sequence/weights.js';
import { blockNames, type SasrecShape } from './network.js';

/** Reusable buffers for {@link sasrecEncode}, sized for one shape. */
export class SasrecScratch {
  readonly x: Float32Array;
  readonly normed: Float32Array;
  readonly q: Float32Array;
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly mixed: Float32Array;
  readonly projected: Float32Array;
  readonly inner: Float32Array;
  readonly weights: Float64Array;

  constructor(shape: SasrecShape) {
    const size = shape.maxLength * shape.width;
    this.x = new Float32Array(size);
    this.normed = new Float32Array(size);
    this.q = new Float32Array(size);
    this.k = new Float32Array(size);
    this.v = new Float32Array(size);
    this.mixed = new Float32Array(size);
    this.projected = new Float32Array(size);
    this.inner = new Float32Array(size);
    this.weights = new Float64Array(shape.maxLength);
  }
}

/**
 * The network's output after the last item of `path` (1 ≤ length ≤ maxLength known item
 * indices, oldest first), written into `out` (width entries).
 */
export function sasrecEncode(shape: SasrecShape, weights: Weights, path: readonly number[], scratch: SasrecScratch, out: Float32Array): void {
  const { width: d, maxLength, heads } = shape;
  const n = path.length;
  const w = (name: string): Float32Array => weights.get(name)!;
  const { x, normed, q, k, v, mixed, projected, inner } = scratch;
  const items = w('itemEmbedding');
  const positions = w('positionEmbedding');
  const scale = Math.sqrt(d);
  // Left-padded in training, so the last item always sits at position maxLength − 1.
  for (let t = 0; t < n; t++) {
    const item = path[t]! * d;
    const position = (maxLength - n + t) * d;
    for (let j = 0; j < d; j++) x[t * d + j] = items[item + j]! * scale + positions[position + j]!;
  }
  const headWidth = d / heads;
  const invSqrt = 1 / Math.sqrt(headWidth);
  for (let b = 0; b < shape.blocks; b++) {
    const names = blockNames(b);
    const last = b === shape.blocks - 1;
    // Rows that need queries, attention and the feed-forward: all, or only the last in the last block.
    const first = last ? n - 1 : 0;
    const rows = n - first;
    layerNormRows(x, n, d, w(names.norm1), w(names.norm1Bias), normed);
    linearRows(normed, n, d, w(names.key), w(names.keyBias), d, k);
    linearRows(normed, n, d, w(names.value), w(names.valueBias), d, v);
    linearRows(normed.subarray(first * d), rows, d, w(names.query), w(names.queryBias), d, q);
    for (let r = 0; r < rows; r++) {
      const i = first + r;
      for (let h = 0; h < heads; h++) {
        const offset = h * headWidth;
        attend(q, r * d + offset, k, v, i, d, offset, headWidth, invSqrt, scratch.weights, mixed, r * d + offset);
      }
    }
    linearRows(mixed, rows, d, w(names.output), w(names.outputBias), d, projected);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[(first + r) * d + j]! += projected[r * d + j]!;
    layerNormRows(x.subarray(first * d), rows, d, w(names.norm2), w(names.norm2Bias), normed);
    linearRows(normed, rows, d, w(names.inner), w(names.innerBias), d, inner);
    for (let j = 0; j < rows * d; j++) if (inner[j]! < 0) inner[j] = 0;
    linearRows(inner, rows, d, w(names.outer), w(names.outerBias), d, projected);
    for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) x[(first + r) * d + j]! += projected[r * d + j]!;
  }
  layerNormRows(x.subarray((n - 1) * d, n * d), 1, d, w('finalNorm'), w('finalNormBias'), out);
}

/** Causal softmax attention of query row i over key rows 0..i for one head, into `out`. */
function attend(
  q: Float32Array,
  qOffset: number,
  k: Float32Array,
  v: Float32Array,
  i: number,
  d: number,
  headOffset: number,
  headWidth: number,
  invSqrt: number,
  weights: Float64Array,
  out: Float32Array,
  outOffset: number,
): void {
  let max = -Infinity;
  for (let j = 0; j <= i; j++) {
    const s = dot(q, qOffset, k, j * d + headOffset, headWidth) * invSqrt;
    weights[j] = s;
    if (s > max) max = s;
  }
  let total = 0;
  for (let j = 0; j <= i; j++) {
    const e = Math.exp(weights[j]! - max);
    weights[j] = e;
    total += e;
  }
  for (let c = 0; c < headWidth; c++) out[outOffset + c] = 0;
  for (let j = 0; j <= i; j++) {
    const p = weights[j]! / total;
    const base = j * d + headOffset;
    for (let c = 0; c < headWidth; c++) out[outOffset + c]! += p * v[base + c]!;
  }
}
