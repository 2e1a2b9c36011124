import { MagpieError } from '../core/errors.js';
import { orderKeySql } from '../analytics/orders.js';
import { parseTime } from '../analytics/periods.js';
import { firstCategorySql, num, num0, scopeClause, sqlRunner } from '../analytics/sql.js';
import { DAY_MS } from '../analytics/summary.js';
import type { Store } from '../store/store.js';

// Per-customer behaviour as of a reference time, computed in SQL on the store's own connection
// (SQLite or PostgreSQL): one pass folds purchases and returns per customer, a second sums spend
// per category. Only events strictly before `asOf` count, so a segmentation "as of 1 November"
// is what the shop could have known that morning.

/** Spend of one customer in one category (an item's first, most general category). */
export interface CategorySpend {
  category: string;
  /** Σ quantity × price of purchases in the category. */
  spend: number;
}

/** What one customer did before `asOf`. Money is in the shop's currency. */
export interface CustomerFeatures {
  userId: string;
  /** Epoch ms of the first and the last purchase. */
  firstPurchaseAt: number;
  lastPurchaseAt: number;
  /** Days from the last purchase to `asOf`. */
  recencyDays: number;
  /** Days from the first purchase to `asOf`. */
  tenureDays: number;
  /** Distinct orders (order ids; a purchase without one is its own order per timestamp). */
  frequency: number;
  /** Gross revenue: Σ quantity × price of purchases. */
  revenue: number;
  /** Σ quantity × price of returns. */
  returns: number;
  /** Net revenue: revenue − returns; can be negative when returns exceed purchases in the window. */
  monetary: number;
  /** revenue ÷ frequency, as the analytics' orders report defines it. */
  averageOrderValue: number;
  /** Categories bought from. */
  distinctCategories: number;
  /** returns ÷ revenue (0 when there is no revenue). */
  returnRate: number;
  /** Spend per category, largest first (ties by name). */
  categories: CategorySpend[];
}

/** Options of {@link customerFeatures}. */
export interface FeatureOptions {
  /** Reference time (epoch ms or a date such as `2011-12-01`); only events before it count. Default: the UTC midnight after the last event. */
  asOf?: number | string;
  /** Ignore events before this time (inclusive start), e.g. to look back one year only. */
  from?: number | string;
}

/** Customers' features and the reference time they were computed at. */
export interface CustomerTable {
  asOf: number;
  /** Every known user with a purchase before `asOf`, ordered by id (code-unit order, the same on every backend). */
  customers: CustomerFeatures[];
}

const byId = (a: { userId: string }, b: { userId: string }): number => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

/**
 * Computes {@link CustomerFeatures} for every customer (a known user with at least one purchase
 * before `asOf`). Purchases without quantity count one unit; without price they add no money.
 *
 * @example
 * const { asOf, customers } = await customerFeatures(store, { asOf: '2011-12-01' });
 * customers[0]; // { userId: '12347', recencyDays: 31.6, frequency: 6, monetary: 3_598.21, … }
 */
export async function customerFeatures(store: Store, options: FeatureOptions = {}): Promise<CustomerTable> {
  const sql = sqlRunner(store);
  let asOf: number;
  if (options.asOf !== undefined) asOf = parseTime(options.asOf, 'as-of');
  else {
    const [row] = await sql.all(`SELECT MAX(ts) AS last FROM events`);
    const last = num(row?.last);
    // Midnight after the last event: the usual "day after the data ends", so the latest buyer is
    // a fraction of a day old rather than zero, and reruns on the same data agree.
    asOf = last === null ? Date.now() : (Math.floor(last / DAY_MS) + 1) * DAY_MS;
  }
  const from = options.from === undefined ? null : parseTime(options.from, 'from');
  if (from !== null && from >= asOf) {
    throw new MagpieError('invalid_input', `the window is empty: --from is not before --as-of (${new Date(asOf).toISOString()})`, { location: { field: 'from' } });
  }
  const scope = scopeClause(sql.dialect, { from, to: asOf, segment: null });
  const amount = 'COALESCE(quantity, 1) * COALESCE(price, 0)';

  // The innermost GROUP BY folds an order's lines into one row first (as the orders report does),
  // so order keys are built and counted once per order rather than once per line.
  const totals = await sql.arrays(
    `SELECT user_id,
       MIN(CASE WHEN type = 'purchase' THEN ts END),
       MAX(CASE WHEN type = 'purchase' THEN ts END),
       COUNT(DISTINCT CASE WHEN type = 'purchase' THEN order_key END),
       SUM(CASE WHEN type = 'purchase' THEN amount ELSE 0 END),
       SUM(CASE WHEN type = 'return' THEN amount ELSE 0 END)
     FROM (
       SELECT user_id, type, ts, ${orderKeySql(sql.dialect)} AS order_key, amount
       FROM (
         SELECT user_id, type, ts, order_id, session_id, SUM(${amount}) AS amount
         FROM events WHERE type IN ('purchase', 'return') AND user_id IS NOT NULL AND ${scope.sql}
         GROUP BY user_id, type, ts, order_id, session_id
       ) AS lines
     ) AS o
     GROUP BY user_id
     HAVING COUNT(CASE WHEN type = 'purchase' THEN 1 END) > 0`,
    scope.params,
  );

  // Summing per (customer, item) before the join reads each item's categories once per buyer
  // rather than once per order line.
  const spend = await sql.arrays(
    `SELECT t.user_id, ${firstCategorySql(sql.dialect, 'i.categories')} AS category, SUM(t.spend)
     FROM (
       SELECT user_id, item_id, SUM(${amount}) AS spend FROM events
       WHERE type = 'purchase' AND user_id IS NOT NULL AND ${scope.sql}
       GROUP BY user_id, item_id
     ) AS t JOIN items i ON i.id = t.item_id
     GROUP BY t.user_id, ${firstCategorySql(sql.dialect, 'i.categories')}`,
    scope.params,
  );
  const categoriesOf = new Map<string, CategorySpend[]>();
  for (const [userId, category, total] of spend) {
    if (category === null || category === undefined) continue;
    const id = String(userId);
    let list = categoriesOf.get(id);
    if (!list) categoriesOf.set(id, (list = []));
    list.push({ category: String(category), spend: num0(total) });
  }

  const customers = totals.map(([userId, first, last, orders, revenue, returns]): CustomerFeatures => {
    const id = String(userId);
    const frequency = num0(orders);
    const gross = num0(revenue);
    const returned = num0(returns);
    const categories = (categoriesOf.get(id) ?? []).sort((a, b) => b.spend - a.spend || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
    return {
      userId: id,
      firstPurchaseAt: num0(first),
      lastPurchaseAt: num0(last),
      recencyDays: (asOf - num0(last)) / DAY_MS,
      tenureDays: (asOf - num0(first)) / DAY_MS,
      frequency,
      revenue: gross,
      returns: returned,
      monetary: gross - returned,
      averageOrderValue: frequency > 0 ? gross / frequency : 0,
      distinctCategories: categories.length,
      returnRate: gross > 0 ? returned / gross : 0,
      categories,
    };
  });
  return { asOf, customers: customers.sort(byId) };
}
