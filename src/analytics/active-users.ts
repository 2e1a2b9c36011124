import type { Store } from '../store/store.js';
import { resolveOptions, type AnalyticsOptions } from './options.js';
import { fillPeriods } from './periods.js';
import { num0, periodSql, scopeClause, sqlRunner } from './sql.js';
import { ratio } from './summary.js';

/** One period of {@link activeUsers}. */
export interface ActiveUsersRow {
  /** `2011-03-07` (day or the Monday of an ISO week) or `2011-03` (month). */
  period: string;
  /** Distinct known users with at least one event in the period. */
  activeUsers: number;
  /** Active users whose first event ever falls in this period. */
  newUsers: number;
  /** Active users seen before this period. */
  returningUsers: number;
  /** Distinct sessions of anonymous events (no user id), counted apart from users. */
  activeSessions: number;
  /** Every event in the period, anonymous ones included. */
  events: number;
  /** Events of known users ÷ active users. */
  eventsPerUser: number | null;
  /** Distinct sessions of known users ÷ the active users that have sessions; null when their events carry none. */
  sessionsPerUser: number | null;
  /**
   * Average daily active users ÷ active users of the period (DAU/MAU by month, DAU/WAU by week);
   * null by day. The average is over the days of the period with any event, so a half-covered
   * month at the edge of the data, or days a shop is closed, do not drag it down.
   */
  stickiness: number | null;
}

/**
 * Active, new and returning users per period, with events and sessions per user and stickiness.
 *
 * Runs in SQL: one statement reduces events to (day, user, session) counts and derives from them the
 * per-period distinct counts and the daily actives behind stickiness; a second finds each user's
 * first event (over all time, so "new" means new to the shop, not to the range). TypeScript only
 * joins the results and fills quiet periods with zeros.
 *
 * @example
 * const rows = await activeUsers(store, { by: 'month', from: '2011-01' });
 * rows[0]; // on the full Online Retail data: { period: '2011-01', activeUsers: 780, newUsers: 420, returningUsers: 360, … }
 */
export async function activeUsers(store: Store, options: AnalyticsOptions = {}): Promise<ActiveUsersRow[]> {
  const resolved = resolveOptions(options, 'month');
  const { by } = resolved;
  const sql = sqlRunner(store);
  const scope = scopeClause(sql.dialect, resolved);

  // One pass over the events reduces them to (day, user, session) counts; days come from integer
  // division, far cheaper per event than a date function. Every period figure is then computed on
  // that much smaller set: days nest inside weeks and months, so distinct counts stay exact.
  const ofDay = periodSql(sql.dialect, by, 'day * 86400000');
  const grouped = await sql.all(
    `WITH daily AS MATERIALIZED (
       SELECT ${ofDay} AS period, day, user_id, session_id, n
       FROM (SELECT ts / 86400000 AS day, user_id, session_id, COUNT(*) AS n FROM events WHERE ${scope.sql} GROUP BY 1, 2, 3) AS g
     )
     SELECT 'period' AS kind, period,
       COUNT(DISTINCT user_id) AS users,
       COUNT(DISTINCT CASE WHEN user_id IS NULL THEN session_id END) AS anonymous_sessions,
       SUM(n) AS events,
       SUM(CASE WHEN user_id IS NOT NULL THEN n ELSE 0 END) AS user_events,
       COUNT(DISTINCT CASE WHEN user_id IS NOT NULL THEN session_id END) AS user_sessions,
       COUNT(DISTINCT CASE WHEN session_id IS NOT NULL THEN user_id END) AS users_with_sessions
     FROM daily GROUP BY period
     UNION ALL
     SELECT 'daily', period, AVG(dau), NULL, NULL, NULL, NULL, NULL
     FROM (SELECT period, day, COUNT(DISTINCT user_id) AS dau FROM daily GROUP BY period, day) AS d GROUP BY period
     ORDER BY 2`,
    scope.params,
  );
  const totals = grouped.filter((r) => r.kind === 'period');
  // The average over the days of a week or a month is the numerator of stickiness; by day it would be trivially 1.
  const dailyAverage = new Map<string, number>(by === 'day' ? [] : grouped.filter((r) => r.kind === 'daily').map((r) => [String(r.period), num0(r.users)]));

  // First events over all time (segment applied), then kept when they fall in the range.
  const everyTime = scopeClause(sql.dialect, { ...resolved, from: null, to: null });
  const inRange = scopeClause(sql.dialect, { ...resolved, segment: null });
  const firsts = await sql.all(
    `SELECT ${periodSql(sql.dialect, by, 'ts')} AS period, COUNT(*) AS new_users
     FROM (SELECT user_id, MIN(ts) AS ts FROM events WHERE user_id IS NOT NULL AND ${everyTime.sql} GROUP BY user_id) AS f
     WHERE ${inRange.sql} GROUP BY period`,
    [...everyTime.params, ...inRange.params],
  );
  const newUsers = new Map(firsts.map((r) => [String(r.period), num0(r.new_users)]));

  const rows = totals.map((r): ActiveUsersRow => {
    const label = String(r.period);
    const users = num0(r.users);
    const fresh = newUsers.get(label) ?? 0;
    const average = dailyAverage.get(label);
    return {
      period: label,
      activeUsers: users,
      newUsers: fresh,
      returningUsers: users - fresh,
      activeSessions: num0(r.anonymous_sessions),
      events: num0(r.events),
      eventsPerUser: ratio(num0(r.user_events), users),
      sessionsPerUser: num0(r.user_sessions) === 0 ? null : ratio(num0(r.user_sessions), num0(r.users_with_sessions)),
      stickiness: average === undefined ? null : ratio(average, users),
    };
  });
  return fillPeriods(rows, by, (label) => ({
    period: label,
    activeUsers: 0,
    newUsers: 0,
    returningUsers: 0,
    activeSessions: 0,
    events: 0,
    eventsPerUser: null,
    sessionsPerUser: null,
    stickiness: null,
  }));
}
