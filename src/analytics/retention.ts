import { MagpieError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { resolveOptions, type AnalyticsOptions } from './options.js';
import { periodIndex } from './periods.js';
import { num0, periodSql, scopeClause, sqlRunner } from './sql.js';

/** One cohort of {@link retention}: the users whose first event falls in `cohort`. */
export interface RetentionRow {
  /** The period of the cohort's first activity (`2011-03` or the Monday `2011-03-07`). */
  cohort: string;
  /** Users in the cohort. */
  size: number;
  /**
   * Classic retention: `retention[n]` is the share of the cohort active in period cohort + n
   * (so `retention[0]` is 1). One entry per period up to the last one with data.
   */
  retention: number[];
  /** Rolling (unbounded) retention: the share active in period cohort + n or any later one. */
  rollingRetention: number[];
}

/** What one cohort accumulates; maps are keyed by the offset from the cohort's period. */
interface Cohort {
  start: number;
  size: number;
  /** Users active at each offset. */
  active: Map<number, number>;
  /** Users whose last activity is at each offset. */
  lastCounts: Map<number, number>;
}

/**
 * Cohort retention by first-activity period (week or month; day works too). Only users whose first
 * event ever is inside the range form cohorts; activity counts up to the end of the range.
 *
 * Runs in SQL: each user's first and last event, the distinct (user, period) activity pairs (through
 * distinct (user, day) pairs, which the (user_id, ts) index yields without a date function per event) and
 * their counts per (cohort, period), and the counts per (cohort, last period). TypeScript turns
 * period labels into offsets and builds the matrix: offsets are calendar arithmetic that each
 * dialect would spell differently, while the counts it works on are a few hundred rows.
 *
 * @example
 * const cohorts = await retention(store, { by: 'month' });
 * cohorts[0]; // on the full Online Retail data: { cohort: '2010-12', size: 947, retention: [1, 0.380, 0.331, …], rollingRetention: [1, 0.862, 0.846, …] }
 */
export async function retention(store: Store, options: AnalyticsOptions = {}): Promise<RetentionRow[]> {
  const resolved = resolveOptions(options, 'month');
  const { by } = resolved;
  const sql = sqlRunner(store);
  const period = (ts: string): string => periodSql(sql.dialect, by, ts);

  // First and last event per user: up to the end of the range, cohorts kept when they start inside it.
  const upToEnd = scopeClause(sql.dialect, { ...resolved, from: null });
  const spans = `SELECT user_id, MIN(ts) AS first_ts, MAX(ts) AS last_ts FROM events
    WHERE user_id IS NOT NULL AND ${upToEnd.sql} GROUP BY user_id${resolved.from === null ? '' : ' HAVING MIN(ts) >= ?'}`;
  const spanParams = resolved.from === null ? upToEnd.params : [...upToEnd.params, resolved.from];
  const scope = scopeClause(sql.dialect, resolved);

  const active = await sql.all(
    `SELECT ${period('s.first_ts')} AS cohort, a.period AS period, COUNT(*) AS users
     FROM (
       SELECT DISTINCT user_id, ${period('day * 86400000')} AS period
       FROM (SELECT user_id, ts / 86400000 AS day FROM events WHERE user_id IS NOT NULL AND ${scope.sql} GROUP BY user_id, day) AS d
     ) AS a
     JOIN (${spans}) AS s ON s.user_id = a.user_id
     GROUP BY 1, 2`,
    [...scope.params, ...spanParams],
  );
  const lasts = await sql.all(`SELECT ${period('first_ts')} AS cohort, ${period('last_ts')} AS last, COUNT(*) AS users FROM (${spans}) AS s GROUP BY 1, 2`, spanParams);

  const cohorts = new Map<string, Cohort>();
  const cohortOf = (label: string): Cohort => {
    let c = cohorts.get(label);
    if (!c) cohorts.set(label, (c = { start: periodIndex(label, by), active: new Map(), lastCounts: new Map(), size: 0 }));
    return c;
  };
  let end = Number.NEGATIVE_INFINITY;
  for (const r of lasts) {
    const c = cohortOf(String(r.cohort));
    const offset = periodIndex(String(r.last), by) - c.start;
    c.lastCounts.set(offset, (c.lastCounts.get(offset) ?? 0) + num0(r.users));
    c.size += num0(r.users);
    end = Math.max(end, c.start + offset);
  }
  for (const r of active) {
    const c = cohorts.get(String(r.cohort));
    // Every active user has a span, so its cohort exists; anything else means the two queries disagree.
    if (!c) throw new MagpieError('internal', `retention: cohort ${String(r.cohort)} has activity but no users`);
    c.active.set(periodIndex(String(r.period), by) - c.start, num0(r.users));
  }

  return [...cohorts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, c]): RetentionRow => {
      const width = end - c.start + 1;
      const classic = Array.from({ length: width }, (_, n) => (c.active.get(n) ?? 0) / c.size);
      // Users whose last activity is at offset ≥ n were active at n or later: a suffix sum.
      const rolling = new Array<number>(width).fill(0);
      let stillActive = 0;
      for (let n = width - 1; n >= 0; n--) {
        stillActive += c.lastCounts.get(n) ?? 0;
        rolling[n] = stillActive / c.size;
      }
      return { cohort: label, size: c.size, retention: classic, rollingRetention: rolling };
    });
}
