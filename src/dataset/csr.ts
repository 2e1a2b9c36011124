import type { CsrMatrix } from './types.js';

/**
 * Builds a CSR matrix from coordinate triples; entries at the same (row, col) are summed and
 * columns within a row come out sorted.
 *
 * @example
 * const m = csrFromTriples(2, 3, Int32Array.of(0, 1, 0), Int32Array.of(2, 0, 2), Float32Array.of(1, 1, 1));
 * // row 0: col 2 = 2; row 1: col 0 = 1
 */
export function csrFromTriples(rows: number, cols: number, rowOf: Int32Array, colOf: Int32Array, values: Float32Array): CsrMatrix {
  const n = rowOf.length;
  const counts = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) counts[rowOf[k]! + 1]!++;
  for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
  const cursor = counts.slice(0, rows);
  const indices = new Int32Array(n);
  const data = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const p = cursor[rowOf[k]!]!++;
    indices[p] = colOf[k]!;
    data[p] = values[k]!;
  }
  // Sort each row by column and merge repeats in place.
  const indptr = new Int32Array(rows + 1);
  let write = 0;
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    const start = counts[r]!;
    const end = counts[r + 1]!;
    order.length = 0;
    for (let p = start; p < end; p++) order.push(p);
    order.sort((a, b) => indices[a]! - indices[b]!);
    const rowCols = order.map((p) => indices[p]!);
    const rowVals = order.map((p) => data[p]!);
    indptr[r] = write;
    for (let j = 0; j < rowCols.length; j++) {
      if (write > indptr[r]! && indices[write - 1] === rowCols[j]) {
        data[write - 1]! += rowVals[j]!;
      } else {
        indices[write] = rowCols[j]!;
        data[write] = rowVals[j]!;
        write++;
      }
    }
  }
  indptr[rows] = write;
  return { rows, cols, indptr, indices: indices.slice(0, write), data: data.slice(0, write) };
}

/** The transpose of a CSR matrix (i.e. the same matrix in CSC form, as CSR of the transpose). */
export function transpose(m: CsrMatrix): CsrMatrix {
  const nnz = m.indptr[m.rows]!;
  const indptr = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) indptr[m.indices[p]! + 1]!++;
  for (let c = 0; c < m.cols; c++) indptr[c + 1]! += indptr[c]!;
  const cursor = indptr.slice(0, m.cols);
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const q = cursor[m.indices[p]!]!++;
      indices[q] = r;
      data[q] = m.data[p]!;
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, data };
}

/** Number of stored entries. */
export function nnz(m: CsrMatrix): number {
  return m.indptr[m.rows]!;
}
