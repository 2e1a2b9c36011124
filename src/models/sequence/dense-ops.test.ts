import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../math/random.js';
import { linearRows } from './dense-ops.js';

/** x·W + b in float64, the plain way. */
function reference(x: Float32Array, rows: number, inDim: number, w: Float32Array, bias: Float32Array, outDim: number): Float64Array {
  const out = new Float64Array(rows * outDim);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < outDim; j++) {
      let s = bias[j]!;
      for (let p = 0; p < inDim; p++) s += x[r * inDim + p]! * w[p * outDim + j]!;
      out[r * outDim + j] = s;
    }
  }
  return out;
}

describe('linearRows', () => {
  it('matches x·W + b for odd and even row counts and output widths, including the blocked kernel’s remainders', () => {
    const random = new Random(3);
    const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => random.nextFloat() * 2 - 1);
    for (const [rows, inDim, outDim] of [
      [1, 1, 1],
      [1, 5, 3],
      [2, 4, 4],
      [3, 7, 6],
      [50, 64, 64],
      [49, 37, 129],
      [5, 64, 1],
    ] as const) {
      const x = values(rows * inDim);
      const w = values(inDim * outDim);
      const bias = values(outDim);
      const out = new Float32Array(rows * outDim).fill(Number.NaN);
      linearRows(x, rows, inDim, w, bias, outDim, out);
      const expected = reference(x, rows, inDim, w, bias, outDim);
      for (let k = 0; k < out.length; k++) assert.ok(Math.abs(out[k]! - expected[k]!) < 1e-4, `${rows}×${inDim}×${outDim} entry ${k}: ${out[k]} vs ${expected[k]}`);
    }
  });

  it('writes only its rows × outDim outputs', () => {
    const out = new Float32Array(3 * 2 + 2).fill(7);
    linearRows(Float32Array.of(1, 2, 3), 3, 1, Float32Array.of(1, -1), Float32Array.of(0.5, 0), 2, out);
    assert.deepEqual([...out], [1.5, -1, 2.5, -2, 3.5, -3, 7, 7]);
  });
});
