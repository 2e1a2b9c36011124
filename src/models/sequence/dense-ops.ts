/**
 * Plain TypeScript kernels for serving the sequence models: one history at a time is a few
 * dozen rows of width 64, too small for the engine's per-call overhead to pay off, and serving
 * then needs no engine at all (a loaded model scores without starting wasm).
 */
import { LAYER_NORM_EPSILON } from './layers.js';

/**
 * out[r] = x[r]·W + b for `rows` rows; x is rows × inDim, W inDim × outDim (row-major, as the
 * engine stores it), b outDim. Register-blocked: two rows × four outputs are accumulated in
 * locals per pass over W's rows, so each load of x or W feeds several multiply-adds (3.5–5×
 * the plain triple loop on 50 × 64 × 64 and 150 × 128 × 64 in V8).
 */
export function linearRows(x: Float32Array, rows: number, inDim: number, w: Float32Array, bias: Float32Array, outDim: number, out: Float32Array): void {
  const full = outDim & ~3;
  for (let r = 0; r < rows; r += 2) {
    const two = r + 1 < rows;
    const xa = r * inDim;
    const xc = two ? xa + inDim : xa;
    for (let j = 0; j < full; j += 4) {
      let a0 = bias[j]!;
      let a1 = bias[j + 1]!;
      let a2 = bias[j + 2]!;
      let a3 = bias[j + 3]!;
      let c0 = a0;
      let c1 = a1;
      let c2 = a2;
      let c3 = a3;
      for (let p = 0, wp = j; p < inDim; p++, wp += outDim) {
        const xv = x[xa + p]!;
        const yv = x[xc + p]!;
        const u0 = w[wp]!;
        const u1 = w[wp + 1]!;
        const u2 = w[wp + 2]!;
        const u3 = w[wp + 3]!;
        a0 += xv * u0;
        a1 += xv * u1;
        a2 += xv * u2;
        a3 += xv * u3;
        c0 += yv * u0;
        c1 += yv * u1;
        c2 += yv * u2;
        c3 += yv * u3;
      }
      const o = r * outDim + j;
      out[o] = a0;
      out[o + 1] = a1;
      out[o + 2] = a2;
      out[o + 3] = a3;
      if (two) {
        out[o + outDim] = c0;
        out[o + outDim + 1] = c1;
        out[o + outDim + 2] = c2;
        out[o + outDim + 3] = c3;
      }
    }
    for (let j = full; j < outDim; j++) {
      let a = bias[j]!;
      let c = a;
      for (let p = 0, wp = j; p < inDim; p++, wp += outDim) {
        a += x[xa + p]! * w[wp]!;
        c += x[xc + p]! * w[wp]!;
      }
      out[r * outDim + j] = a;
      if (two) out[(r + 1) * outDim + j] = c;
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
