import { MagpieError } from '../../core/errors.js';

// Small dense linear algebra for Markov chains of a handful of states: the systems solved here are
// at most states × states (five for the user-state model), so plain arrays and Gaussian
// elimination are both exact enough and faster than any setup a library would need.

/**
 * Solves A x = b by Gaussian elimination with partial pivoting. `a` is row-major and square; neither
 * argument is modified. Throws when A is singular (a pivot below 1e-13 after scaling).
 *
 * @example
 * solve([[2, 1], [1, 3]], [3, 5]); // [0.8, 1.4]
 */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-13) throw new MagpieError('internal', 'singular linear system in the Markov chain computation');
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]!;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r]!;
      const f = row[col]! / p[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c]! -= f * p[c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The rows and columns `keep` of a square matrix, in that order. */
export function submatrix(p: readonly (readonly number[])[], keep: readonly number[]): number[][] {
  return keep.map((i) => keep.map((j) => p[i]![j]!));
}

/** I − Q for a square Q. */
export function identityMinus(q: readonly (readonly number[])[]): number[][] {
  return q.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v));
}

/** The row vector v·P. */
export function vecMat(v: readonly number[], p: readonly (readonly number[])[]): number[] {
  const out = new Array<number>(p[0]?.length ?? 0).fill(0);
  v.forEach((vi, i) => {
    if (vi !== 0) p[i]!.forEach((pij, j) => (out[j]! += vi * pij));
  });
  return out;
}
