import { cents } from '../analytics/summary.js';
import { rfmCode } from './rfm.js';
import type { Segmentation } from './segments.js';

// One flat row per customer, for a mailing tool: the same keys in the CSV header and the JSON
// objects, money rounded to cents and days to one decimal so files diff cleanly between runs.

/** One customer as exported. */
export interface SegmentExportRow {
  userId: string;
  segment: string;
  /** RFM quintile scores and their three-digit code, e.g. "545". */
  r: number;
  f: number;
  m: number;
  rfm: string;
  recencyDays: number;
  frequency: number;
  monetary: number;
  revenue: number;
  returns: number;
  averageOrderValue: number;
  tenureDays: number;
  distinctCategories: number;
  returnRate: number;
  /** The category with the most spend ('' when none is known). */
  topCategory: string;
  /** ISO time of the last purchase. */
  lastPurchaseAt: string;
}

const tenth = (x: number): number => Math.round(x * 10) / 10;

/** The export rows of a segmentation, one per customer, ordered by user id. */
export function exportRows(segmentation: Segmentation): SegmentExportRow[] {
  return segmentation.customers.map(({ userId, segment, rfm, features: c }) => ({
    userId,
    segment,
    r: rfm.r,
    f: rfm.f,
    m: rfm.m,
    rfm: rfmCode(rfm),
    recencyDays: tenth(c.recencyDays),
    frequency: c.frequency,
    monetary: cents(c.monetary),
    revenue: cents(c.revenue),
    returns: cents(c.returns),
    averageOrderValue: cents(c.averageOrderValue),
    tenureDays: tenth(c.tenureDays),
    distinctCategories: c.distinctCategories,
    returnRate: Math.round(c.returnRate * 10_000) / 10_000,
    topCategory: c.categories[0]?.category ?? '',
    lastPurchaseAt: new Date(c.lastPurchaseAt).toISOString(),
  }));
}

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180), quotes doubled. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV text with a header line, keys of the first row as columns, CRLF-free (`\n`).
 *
 * @example
 * toCsv([{ userId: 'a', segment: "Can't lose them", monetary: 1200.5 }]);
 * // "userId,segment,monetary\na,Can't lose them,1200.5\n"
 */
export function toCsv(rows: readonly object[]): string {
  const first = rows[0];
  if (!first) return '';
  const columns = Object.keys(first);
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField((row as Record<string, string | number>)[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}
