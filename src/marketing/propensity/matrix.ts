/** A dense row-major matrix of n rows × d columns; NaN marks a missing value. */
export interface DenseMatrix {
  values: Float64Array;
  n: number;
  d: number;
}

/** The rows `rows` of `m`, copied into a new matrix in that order. */
export function selectRows(m: DenseMatrix, rows: ArrayLike<number>): DenseMatrix {
  const out = new Float64Array(rows.length * m.d);
  for (let r = 0; r < rows.length; r++) out.set(m.values.subarray(rows[r]! * m.d, (rows[r]! + 1) * m.d), r * m.d);
  return { values: out, n: rows.length, d: m.d };
}

/** The entries of `v` at `rows`, in that order. */
export function selectEntries<T extends Float64Array | Uint8Array>(v: T, rows: ArrayLike<number>): T {
  const out = new (v.constructor as new (n: number) => T)(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = v[rows[r]!]!;
  return out;
}

/** Logistic function, written so that large |x| neither overflows nor returns NaN. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(p / (1 − p)) with p clipped away from 0 and 1. */
export function logit(p: number, eps = 1e-12): number {
  const q = Math.min(1 - eps, Math.max(eps, p));
  return Math.log(q / (1 - q));
}
