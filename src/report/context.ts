import { resolveOptions, type AnalyticsOptions } from '../analytics/options.js';
import { num, num0, scopeClause, sqlRunner } from '../analytics/sql.js';
import type { Granularity } from '../analytics/periods.js';
import type { Store } from '../store/store.js';
import { coverageOf } from './define.js';
import type { Coverage, RangeExtent, ReportContext, ReportRange } from './types.js';

const DAY_MS = 86_400_000;

/** Counts of the events in the range, by type, with their first and last time. */
export async function rangeExtent(store: Store, range: ReportRange): Promise<RangeExtent> {
  const sql = sqlRunner(store);
  const scope = scopeClause(sql.dialect, { ...range, segment: null });
  const byType = await sql.all(`SELECT type, COUNT(*) AS n, MIN(ts) AS first_ts, MAX(ts) AS last_ts FROM events WHERE ${scope.sql} GROUP BY type`, scope.params);
  const [distinct] = await sql.all(`SELECT COUNT(DISTINCT user_id) AS users, COUNT(DISTINCT item_id) AS items FROM events WHERE ${scope.sql}`, scope.params);
  const eventsByType: Partial<Record<string, number>> = {};
  let events = 0;
  let first: number | null = null;
  let last: number | null = null;
  for (const r of byType) {
    const n = num0(r.n);
    eventsByType[String(r.type)] = n;
    events += n;
    const f = num(r.first_ts);
    const l = num(r.last_ts);
    if (f !== null && (first === null || f < first)) first = f;
    if (l !== null && (last === null || l > last)) last = l;
  }
  return { events, users: num0(distinct?.users), items: num0(distinct?.items), eventsByType, firstEventAt: first, lastEventAt: last };
}

/** The catalog's currency when it names exactly one, else null. */
export async function catalogCurrency(store: Store): Promise<string | null> {
  const sql = sqlRunner(store);
  const rows = await sql.all('SELECT currency FROM items WHERE currency IS NOT NULL GROUP BY currency LIMIT 2');
  return rows.length === 1 && /^[A-Z]{3}$/.test(String(rows[0]!.currency)) ? String(rows[0]!.currency) : null;
}

/**
 * Monthly periods when the data spans four months or more, else weekly: a year of weekly cohorts
 * is too many rows to read, and three months make too few monthly points to show a trend.
 */
export function reportGranularity(coverage: Coverage): Granularity {
  if (coverage.start === null || coverage.end === null) return 'month';
  return coverage.end - coverage.start >= 120 * DAY_MS ? 'month' : 'week';
}

/** The range as the analyses take it, checked (an empty or reversed range is a clear error). */
export function parseRange(options: Pick<AnalyticsOptions, 'from' | 'to'>): ReportRange {
  const resolved = resolveOptions({ ...options }, 'month');
  return { from: resolved.from, to: resolved.to };
}

/** Everything every section may read about the data. */
export async function reportContext(store: Store, range: ReportRange): Promise<ReportContext> {
  const totals = await store.stats();
  const extent = await rangeExtent(store, range);
  const currency = await catalogCurrency(store);
  const coverage = coverageOf(range, extent.firstEventAt, extent.lastEventAt);
  return { range, totals, extent, coverage, currency, by: reportGranularity(coverage) };
}

/** The range of a report as options for the analyses. */
export function analyticsRange(ctx: Pick<ReportContext, 'range'>): AnalyticsOptions {
  const out: AnalyticsOptions = {};
  if (ctx.range.from !== null) out.from = ctx.range.from;
  if (ctx.range.to !== null) out.to = ctx.range.to;
  return out;
}
