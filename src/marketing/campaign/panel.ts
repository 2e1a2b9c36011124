import { orderKeySql } from '../../analytics/orders.js';
import { parseTime } from '../../analytics/periods.js';
import { num0, sqlRunner } from '../../analytics/sql.js';
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { DidObservation } from './did.js';

// The usual input of a campaign DiD: every test and control customer's metric in every week
// (or other period) of a window before and a window after the campaign start, zeros included —
// a customer who bought nothing that week is a measurement of 0, not a missing one.

/** What is measured per customer and period. */
export type PanelMetric = 'revenue' | 'orders';

/** Options of {@link campaignPanel}. Times are epoch ms or dates; windows are [from, to). */
export interface PanelOptions {
  test: readonly string[];
  control: readonly string[];
  before: { from: number | string; to: number | string };
  after: { from: number | string; to: number | string };
  /** Default 'revenue' (Σ quantity × price of purchases). */
  metric?: PanelMetric;
  /** Length of a period. Default 7 (weeks). Each window must be a whole number of periods. */
  periodDays?: number;
}

const DAY = 86_400_000;

function window(w: { from: number | string; to: number | string }, name: string, period: number): [number, number] {
  const from = parseTime(w.from, `${name}.from`);
  const to = parseTime(w.to, `${name}.to`);
  if (to <= from || (to - from) % period !== 0) {
    throw new MagpieError('invalid_input', `the ${name} window must be a positive whole number of periods (${period / DAY} days)`, { location: { field: name } });
  }
  return [from, to];
}

/**
 * One observation per customer and period of both windows: revenue or orders of that customer in
 * that period, from the store's purchases.
 *
 * @example
 * const panel = await campaignPanel(store, { test, control, before: { from: '2011-10-01', to: '2011-10-29' }, after: { from: '2011-10-29', to: '2011-11-26' } });
 * differenceInDifferences(panel).estimate; // change in weekly revenue per customer due to the campaign
 */
export async function campaignPanel(store: Store, options: PanelOptions): Promise<DidObservation[]> {
  const period = (options.periodDays ?? 7) * DAY;
  if (!(period > 0)) throw new MagpieError('invalid_input', 'periodDays must be positive', { location: { field: 'periodDays' } });
  const before = window(options.before, 'before', period);
  const after = window(options.after, 'after', period);
  if (before[1] > after[0]) throw new MagpieError('invalid_input', 'the before window must end before the after window starts', { location: { field: 'before' } });
  const group = new Map<string, boolean>();
  for (const id of options.test) group.set(id, true);
  for (const id of options.control) {
    if (group.get(id) === true) throw new MagpieError('invalid_input', `customer ${id} is in both the test and the control group`, { location: { field: 'control' } });
    group.set(id, false);
  }
  const windows = [before, after];
  const periods = windows.map(([from, to]) => (to - from) / period);
  const slots = periods[0]! + periods[1]!;
  const ids = [...group.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const value = new Float64Array(ids.length * slots);
  const sql = sqlRunner(store);
  const rows = await sql.arrays(
    `SELECT user_id, ts, SUM(COALESCE(quantity, 1) * COALESCE(price, 0)), COUNT(DISTINCT ${orderKeySql(sql.dialect)})
     FROM events WHERE type = 'purchase' AND user_id IS NOT NULL AND ((ts >= ? AND ts < ?) OR (ts >= ? AND ts < ?))
     GROUP BY user_id, ts`,
    [before[0], before[1], after[0], after[1]],
  );
  const metric = options.metric ?? 'revenue';
  for (const [userId, rawTs, revenue, orders] of rows) {
    const u = index.get(String(userId));
    if (u === undefined) continue;
    const ts = num0(rawTs);
    const w = ts < before[1] ? 0 : 1;
    const slot = (w === 0 ? 0 : periods[0]!) + Math.floor((ts - windows[w]![0]) / period);
    value[u * slots + slot]! += metric === 'revenue' ? num0(revenue) : num0(orders);
  }
  const out: DidObservation[] = [];
  ids.forEach((unit, u) => {
    for (let s = 0; s < slots; s++) out.push({ unit, treated: group.get(unit)!, post: s >= periods[0]!, value: value[u * slots + s]! });
  });
  return out;
}
