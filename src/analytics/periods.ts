import { MagpieError } from '../core/errors.js';

// Calendar arithmetic on period labels, all in UTC. SQL computes the labels while it groups; this
// module turns them into ordinal numbers (for cohort offsets), fills gaps between them, and labels
// times that TypeScript handles itself. Both sides must agree, which the tests check.

/** How analyses bucket time: UTC days, ISO weeks (starting Monday) or calendar months. */
export type Granularity = 'day' | 'week' | 'month';

/** Every {@link Granularity}, for option parsing. */
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

const DAY_MS = 86_400_000;

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Start (epoch ms, UTC) of the period containing `ms`: midnight, the Monday of the ISO week, or the 1st of the month. */
export function periodStart(ms: number, by: Granularity): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (by === 'day') return day;
  if (by === 'week') {
    // getUTCDay: Sunday 0 … Saturday 6; ISO weeks start on Monday.
    const weekday = (new Date(day).getUTCDay() + 6) % 7;
    return day - weekday * DAY_MS;
  }
  const date = new Date(day);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * The label of the period containing `ms`: `2011-03-07` for a day, the Monday `2011-03-07` for a
 * week, `2011-03` for a month.
 *
 * @example
 * periodLabel(Date.UTC(2011, 2, 9), 'week'); // '2011-03-07'
 */
export function periodLabel(ms: number, by: Granularity): string {
  const start = periodStart(ms, by);
  return by === 'month' ? isoDay(start).slice(0, 7) : isoDay(start);
}

/** Start (epoch ms) of the period a label names. */
export function labelStart(label: string, by: Granularity): number {
  const ms = Date.parse(by === 'month' ? `${label}-01T00:00:00Z` : `${label}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new MagpieError('internal', `"${label}" is not a ${by} label`);
  return ms;
}

/** Ordinal number of a period, so that consecutive periods differ by one (cohort offsets subtract these). */
export function periodIndex(label: string, by: Granularity): number {
  const start = labelStart(label, by);
  if (by === 'day') return Math.round(start / DAY_MS);
  // 1970-01-05 was a Monday: count whole weeks from there.
  if (by === 'week') return Math.round((start - 4 * DAY_MS) / (7 * DAY_MS));
  const date = new Date(start);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** The label of the period after `label`. */
export function nextLabel(label: string, by: Granularity): string {
  const start = labelStart(label, by);
  if (by === 'day') return isoDay(start + DAY_MS);
  if (by === 'week') return isoDay(start + 7 * DAY_MS);
  const date = new Date(start);
  return isoDay(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)).slice(0, 7);
}

/** Every label from `first` to `last` inclusive (empty when `last` precedes `first`). */
export function labelRange(first: string, last: string, by: Granularity): string[] {
  const out: string[] = [];
  const end = periodIndex(last, by);
  for (let label = first; periodIndex(label, by) <= end; label = nextLabel(label, by)) out.push(label);
  return out;
}

/**
 * Rows for every period between the first and the last one present, in order: SQL only returns
 * periods that had events, but a quiet week is a fact a chart should show as zero, not skip.
 */
export function fillPeriods<R extends { period: string }>(rows: readonly R[], by: Granularity, empty: (period: string) => R): R[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return [];
  const byLabel = new Map(rows.map((r) => [r.period, r]));
  return labelRange(first.period, last.period, by).map((label) => byLabel.get(label) ?? empty(label));
}

/**
 * Parses a time given on the command line or to the library: epoch milliseconds, `2011`, `2011-03`,
 * `2011-03-07`, or an ISO date-time (without a zone: UTC).
 *
 * @example
 * parseTime('2011-03'); // Date.UTC(2011, 2, 1)
 */
export function parseTime(value: number | string, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const s = String(value).trim();
  let ms = Number.NaN;
  if (/^\d{4}$/.test(s)) ms = Date.UTC(Number(s), 0, 1);
  else if (/^\d{4}-\d{2}$/.test(s)) ms = Date.parse(`${s}-01T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) ms = Date.parse(`${s}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) ms = Date.parse(`${s.replace(' ', 'T')}Z`);
  else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) ms = Date.parse(s);
  else if (/^\d+$/.test(s)) ms = Number(s);
  if (Number.isNaN(ms)) {
    throw new MagpieError('invalid_input', `"${s}" is not a date`, { location: { field }, hint: 'use 2011-03, 2011-03-07, 2011-03-07T10:00:00Z or epoch milliseconds' });
  }
  return ms;
}
