/**
 * Plain TypeScript kernels for serving the sequence models: one history at a time is a few
 * dozen rows of width 64, too small for the engine's per-call overhead to pay off, and serving
 * then needs no engine at all (a loaded model scores without starting wasm).
 */
import { LAYER_NORM_EPSILON } from './layers.js';

/**
 * out[r] = x[r]·W + b for `rows` rows; x is rows × inDim, W inDim × outDim (row-major, as the
 * engine stores it), b outDim. Rows are accumulated along W's rows so the inner loop runs over
 * contiguous memory.
 */
export function linearRows(x: Float32Array, rows: number, inDim: number, w: Float32Array, bias: Float32Array, outDim: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * outDim;
    for (let j = 0; j < outDim; j++) out[o + j] = bias[j]!;
    for (let p = 0; p < inDim; p++) {
      const xv = x[r * inDim + p]!;
      if (xv === 0) continue;
      const wBase = p * outDim;
      for (let j = 0; j < outDim; j++) out[o + j]! += xv * w[wBase + j]!;
    }
  }
}

/** Layer normalisation of each of `rows` rows of width d, as the engine's `layerNorm`. */
export function layerNormRows(x: Float32Array, rows: number, d: number, gamma: Float32Array, beta: Float32Array, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * d;
    let mean = 0;
    for (let j = 0; j < d; j++) mean += x[base + j]!;
    mean /= d;
    let variance = 0;
    for (let j = 0; j < d; j++) variance += (x[base + j]! - mean) ** 2;
    variance /= d;
    const scale = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
    for (let j = 0; j < d; j++) out[base + j] = (x[base + j]! - mean) * scale * gamma[j]! + beta[j]!;
  }
}

/** Σ a[aOffset + j]·b[bOffset + j] over j < length. */
export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, length: number): number {
  let s = 0;
  for (let j = 0; j < length; j++) s += a[aOffset + j]! * b[bOffset + j]!;
  return s;
}

/** Logistic sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
