import { EVENT_TYPES, type EventType } from '../core/types.js';

/** Weight of each event type in the implicit-feedback matrix. */
export type EventWeights = Readonly<Record<EventType, number>>;

/** How `rate` events become weights: by their rating value, or as a plain 1 ("rated at all"). */
export type RatingMode = 'value' | 'binary';

/**
 * Default weights: stronger intent counts more (view < click < favorite/share < cart/review <
 * purchase). `remove_from_cart`, `return`, `search` and `impression` (a list shown) carry 0, which drops them from the matrix;
 * give `return` a negative weight (e.g. -8) to cancel a purchase that came back. `rate` is a
 * multiplier on the rating value (see {@link eventWeight}).
 */
export const DEFAULT_EVENT_WEIGHTS: EventWeights = Object.freeze({
  view: 1,
  click: 2,
  add_to_cart: 4,
  remove_from_cart: 0,
  purchase: 8,
  return: 0,
  rate: 1,
  favorite: 3,
  share: 3,
  review: 4,
  search: 0,
  impression: 0,
});

/**
 * The defaults with `overrides` applied; rejects non-finite weights early, where the mistake is
 * still easy to trace.
 *
 * @example
 * const w = eventWeights({ view: 0.5, return: -8 });
 * w.purchase; // 8
 */
export function eventWeights(overrides: Partial<Record<EventType, number>> = {}): EventWeights {
  const merged: Record<EventType, number> = { ...DEFAULT_EVENT_WEIGHTS };
  for (const type of EVENT_TYPES) {
    const value = overrides[type];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) throw new RangeError(`weight for '${type}' must be a finite number, got ${value}`);
    merged[type] = value;
  }
  return Object.freeze(merged);
}

/**
 * The weight of one event before time decay. A `rate` event weighs `weights.rate × rating`
 * (`× 1` in `'binary'` mode or when the event carries no value); every other type weighs its
 * table entry.
 */
export function eventWeight(type: EventType, value: number | null, weights: EventWeights, ratings: RatingMode = 'value'): number {
  const base = weights[type];
  if (type !== 'rate' || ratings === 'binary' || value === null || !Number.isFinite(value)) return base;
  return base * value;
}

const MS_PER_DAY = 86_400_000;

/**
 * Exponential time decay: 1 at `now`, 1/2 one half-life earlier, 1/4 two half-lives earlier.
 * Events after `now` get 1 rather than more, so clock skew cannot inflate a weight.
 * A half-life that is undefined, infinite or ≤ 0 disables decay.
 */
export function decayFactor(time: number, now: number, halfLifeDays: number | undefined): number {
  if (halfLifeDays === undefined || !(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) return 1;
  const ageDays = (now - time) / MS_PER_DAY;
  if (ageDays <= 0) return 1;
  return Math.pow(0.5, ageDays / halfLifeDays);
}

/**
 * Multiplies `weights[0..length)` in place by {@link decayFactor} of the matching `times`; the
 * batch form of the same rule, with the per-call checks hoisted out of the loop.
 */
export function applyDecay(weights: Float64Array | Float32Array, times: Float64Array, length: number, now: number, halfLifeDays: number | undefined): void {
  if (halfLifeDays === undefined || !(halfLifeDays > 0) || !Number.isFinite(halfLifeDays)) return;
  const rate = Math.LN2 / (halfLifeDays * MS_PER_DAY);
  for (let k = 0; k < length; k++) {
    const age = now - times[k]!;
    if (age > 0) weights[k]! *= Math.exp(-rate * age);
  }
}

/**
 * Ranks event types by how much intent they show, so a de-duplicated entry can report the
 * strongest behaviour behind it regardless of configured weights (a purchase stays a purchase
 * even when views are weighted heavily).
 */
export const EVENT_STRENGTH: Readonly<Record<EventType, number>> = Object.freeze({
  impression: -1,
  search: 0,
  remove_from_cart: 1,
  return: 2,
  view: 3,
  click: 4,
  share: 5,
  favorite: 6,
  rate: 7,
  review: 8,
  add_to_cart: 9,
  purchase: 10,
});
