// Maximum-likelihood estimation of a transition matrix from counts, with a confidence interval
// per transition. Pure functions over small dense arrays.

/** A two-sided confidence interval of a probability. */
export interface Interval {
  low: number;
  high: number;
}

/** z of a two-sided 95% normal interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for `successes` out of `trials`: unlike the normal approximation it stays
 * inside [0, 1] and does not collapse to a point at 0 or n successes, both common for rare
 * transitions. With no trials nothing is known: [0, 1].
 *
 * @example
 * wilson(3, 10); // { low: 0.1078, high: 0.6032 } (rounded)
 */
export function wilson(successes: number, trials: number, z = Z95): Interval {
  if (trials === 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A transition matrix estimated from counts. */
export interface EstimatedChain {
  /** p[i][j] = counts[i][j] / Σ_j counts[i][j]. */
  matrix: number[][];
  /** 95% Wilson interval of each p[i][j], with the row total as the number of trials. */
  intervals: Interval[][];
  /** Rows without any observed transition; they are made absorbing (p[i][i] = 1), see {@link estimateChain}. */
  unobservedRows: number[];
}

/**
 * The maximum-likelihood transition matrix of `counts` (square, counts[i][j] = observed moves from
 * i to j): each row divided by its total, which maximises Π p_ij^n_ij under Σ_j p_ij = 1. A row
 * with no observations has no estimate; it is made absorbing so the matrix stays stochastic, and
 * reported in `unobservedRows` (a state seen only in the last period of every sequence).
 *
 * @example
 * estimateChain([[3, 1], [0, 2]]).matrix; // [[0.75, 0.25], [0, 1]]
 */
export function estimateChain(counts: readonly (readonly number[])[]): EstimatedChain {
  const unobservedRows: number[] = [];
  const matrix = counts.map((row, i) => {
    const total = row.reduce((s, c) => s + c, 0);
    if (total === 0) {
      unobservedRows.push(i);
      return row.map((_, j) => (i === j ? 1 : 0));
    }
    return row.map((c) => c / total);
  });
  const intervals = counts.map((row) => {
    const total = row.reduce((s, c) => s + c, 0);
    return row.map((c) => wilson(c, total));
  });
  return { matrix, intervals, unobservedRows };
}
