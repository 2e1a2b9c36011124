/** JSON helpers for responses. */

/**
 * A copy of `value` with every NaN or infinite number replaced by null, as JSON.stringify would
 * write it, so the response schema can say so (`number | null`) instead of failing on NaN.
 *
 * @example
 * finiteOrNull({ rate: NaN, n: 3 }); // { rate: null, n: 3 }
 */
export function finiteOrNull<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? value : null) as T;
  if (Array.isArray(value)) return value.map(finiteOrNull) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, finiteOrNull(v)])) as T;
  return value;
}
