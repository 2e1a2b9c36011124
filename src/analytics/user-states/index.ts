// The user-state Markov model: each user (and anonymous session) is in one state per period —
// purchasing, carting, browsing, away or churned — and the model is the matrix of transitions
// between consecutive periods, with its long run, steps to purchase and what-if analysis.
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { resolveOptions, type AnalyticsOptions } from '../options.js';
import type { Granularity } from '../periods.js';
import { num0, scopeClause, sqlRunner } from '../sql.js';
import { modelFromTally, type UserStateModel } from './model.js';
import { BROWSING_TYPES, LEVEL, newTally, periodOfDay, periodOfIndex, tallyActor } from './states.js';

export { BROWSING_TYPES, STATE, USER_STATES, periodOfDay, tallyActor, newTally, type StateTally, type UserState } from './states.js';
export { chainFigures, type ChainFigures, type Conversion, type StateTransition, type StepsToPurchase, type UserStateLongRun, type UserStateModel } from './model.js';
export { whatIf, type Change, type WhatIfChange, type WhatIfResult } from './what-if.js';
export { estimateChain, wilson, type EstimatedChain, type Interval } from './markov.js';
export { longRun, communicatingClasses, type ChainLongRun } from './long-run.js';
export { hitting, reachWithin, type Hitting } from './steps.js';

/** Options of {@link analyzeUserStates}. */
export interface UserStateOptions extends AnalyticsOptions {
  /** Length of a period: `week` (default), `day` or `month`. */
  by?: Granularity;
  /** Periods without activity after which an actor counts as churned; default 8 weeks (8, 56 days, 2 months). */
  churnAfter?: number;
  /** Window of the conversion figure, in periods; default 4 weeks (4, 28 days, 1 month). */
  conversionWithin?: number;
  /** Follow anonymous sessions as actors of their own (default true; always off with a segment). */
  includeAnonymous?: boolean;
}

const DEFAULT_CHURN: Record<Granularity, number> = { day: 56, week: 8, month: 2 };
const DEFAULT_CONVERSION: Record<Granularity, number> = { day: 28, week: 4, month: 1 };

function periodsOption(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new MagpieError('invalid_input', `${field} must be a whole number of periods ≥ 1, got ${String(value)}`, { location: { field }, hint: `e.g. ${fallback}` });
  }
  return value;
}

/**
 * Fits the user-state Markov model. Each actor — a known user, or an anonymous session — is
 * followed from its first active period in the range to the last period with data, one state per
 * period: `purchasing` (a purchase), `carting` (an add-to-cart, no purchase), `browsing` (only
 * {@link BROWSING_TYPES}), `away` (nothing, fewer than `churnAfter` periods since the last activity)
 * or `churned` (nothing for `churnAfter` periods or more). Churned is not forced to be absorbing:
 * actors who come back leave it, so its row is estimated like any other; only when nobody ever
 * returns does it become absorbing, and the long run then reports absorption probabilities and the
 * quasi-stationary mix of the other states. Activity before `from` is not seen.
 *
 * SQL reduces the events to one row per (actor, day) with the day's strongest activity, ordered by
 * actor (a few rows per active day, where events are many per day); TypeScript folds the days into
 * periods, walks every actor's periods, counts transitions, and does the Markov algebra on the
 * small matrix.
 *
 * @example
 * const model = await analyzeUserStates(store, { by: 'week' });
 * model.states; // on Online Retail: ['purchasing', 'away', 'churned']
 * model.stepsToPurchase?.expectedSteps; // expected weeks to the next purchase from each state
 */
export async function analyzeUserStates(store: Store, options: UserStateOptions = {}): Promise<UserStateModel> {
  const resolved = resolveOptions(options, 'week');
  const { by } = resolved;
  const churnAfter = periodsOption(options.churnAfter, DEFAULT_CHURN[by], 'churnAfter');
  const conversionWithin = periodsOption(options.conversionWithin, DEFAULT_CONVERSION[by], 'conversionWithin');
  const sql = sqlRunner(store);
  const scope = scopeClause(sql.dialect, resolved);
  const types = ['purchase', 'add_to_cart', ...BROWSING_TYPES];
  const level = `MAX(CASE WHEN type = 'purchase' THEN ${LEVEL.purchasing} WHEN type = 'add_to_cart' THEN ${LEVEL.carting} ELSE ${LEVEL.browsing} END)`;
  const typeList = types.map(() => '?').join(', ');
  // Grouping by (actor, ts) first walks the (user_id, ts) and (session_id, ts) indexes in order, so it
  // needs no sort, and folds an order's lines (one timestamp) into one row; days are then grouped on
  // those far fewer rows. Grouping by (actor, day) directly sorted every event and took twice as long.
  const branch = (actor: string, anonymous: 0 | 1, where: string): string =>
    `SELECT ${anonymous} AS anonymous, ${actor} AS actor, ts, ${level} AS level FROM events
     WHERE ${where} AND type IN (${typeList}) AND ${scope.sql} GROUP BY ${actor}, ts`;
  const branches = [branch('user_id', 0, 'user_id IS NOT NULL')];
  if (options.includeAnonymous !== false) branches.push(branch('session_id', 1, 'user_id IS NULL AND session_id IS NOT NULL'));
  const rows = await sql.arrays(
    `SELECT anonymous, actor, ts / 86400000 AS day, MAX(level) AS level FROM (${branches.join(' UNION ALL ')}) AS t
     GROUP BY anonymous, actor, ts / 86400000 ORDER BY anonymous, actor, day`,
    branches.flatMap(() => [...types, ...scope.params]),
  );

  // Period ordinals of every row first: the last one is where every sequence ends.
  const periods = new Int32Array(rows.length);
  let first = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  rows.forEach((r, i) => {
    const p = periodOfDay(num0(r[2]), by);
    periods[i] = p;
    if (p < first) first = p;
    if (p > end) end = p;
  });

  const tally = newTally();
  let users = 0;
  let sessions = 0;
  // One actor's active periods and levels; days of one period fold into its strongest level.
  const actorPeriods = new Int32Array(rows.length);
  const actorLevels = new Uint8Array(rows.length);
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const p = periods[i]!;
    const level = num0(row[3]);
    if (count > 0 && p === actorPeriods[count - 1]) actorLevels[count - 1] = Math.max(actorLevels[count - 1]!, level);
    else {
      actorPeriods[count] = p;
      actorLevels[count] = level;
      count++;
    }
    const next = rows[i + 1];
    if (!next || next[1] !== row[1] || next[0] !== row[0]) {
      tallyActor(actorPeriods, actorLevels, count, end, churnAfter, tally);
      if (num0(row[0]) === 1) sessions++;
      else users++;
      count = 0;
    }
  }
  return modelFromTally(tally, {
    by,
    churnAfter,
    conversionWithin,
    firstPeriod: rows.length > 0 ? periodOfIndex(first, by) : null,
    lastPeriod: rows.length > 0 ? periodOfIndex(end, by) : null,
    users,
    sessions,
  });
}
