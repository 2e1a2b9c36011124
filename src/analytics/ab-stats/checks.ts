import { MagpieError } from '../../core/errors.js';

// Argument checks shared by the A/B statistics. Bad arguments are caller mistakes, so they throw
// with the argument's name; figures that are merely undefined (a rate over nobody) come back as NaN.

/** Which way a test looks: `two-sided` (the default), or `greater`/`less` for treatment above/below control. */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** A fraction strictly between 0 and 1 (a confidence level, alpha, power). */
export function checkFraction(value: number, field: string): number {
  if (!(value > 0 && value < 1)) throw new MagpieError('invalid_input', `${field} must be between 0 and 1 (exclusive), got ${value}`, { location: { field }, hint: 'e.g. 0.95 for a confidence level, 0.05 for alpha' });
  return value;
}

/** A non-negative integer count. */
export function checkCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw new MagpieError('invalid_input', `${field} must be a non-negative integer, got ${value}`, { location: { field } });
  return value;
}

/** A finite number. */
export function checkFinite(value: number, field: string): number {
  if (!Number.isFinite(value)) throw new MagpieError('invalid_input', `${field} must be a finite number, got ${value}`, { location: { field } });
  return value;
}

/** A positive finite number. */
export function checkPositive(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new MagpieError('invalid_input', `${field} must be a positive number, got ${value}`, { location: { field } });
  return value;
}

/** Checks `successes ≤ trials`, both counts. */
export function checkBinomial(successes: number, trials: number, field: string): void {
  checkCount(successes, `${field}.successes`);
  checkCount(trials, `${field}.trials`);
  if (successes > trials) throw new MagpieError('invalid_input', `${field} has ${successes} successes out of only ${trials} trials`, { location: { field }, hint: 'successes count the trials that succeeded, so they cannot exceed trials' });
}

/** The p-value of a statistic that is standard normal under the null, for an alternative; `cdf` is the null CDF. */
export function pValueOf(statistic: number, alternative: Alternative, cdf: (x: number) => number): number {
  if (Number.isNaN(statistic)) return Number.NaN;
  if (alternative === 'greater') return cdf(-statistic);
  if (alternative === 'less') return cdf(statistic);
  // 2·P(X ≤ −|s|) keeps small p-values exact where 2·(1 − P(X ≤ |s|)) would round to 0.
  return Math.min(1, 2 * cdf(-Math.abs(statistic)));
}
