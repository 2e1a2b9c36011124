// Small numeric helpers shared by the analyses. Undefined figures (a rate over nobody, the median
// of nothing) are null rather than 0 or NaN: 0 would read as a measurement, and NaN is not JSON.

/** The median of `values` (mean of the two middle ones for an even count); null when empty. Does not modify `values`. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The arithmetic mean; null when empty. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** `numerator / denominator`, or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Money rounded to cents: sums of float prices carry noise like `1234.5600000001`. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Milliseconds in a day, for gaps reported in days. */
export const DAY_MS = 86_400_000;
