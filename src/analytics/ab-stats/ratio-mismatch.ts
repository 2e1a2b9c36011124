import { MagpieError } from '../../core/errors.js';
import { checkCount, checkPositive } from './checks.js';
import { chiSquareSurvival } from './distributions.js';

/** What {@link sampleRatioMismatch} found. */
export interface RatioMismatch {
  /** Users expected per variant from the weights. */
  expected: number[];
  chiSquare: number;
  df: number;
  /** Small (below 0.001, say) means the split is broken: some variant loses or gains users, and its comparison is biased. */
  pValue: number;
}

/**
 * The sample-ratio-mismatch check: a chi-square goodness-of-fit test of the users each variant
 * received against the shares its weights promise. A real A/B split can be off by chance only by
 * about √n; a larger gap means assignment or logging drops users unevenly, which no test on the
 * outcomes can correct.
 *
 * @example
 * sampleRatioMismatch([5000, 5200], [1, 1]).pValue; // χ² = 3.92 on 1 df → 0.0477
 */
export function sampleRatioMismatch(counts: readonly number[], weights: readonly number[]): RatioMismatch {
  if (counts.length !== weights.length || counts.length < 2) {
    throw new MagpieError('invalid_input', `need one weight per count and at least two groups, got ${counts.length} counts and ${weights.length} weights`, { location: { field: 'weights' } });
  }
  counts.forEach((c, i) => checkCount(c, `counts[${i}]`));
  weights.forEach((w, i) => checkPositive(w, `weights[${i}]`));
  const total = counts.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  if (total === 0) return { expected, chiSquare: 0, df: counts.length - 1, pValue: 1 };
  let chiSquare = 0;
  counts.forEach((c, i) => {
    const e = expected[i]!;
    chiSquare += ((c - e) * (c - e)) / e;
  });
  return { expected, chiSquare, df: counts.length - 1, pValue: chiSquareSurvival(chiSquare, counts.length - 1) };
}
