import type { Store } from '../store/store.js';
import { resolveOptions, type AnalyticsOptions } from './options.js';
import { fillPeriods } from './periods.js';
import { num0, periodSql, scopeClause, sqlRunner, type Dialect } from './sql.js';
import { cents, ratio } from './summary.js';

/** One period of {@link orders}. Money is in the shop's currency, rounded to cents. */
export interface OrdersRow {
  period: string;
  /** Distinct order ids of purchase events. */
  orders: number;
  /** Distinct known users with a purchase. */
  customers: number;
  /** Σ quantity of purchases. */
  units: number;
  /** Gross revenue: Σ quantity × price of purchases. */
  revenue: number;
  /** Σ quantity × price of return events, reported apart from revenue. */
  returns: number;
  /** Units returned. */
  returnedUnits: number;
  /** revenue − returns. */
  netRevenue: number;
  /** Gross revenue ÷ orders. */
  averageOrderValue: number | null;
  /** Gross revenue of known customers ÷ customers (anonymous purchases have no customer to divide by). */
  revenuePerCustomer: number | null;
}

/**
 * SQL for the order a purchase or return belongs to: its order id, or else one order per user
 * (or session) and timestamp, which is how a checkout without ids looks. The ts column is named by `alias`.
 */
export function orderKeySql(dialect: Dialect, alias = ''): string {
  const col = (name: string): string => (alias ? `${alias}.${name}` : name);
  const ts = dialect === 'postgres' ? `CAST(${col('ts')} AS TEXT)` : col('ts');
  return `COALESCE(${col('order_id')}, '@' || COALESCE(${col('user_id')}, ${col('session_id')}, '') || ':' || ${ts})`;
}

/**
 * Orders, units, revenue, returns, average order value and revenue per customer, per period.
 * A purchase without quantity counts one unit; without price it adds no revenue.
 *
 * Runs in SQL entirely (order lines folded, then grouped by period); TypeScript derives the
 * ratios, rounds money and fills quiet periods with zeros.
 *
 * @example
 * const rows = await orders(store, { by: 'month' });
 * rows[0]; // on the full Online Retail data: { period: '2010-12', orders: 1_550, revenue: 777_931.77, returns: 17_607.86, averageOrderValue: 501.89, … }
 */
export async function orders(store: Store, options: AnalyticsOptions = {}): Promise<OrdersRow[]> {
  const resolved = resolveOptions(options, 'month');
  const sql = sqlRunner(store);
  const scope = scopeClause(sql.dialect, resolved);
  // The inner GROUP BY folds the lines of one order (same time, order, customer) into one row in a
  // single pass; labels, order keys and distinct counts are then computed on those few rows.
  const totals = await sql.all(
    `SELECT period,
       COUNT(DISTINCT CASE WHEN type = 'purchase' THEN order_key END) AS orders,
       COUNT(DISTINCT CASE WHEN type = 'purchase' THEN user_id END) AS customers,
       SUM(CASE WHEN type = 'purchase' THEN units ELSE 0 END) AS units,
       SUM(CASE WHEN type = 'purchase' THEN amount ELSE 0 END) AS revenue,
       SUM(CASE WHEN type = 'purchase' AND user_id IS NOT NULL THEN amount ELSE 0 END) AS customer_revenue,
       SUM(CASE WHEN type = 'return' THEN amount ELSE 0 END) AS returns,
       SUM(CASE WHEN type = 'return' THEN units ELSE 0 END) AS returned_units
     FROM (
       SELECT ${periodSql(sql.dialect, resolved.by, 'ts')} AS period, type, user_id, units, amount, ${orderKeySql(sql.dialect)} AS order_key
       FROM (
         SELECT ts, type, order_id, user_id, session_id, SUM(COALESCE(quantity, 1)) AS units, SUM(COALESCE(quantity, 1) * COALESCE(price, 0)) AS amount
         FROM events WHERE type IN ('purchase', 'return') AND ${scope.sql}
         GROUP BY ts, type, order_id, user_id, session_id
       ) AS lines
     ) AS o
     GROUP BY period ORDER BY period`,
    scope.params,
  );
  const rows = totals.map((r): OrdersRow => {
    const count = num0(r.orders);
    const customers = num0(r.customers);
    const revenue = num0(r.revenue);
    const returns = num0(r.returns);
    const perOrder = ratio(revenue, count);
    const perCustomer = ratio(num0(r.customer_revenue), customers);
    return {
      period: String(r.period),
      orders: count,
      customers,
      units: num0(r.units),
      revenue: cents(revenue),
      returns: cents(returns),
      returnedUnits: num0(r.returned_units),
      netRevenue: cents(revenue - returns),
      averageOrderValue: perOrder === null ? null : cents(perOrder),
      revenuePerCustomer: perCustomer === null ? null : cents(perCustomer),
    };
  });
  return fillPeriods(rows, resolved.by, (period) => ({
    period,
    orders: 0,
    customers: 0,
    units: 0,
    revenue: 0,
    returns: 0,
    returnedUnits: 0,
    netRevenue: 0,
    averageOrderValue: null,
    revenuePerCustomer: null,
  }));
}
