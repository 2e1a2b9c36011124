/**
 * Per-query score normalisation for `blend`: models score on unrelated scales (a probability, a
 * similarity sum, a regression output), so each query's scores are mapped to a common one first.
 */

/** How one model's scores for one query are put on a common scale. */
export type Normalization = 'minmax' | 'zscore' | 'rank';

/**
 * Normalises `scores` in place over its finite entries and returns the value standing for items
 * the model knows nothing about (-Infinity entries, which are left as they are):
 * - `minmax`: (s − min) / (max − min), unknown items 0; all-equal scores become 0 (no preference);
 * - `zscore`: (s − mean) / std, unknown items the lowest z; zero spread becomes 0;
 * - `rank`: 1 − (items scoring strictly higher) / (finite items), so the best is 1 and ties share
 *   a value; unknown items 0.
 *
 * @example
 * const scores = Float64Array.of(2, 4, -Infinity);
 * normalizeScores(scores, 'minmax'); // returns 0; scores = [0, 1, -Infinity]
 */
export function normalizeScores(scores: Float64Array, how: Normalization): number {
  const n = scores.length;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const s = scores[j]!;
    if (!Number.isFinite(s)) continue;
    count++;
    sum += s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  if (count === 0) return 0;
  if (how === 'minmax') {
    const span = max - min;
    for (let j = 0; j < n; j++) if (Number.isFinite(scores[j]!)) scores[j] = span > 0 ? (scores[j]! - min) / span : 0;
    return 0;
  }
  if (how === 'zscore') {
    const mean = sum / count;
    let squares = 0;
    for (let j = 0; j < n; j++) if (Number.isFinite(scores[j]!)) squares += (scores[j]! - mean) ** 2;
    const std = Math.sqrt(squares / count);
    for (let j = 0; j < n; j++) if (Number.isFinite(scores[j]!)) scores[j] = std > 0 ? (scores[j]! - mean) / std : 0;
    return std > 0 ? (min - mean) / std : 0;
  }
  const order = new Int32Array(count);
  let k = 0;
  for (let j = 0; j < n; j++) if (Number.isFinite(scores[j]!)) order[k++] = j;
  order.sort((a, b) => scores[b]! - scores[a]!);
  let higher = 0;
  let previous = NaN;
  const ranked = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    const s = scores[order[r]!]!;
    if (s !== previous) {
      higher = r;
      previous = s;
    }
    ranked[r] = 1 - higher / count;
  }
  for (let r = 0; r < count; r++) scores[order[r]!] = ranked[r]!;
  return 0;
}
