/**
 * Weighted sums of table rows — a sparse matrix times a dense table — on the engine, the one
 * operation both towers pool with (feature terms into an item, items into a user). Two ways,
 * picked by size: a dense matMul when the sparse matrix is small enough to write out (the wasm
 * matMul is fast, and its gradient is two more matMuls), else gathering just the rows used and
 * scatter-adding them into their outputs (whose gradient is the gather back).
 */
import type { Engine, Tensor, Tensor1D, Tensor2D } from '../../math/engine.js';

type Tf = Engine['tf'];

/** The non-zeros of a rows × table-rows matrix: output row, table row and weight of each. */
export interface SparseRows {
  readonly rows: number;
  readonly outRow: Int32Array;
  readonly tableRow: Int32Array;
  readonly weight: Float32Array;
}

/** Dense matrices up to this many entries are written out; above, the gather/scatter path runs. */
export const DENSE_POOLING_LIMIT = 1 << 19;

/**
 * out[r] = Σ weight · table[tableRow] over the entries with outRow r ([rows, width]); rows with
 * no entry are 0. `denseLimit` is for tests that check both paths agree.
 *
 * @example
 * // Two items: the first the mean of terms 0 and 2, the second term 1.
 * weightedRowSums(tf, featureTable, { rows: 2, outRow: Int32Array.of(0, 0, 1), tableRow: Int32Array.of(0, 2, 1), weight: Float32Array.of(0.5, 0.5, 1) });
 */
export function weightedRowSums(tf: Tf, table: Tensor, sparse: SparseRows, denseLimit = DENSE_POOLING_LIMIT): Tensor2D {
  const tableRows = table.shape[0]!;
  const { rows, outRow, tableRow, weight } = sparse;
  if (rows * tableRows <= denseLimit) {
    const matrix = new Float32Array(rows * tableRows);
    for (let k = 0; k < outRow.length; k++) matrix[outRow[k]! * tableRows + tableRow[k]!]! += weight[k]!;
    return tf.matMul(tf.tensor2d(matrix, [rows, tableRows]), table as Tensor2D);
  }
  const gathered = tf.mul(tf.gather(table, tf.tensor1d(tableRow, 'int32')), tf.tensor2d(weight, [weight.length, 1]));
  return scatterAdd(tf, gathered as Tensor2D, tf.tensor1d(outRow, 'int32'), rows);
}

/** out[segments[i]] += x[i], differentiable in x (the gradient gathers dy back). */
function scatterAdd(tf: Tf, x: Tensor2D, segments: Tensor1D, rows: number): Tensor2D {
  // The segments go in as an input and are saved: tensors the op only closes over are
  // disposed before the backward pass runs.
  const op = tf.customGrad((...args) => {
    const [values, ids, save] = args as [Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    save([ids]);
    const gradFunc = (dy: unknown, saved: unknown[]) => [tf.gather(dy as Tensor2D, saved[0] as Tensor1D), tf.zerosLike(saved[0] as Tensor1D)];
    return { value: tf.unsortedSegmentSum(values, ids, rows), gradFunc };
  });
  return op(x, segments) as Tensor2D;
}
