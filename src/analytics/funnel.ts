import { MagpieError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../core/types.js';
import type { Store } from '../store/store.js';
import { resolveOptions, type AnalyticsOptions } from './options.js';
import { firstCategorySql, scopeClause, sqlRunner } from './sql.js';
import { DAY_MS, median, ratio } from './summary.js';

/** The funnel measured when no steps are given. */
export const DEFAULT_FUNNEL: readonly EventType[] = ['view', 'add_to_cart', 'purchase'];

/** Options of {@link funnel}; `by` is not used (a funnel spans the whole range). */
export interface FunnelOptions extends AnalyticsOptions {
  /** Event types in order; at least two. */
  steps?: readonly EventType[];
  /** Longest time from the first step to the last, in days (default 30). */
  windowDays?: number;
  /** Also measure one funnel per item category, counting only events on items of that category. */
  byCategory?: boolean;
}

/** One step of a funnel. */
export interface FunnelRow {
  /** Present when measured by category: the items' first category, null on the overall rows. */
  category?: string | null;
  /** 1 for the first step. */
  step: number;
  event: EventType;
  /** Users (or anonymous sessions) who reached this step in order within the window. */
  users: number;
  /** Share of the first step's users who reached this step. */
  conversion: number | null;
  /** Share of the previous step's users who reached this step (1 for the first step). */
  stepConversion: number | null;
  /** Users lost since the previous step. */
  dropOff: number;
  /** Median time from the previous step to this one, in seconds; null for the first step. */
  medianSecondsFromPrevious: number | null;
}

/** Checks and parses a comma-separated step list such as `purchase,return`. */
export function parseSteps(text: string | readonly string[]): EventType[] {
  const steps = (typeof text === 'string' ? text.split(',') : [...text]).map((s) => s.trim()).filter((s) => s !== '');
  for (const step of steps) {
    if (!(EVENT_TYPES as readonly string[]).includes(step)) {
      throw new MagpieError('invalid_input', `unknown event type "${step}" in the funnel steps`, { location: { field: 'steps' }, hint: `use event types among ${EVENT_TYPES.join(', ')}` });
    }
  }
  if (steps.length < 2) throw new MagpieError('invalid_input', 'a funnel needs at least two steps', { location: { field: 'steps' }, hint: 'e.g. --steps view,add_to_cart,purchase' });
  return steps as EventType[];
}

/** Progress of one user (per category, when split) through the funnel. */
interface Attempt {
  reached: number;
  start: number;
  last: number;
}

/** What one funnel (overall or one category) accumulates. */
interface Tally {
  attempts: Map<string, Attempt>;
  /** gaps[k]: milliseconds from step k-1 to step k of everyone who reached step k. */
  gaps: number[][];
}

const newTally = (steps: number): Tally => ({ attempts: new Map(), gaps: Array.from({ length: steps }, () => []) });

/**
 * Moves a user one step on when `type` is their next step, strictly later than the last one and
 * within the window of their first. Events arrive in time order, so the first step-1 event starts
 * the attempt and each step takes its earliest qualifying event.
 */
function advance(tally: Tally, key: string, type: string, ts: number, steps: readonly string[], windowMs: number): void {
  const attempt = tally.attempts.get(key);
  if (!attempt) {
    if (type === steps[0]) tally.attempts.set(key, { reached: 1, start: ts, last: ts });
    return;
  }
  if (attempt.reached < steps.length && type === steps[attempt.reached] && ts > attempt.last && ts - attempt.start <= windowMs) {
    tally.gaps[attempt.reached]!.push(ts - attempt.last);
    attempt.reached++;
    attempt.last = ts;
  }
}

function rowsOf(tally: Tally, steps: readonly EventType[], category: string | null | undefined): FunnelRow[] {
  const reached = new Array<number>(steps.length).fill(0);
  for (const attempt of tally.attempts.values()) for (let k = 0; k < attempt.reached; k++) reached[k]!++;
  return steps.map((event, k): FunnelRow => {
    const users = reached[k]!;
    const previous = k === 0 ? users : reached[k - 1]!;
    const gap = median(tally.gaps[k]!);
    return {
      ...(category === undefined ? {} : { category }),
      step: k + 1,
      event,
      users,
      conversion: ratio(users, reached[0]!),
      stepConversion: ratio(users, previous),
      dropOff: previous - users,
      medianSecondsFromPrevious: k === 0 || gap === null ? null : gap / 1000,
    };
  });
}

/**
 * Ordered conversion funnel over event types, per user (anonymous events: per session).
 *
 * SQL selects the step events in the range in time order (with the item's first category when
 * split); the matching runs in TypeScript in one pass over them, because "the next step, strictly
 * later, within the window of the first" is a per-user state machine that SQL can only express as
 * one self-join per step.
 *
 * @example
 * const steps = await funnel(store, { steps: ['purchase', 'return'], windowDays: 90 });
 * steps[1]; // on the full Online Retail data: { step: 2, event: 'return', users: 986, conversion: 0.173, medianSecondsFromPrevious: 937_380, … }
 */
export async function funnel(store: Store, options: FunnelOptions = {}): Promise<FunnelRow[]> {
  const resolved = resolveOptions(options, 'month');
  const steps = options.steps ? parseSteps(options.steps) : [...DEFAULT_FUNNEL];
  const windowDays = options.windowDays ?? 30;
  if (!(windowDays > 0)) throw new MagpieError('invalid_input', `the funnel window must be a positive number of days, got ${windowDays}`, { location: { field: 'window' } });
  const windowMs = windowDays * DAY_MS;
  const sql = sqlRunner(store);
  const scope = scopeClause(sql.dialect, resolved, 'e');
  const types = [...new Set(steps)];
  const category = options.byCategory ? `, ${firstCategorySql(sql.dialect, 'i.categories')}` : '';
  const join = options.byCategory ? 'LEFT JOIN items i ON i.id = e.item_id' : '';
  const events = await sql.arrays(
    // Events of one user, type and time count once (an order's lines share their time): only the
    // first can move a user on, since each step must be strictly later than the one before.
    `SELECT e.user_id, e.session_id, e.type, e.ts${category} FROM events e ${join}
     WHERE e.type IN (${types.map(() => '?').join(', ')}) AND ${scope.sql}
     GROUP BY e.ts, e.user_id, e.session_id, e.type${category} ORDER BY e.ts`,
    [...types, ...scope.params],
  );

  const overall = newTally(steps.length);
  const perCategory = new Map<string, Tally>();
  for (const [userId, sessionId, type, rawTs, rawCategory] of events) {
    if (userId === null && sessionId === null) continue;
    // Prefixes keep a user id and a session id that happen to be equal apart.
    const actor = userId !== null ? `u:${String(userId)}` : `s:${String(sessionId)}`;
    const ts = Number(rawTs);
    advance(overall, actor, String(type), ts, steps, windowMs);
    if (options.byCategory) {
      const name = rawCategory == null ? '(none)' : String(rawCategory);
      let tally = perCategory.get(name);
      if (!tally) perCategory.set(name, (tally = newTally(steps.length)));
      advance(tally, actor, String(type), ts, steps, windowMs);
    }
  }
  if (!options.byCategory) return rowsOf(overall, steps, undefined);
  const categories = [...perCategory.entries()].sort(([a, x], [b, y]) => y.attempts.size - x.attempts.size || (a < b ? -1 : 1));
  return [...rowsOf(overall, steps, null), ...categories.flatMap(([name, tally]) => rowsOf(tally, steps, name))];
}
