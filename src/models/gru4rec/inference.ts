/**
 * GRU4Rec's forward pass for one history in plain TypeScript: the same recurrence as
 * `network.ts` without dropout, from the zero state, returning the state after the last item.
 */
import { linearRows, sigmoid } from '../sequence/dense-ops.js';
import type { Weights } from '../sequence/weights.js';
import type { Gru4recShape } from './network.js';

/** Reusable buffers for {@link gru4recEncode}. */
export class Gru4recScratch {
  readonly gates: Float32Array[];
  readonly recurrent: Float32Array[];
  readonly zero: Float32Array;
  /** The path's embeddings, one row per item (maxLength × width). */
  readonly inputs: Float32Array;

  constructor(shape: Gru4recShape) {
    const d = shape.width;
    const span = shape.maxLength * d;
    this.inputs = new Float32Array(span);
    this.gates = [new Float32Array(span), new Float32Array(span), new Float32Array(span)];
    this.recurrent = [new Float32Array(d), new Float32Array(d), new Float32Array(d)];
    this.zero = new Float32Array(d);
  }
}

/** Runs the GRU over `path` (known item indices, oldest first) and writes the final state into `out`. */
export function gru4recEncode(shape: Gru4recShape, weights: Weights, path: readonly number[], scratch: Gru4recScratch, out: Float32Array): void {
  const d = shape.width;
  const w = (name: string): Float32Array => weights.get(name)!;
  const table = w('itemEmbedding');
  const [xr, xz, xn] = scratch.gates as [Float32Array, Float32Array, Float32Array];
  const [hr, hz, hn] = scratch.recurrent as [Float32Array, Float32Array, Float32Array];
  // The input projections do not depend on the state: all steps at once, as one matrix each.
  const n = path.length;
  const inputs = scratch.inputs;
  for (let t = 0; t < n; t++) inputs.set(table.subarray(path[t]! * d, (path[t]! + 1) * d), t * d);
  linearRows(inputs, n, d, w('resetInput'), w('resetBias'), d, xr);
  linearRows(inputs, n, d, w('updateInput'), w('updateBias'), d, xz);
  linearRows(inputs, n, d, w('candidateInput'), w('candidateBias'), d, xn);
  out.fill(0);
  for (let t = 0; t < n; t++) {
    linearRows(out, 1, d, w('resetRecurrent'), scratch.zero, d, hr);
    linearRows(out, 1, d, w('updateRecurrent'), scratch.zero, d, hz);
    linearRows(out, 1, d, w('candidateRecurrent'), w('candidateRecurrentBias'), d, hn);
    const base = t * d;
    for (let j = 0; j < d; j++) {
      const r = sigmoid(xr[base + j]! + hr[j]!);
      const z = sigmoid(xz[base + j]! + hz[j]!);
      const candidate = Math.tanh(xn[base + j]! + r * hn[j]!);
      out[j] = candidate + z * (out[j]! - candidate);
    }
  }
}
