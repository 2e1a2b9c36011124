/** One feature's part in a customer's score. */
export interface FeatureContribution {
  feature: string;
  /** The customer's value of the feature (null when missing). */
  value: number | null;
  /** Change in log-odds credited to the feature (positive raises the score). */
  contribution: number;
}

/**
 * The `k` features with the largest absolute contributions, largest first. `contributions` has one
 * entry per feature and the bias last (ignored), as the models' `contributions` return them.
 *
 * @example
 * topContributions(Float64Array.of(0.2, -0.9, 0.1, -1.5), ['recencyDays', 'orders30', 'tenureDays'], Float64Array.of(40, 0, 200), 2);
 * // [{ feature: 'orders30', value: 0, contribution: -0.9 }, { feature: 'recencyDays', value: 40, contribution: 0.2 }]
 */
export function topContributions(contributions: Float64Array, names: readonly string[], values: ArrayLike<number>, k: number): FeatureContribution[] {
  const order = names.map((_, j) => j).sort((a, b) => Math.abs(contributions[b]!) - Math.abs(contributions[a]!) || a - b);
  return order
    .slice(0, k)
    .filter((j) => contributions[j] !== 0)
    .map((j) => ({ feature: names[j]!, value: Number.isNaN(values[j]!) ? null : values[j]!, contribution: contributions[j]! }));
}
