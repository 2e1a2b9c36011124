import type { EventType } from '../../core/types.js';
import { periodLabel, type Granularity } from '../periods.js';

// What a user (or an anonymous session) is doing in each period, and the transition counts
// between consecutive periods. Pure functions on already-reduced activity, so the SQL side and the
// tests can feed them alike.

/**
 * The states of the user-state model, most engaged first. `purchasing`, `carting` and `browsing`
 * name the strongest thing done in a period; `away` and `churned` are periods without activity.
 */
export const USER_STATES = ['purchasing', 'carting', 'browsing', 'away', 'churned'] as const;

/** One of {@link USER_STATES}. */
export type UserState = (typeof USER_STATES)[number];

/** Index of each state in {@link USER_STATES}. */
export const STATE = { purchasing: 0, carting: 1, browsing: 2, away: 3, churned: 4 } as const satisfies Record<UserState, number>;

/**
 * Events that make a period `browsing` when nothing stronger happened in it. Left out on purpose:
 * `impression` (the shop showed a list; the shopper did nothing) and `return` (after-sales, not
 * intent to buy) — a period with only those is a period without activity.
 */
export const BROWSING_TYPES: readonly EventType[] = ['view', 'click', 'search', 'favorite', 'share', 'rate', 'review', 'remove_from_cart'];

/** Activity level of a period, as SQL computes it: the strongest event of the period. */
export const LEVEL = { browsing: 1, carting: 2, purchasing: 3 } as const;

const DAY_MS = 86_400_000;

/**
 * Ordinal of the period holding UTC day number `day` (days since 1970-01-01), consecutive periods
 * one apart: the day itself, ISO weeks counted from Monday 1970-01-05 (day 4), or year × 12 + month.
 */
export function periodOfDay(day: number, by: Granularity): number {
  if (by === 'day') return day;
  if (by === 'week') return Math.floor((day - 4) / 7);
  const date = new Date(day * DAY_MS);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** The label (`2011-03-07`, `2011-03`) of the period with ordinal `index` from {@link periodOfDay}. */
export function periodOfIndex(index: number, by: Granularity): string {
  if (by === 'day') return periodLabel(index * DAY_MS, by);
  if (by === 'week') return periodLabel((index * 7 + 4) * DAY_MS, by);
  return periodLabel(Date.UTC(Math.floor(index / 12), index % 12, 1), by);
}

/** Counts accumulated over every actor's sequence of states; square arrays are row-major over {@link USER_STATES}. */
export interface StateTally {
  /** counts[i * 5 + j]: periods in state i followed by a period in state j. */
  counts: Float64Array;
  /** Actor-periods in each state. */
  visits: Float64Array;
  /** Actors whose first observed period is in each state. */
  entries: Float64Array;
  actors: number;
}

/** An empty {@link StateTally}. */
export function newTally(): StateTally {
  const s = USER_STATES.length;
  return { counts: new Float64Array(s * s), visits: new Float64Array(s), entries: new Float64Array(s), actors: 0 };
}

const stateOfLevel = (level: number): number => (level >= LEVEL.purchasing ? STATE.purchasing : level === LEVEL.carting ? STATE.carting : STATE.browsing);

/**
 * Adds one actor's sequence to `tally`. `periods` are the ordinals of the periods with activity,
 * strictly increasing, and `levels` their activity levels ({@link LEVEL}); the sequence runs from
 * the first of them to `end` inclusive. A period without activity is `away` while fewer than
 * `churnAfter` periods have passed since the last active one, and `churned` from then on — so
 * churned persists until the actor comes back, and an actor who never does stays churned to the end.
 */
export function tallyActor(periods: ArrayLike<number>, levels: ArrayLike<number>, count: number, end: number, churnAfter: number, tally: StateTally): void {
  if (count === 0 || periods[0]! > end) return;
  const s = USER_STATES.length;
  let k = 0;
  let lastActive = periods[0]!;
  let previous = -1;
  for (let t = periods[0]!; t <= end; t++) {
    let state: number;
    if (k < count && periods[k] === t) {
      state = stateOfLevel(levels[k]!);
      lastActive = t;
      k++;
    } else {
      state = t - lastActive >= churnAfter ? STATE.churned : STATE.away;
    }
    tally.visits[state]!++;
    if (previous < 0) tally.entries[state]!++;
    else tally.counts[previous * s + state]!++;
    previous = state;
  }
  tally.actors++;
}
