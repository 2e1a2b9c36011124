import { orderKeySql } from '../../analytics/orders.js';
import { firstCategorySql, num0, sqlRunner } from '../../analytics/sql.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import type { Attributes } from '../../core/types.js';
import type { Store } from '../../store/store.js';

// The event log of known users, folded just enough to be small (one row per order part, per
// distinct item, per engagement timestamp) while keeping every timestamp exact: features at any
// cut-off before `to` are computed from this in memory, and a row only counts when its own time is
// before the cut-off, so nothing after the cut-off can leak into a feature.

/** A purchase or return, folded per (user, order, timestamp). */
export interface OrderRows {
  /** Index into {@link ActivityLog.userIds}. */
  user: Int32Array;
  ts: Float64Array;
  /** 0 purchase, 1 return. */
  kind: Uint8Array;
  /** Σ quantity × price (quantity 1 and price 0 when missing). */
  amount: Float64Array;
  /** Σ quantity. */
  units: Float64Array;
  /** Number of event lines. */
  lines: Float64Array;
  /** Index of the order key (order id, else user and timestamp) in a table shared by all rows. */
  order: Int32Array;
}

/** The time a user first bought something: one row per (user, distinct item or category). */
export interface FirstTimes {
  user: Int32Array;
  ts: Float64Array;
}

/** Non-purchase events (views, carts, …) counted per (user, type, timestamp). */
export interface EngagementRows {
  user: Int32Array;
  /** Index into {@link ActivityLog.engagementTypes}. */
  type: Int32Array;
  ts: Float64Array;
  count: Float64Array;
}

/** Purchase spend per (user, first category, timestamp). */
export interface CategorySpendRows {
  user: Int32Array;
  /** Index into {@link ActivityLog.categoryNames}. */
  category: Int32Array;
  ts: Float64Array;
  amount: Float64Array;
}

/** Everything the propensity features and labels are computed from. Rows are sorted by user, then time. */
export interface ActivityLog {
  /** Exclusive end of what was loaded (epoch ms). */
  to: number;
  /** Known users with at least one event before `to`, in code-unit order. */
  userIds: string[];
  /** Profile attributes per user (same order); empty objects when the profile is missing. */
  attributes: Attributes[];
  orders: OrderRows;
  items: FirstTimes;
  categories: FirstTimes;
  categoryNames: string[];
  categorySpend: CategorySpendRows;
  engagementTypes: string[];
  engagement: EngagementRows;
  /** Time of the first and last event loaded, or null when there are none. */
  firstEventAt: number | null;
  lastEventAt: number | null;
}

/** Options of {@link loadActivity}. */
export interface ActivityOptions {
  /** Load events strictly before this time (epoch ms). Default: everything. */
  to?: number;
}

/** Row order by (user, ts), as an index permutation: sorting typed columns together is cheaper this way. */
function sortedOrder(user: ArrayLike<number>, ts: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: user.length }, (_, i) => i);
  order.sort((a, b) => user[a]! - user[b]! || ts[a]! - ts[b]!);
  return order;
}

function permute<T extends Int32Array | Float64Array | Uint8Array>(column: T, order: Int32Array): T {
  const out = new (column.constructor as new (n: number) => T)(column.length);
  for (let i = 0; i < order.length; i++) out[i] = column[order[i]!]!;
  return out;
}

/**
 * Loads the activity of known users before `to` from a SQLite or PostgreSQL store: three scans
 * folded in SQL (order parts, purchases per user, item and time, engagement counts), the item
 * categories, and a pass over user profiles.
 *
 * @example
 * const log = await loadActivity(store, { to: Date.parse('2011-12-10') });
 * log.userIds.length; // 4,3xx customers on the full Online Retail data
 */
export async function loadActivity(store: Store, options: ActivityOptions = {}, progress: Progress = silentProgress): Promise<ActivityLog> {
  const sql = sqlRunner(store);
  progress.start('loading events', 4);
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  const amount = 'COALESCE(quantity, 1) * COALESCE(price, 0)';
  const orderRows = await sql.arrays(
    `SELECT user_id, type, ts, ${orderKeySql(sql.dialect)} AS order_key, SUM(${amount}), SUM(COALESCE(quantity, 1)), COUNT(*)
     FROM events WHERE user_id IS NOT NULL AND type IN ('purchase', 'return') AND ts < ?
     GROUP BY user_id, type, ts, order_id, session_id`,
    [to],
  );
  progress.tick(1, { orders: orderRows.length });
  // One row per (user, item, time) serves three purposes: first purchase of each item, first of
  // each category, and spend per category over time; the item → category map is small.
  const lineRows = await sql.arrays(
    `SELECT user_id, item_id, ts, SUM(${amount}) FROM events
     WHERE user_id IS NOT NULL AND type = 'purchase' AND item_id IS NOT NULL AND ts < ?
     GROUP BY user_id, item_id, ts`,
    [to],
  );
  const itemCategories = await sql.arrays(`SELECT id, ${firstCategorySql(sql.dialect, 'categories')} FROM items`);
  progress.tick(1, { purchases: lineRows.length });
  const engagementRows = await sql.arrays(
    `SELECT user_id, type, ts, COUNT(*) FROM events
     WHERE user_id IS NOT NULL AND type NOT IN ('purchase', 'return') AND ts < ?
     GROUP BY user_id, type, ts`,
    [to],
  );
  progress.tick(1);

  const ids = new Set<string>();
  for (const r of orderRows) ids.add(String(r[0]));
  for (const r of engagementRows) ids.add(String(r[0]));
  const userIds = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const uix = (value: unknown): number => userIndex.get(String(value))!;

  const orderKeys = new Map<string, number>();
  const n = orderRows.length;
  const raw: OrderRows = {
    user: new Int32Array(n),
    ts: new Float64Array(n),
    kind: new Uint8Array(n),
    amount: new Float64Array(n),
    units: new Float64Array(n),
    lines: new Float64Array(n),
    order: new Int32Array(n),
  };
  orderRows.forEach((r, i) => {
    raw.user[i] = uix(r[0]);
    raw.kind[i] = r[1] === 'return' ? 1 : 0;
    raw.ts[i] = num0(r[2]);
    const key = String(r[3]);
    let k = orderKeys.get(key);
    if (k === undefined) orderKeys.set(key, (k = orderKeys.size));
    raw.order[i] = k;
    raw.amount[i] = num0(r[4]);
    raw.units[i] = num0(r[5]);
    raw.lines[i] = num0(r[6]);
  });
  const order = sortedOrder(raw.user, raw.ts);
  const orders: OrderRows = {
    user: permute(raw.user, order),
    ts: permute(raw.ts, order),
    kind: permute(raw.kind, order),
    amount: permute(raw.amount, order),
    units: permute(raw.units, order),
    lines: permute(raw.lines, order),
    order: permute(raw.order, order),
  };

  const firstTimes = (keys: Map<unknown, [user: number, ts: number]>): FirstTimes => {
    const user = Int32Array.from(keys.values(), ([u]) => u);
    const ts = Float64Array.from(keys.values(), ([, t]) => t);
    const o = sortedOrder(user, ts);
    return { user: permute(user, o), ts: permute(ts, o) };
  };
  const categoryOfItem = new Map<string, string>();
  for (const [id, category] of itemCategories) if (category !== null && category !== undefined) categoryOfItem.set(String(id), String(category));
  const categoryNames = [...new Set(categoryOfItem.values())].sort();
  const categoryIndex = new Map(categoryNames.map((c, i) => [c, i]));
  // Items as small integers first, so (user, item) keys are numbers: user × items + item is exact
  // far beyond any catalogue (2^53), and number-keyed maps are much cheaper than string-keyed ones.
  const itemIndex = new Map<string, number>();
  const lineItem = Int32Array.from(lineRows, (r) => {
    const id = String(r[1]);
    let k = itemIndex.get(id);
    if (k === undefined) itemIndex.set(id, (k = itemIndex.size));
    return k;
  });
  const itemCategory = new Int32Array(itemIndex.size).fill(-1);
  for (const [id, k] of itemIndex) {
    const category = categoryOfItem.get(id);
    if (category !== undefined) itemCategory[k] = categoryIndex.get(category)!;
  }
  const firstItem = new Map<number, [number, number]>();
  const firstCategory = new Map<number, [number, number]>();
  const spend = { user: [] as number[], category: [] as number[], ts: [] as number[], amount: [] as number[] };
  lineRows.forEach(([userId, , rawTs, total], row) => {
    const u = uix(userId);
    const ts = num0(rawTs);
    const k = lineItem[row]!;
    const itemKey = u * itemIndex.size + k;
    const seen = firstItem.get(itemKey);
    if (!seen || ts < seen[1]) firstItem.set(itemKey, [u, ts]);
    const c = itemCategory[k]!;
    if (c < 0) return;
    const categoryKey = u * categoryNames.length + c;
    const first = firstCategory.get(categoryKey);
    if (!first || ts < first[1]) firstCategory.set(categoryKey, [u, ts]);
    spend.user.push(u);
    spend.category.push(c);
    spend.ts.push(ts);
    spend.amount.push(num0(total));
  });
  const so = sortedOrder(spend.user, spend.ts);
  const categorySpend: CategorySpendRows = {
    user: permute(Int32Array.from(spend.user), so),
    category: permute(Int32Array.from(spend.category), so),
    ts: permute(Float64Array.from(spend.ts), so),
    amount: permute(Float64Array.from(spend.amount), so),
  };

  const types = [...new Set(engagementRows.map((r) => String(r[1])))].sort();
  const typeIndex = new Map(types.map((t, i) => [t, i]));
  const eu = Int32Array.from(engagementRows, (r) => uix(r[0]));
  const ets = Float64Array.from(engagementRows, (r) => num0(r[2]));
  const eo = sortedOrder(eu, ets);
  const engagement: EngagementRows = {
    user: permute(eu, eo),
    type: permute(Int32Array.from(engagementRows, (r) => typeIndex.get(String(r[1]))!), eo),
    ts: permute(ets, eo),
    count: permute(Float64Array.from(engagementRows, (r) => num0(r[3])), eo),
  };

  const attributes: Attributes[] = userIds.map(() => ({}));
  for (let after: string | undefined; ; ) {
    const page = await store.listUsers({ ...(after === undefined ? {} : { after }), limit: 5_000 });
    for (const u of page) {
      const i = userIndex.get(u.id);
      if (i !== undefined) attributes[i] = u.attributes;
    }
    if (page.length < 5_000) break;
    after = page[page.length - 1]!.id;
  }

  progress.tick(1, { users: userIds.length });
  progress.stop();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const column of [orders.ts, engagement.ts]) {
    for (let i = 0; i < column.length; i++) {
      if (column[i]! < first) first = column[i]!;
      if (column[i]! > last) last = column[i]!;
    }
  }
  return {
    to,
    userIds,
    attributes,
    orders,
    items: firstTimes(firstItem),
    categories: firstTimes(firstCategory),
    categoryNames,
    categorySpend,
    engagementTypes: types,
    engagement,
    firstEventAt: Number.isFinite(first) ? first : null,
    lastEventAt: Number.isFinite(last) ? last : null,
  };
}

/** Start offsets of each user's rows in a column sorted by user: rows of user u are [start[u], start[u + 1]). */
export function userOffsets(user: Int32Array, users: number): Int32Array {
  const start = new Int32Array(users + 1);
  for (let i = 0; i < user.length; i++) start[user[i]! + 1]!++;
  for (let u = 0; u < users; u++) start[u + 1]! += start[u]!;
  return start;
}

/** First index in [lo, hi) whose ts is ≥ t (rows of one user, sorted by time). */
export function lowerBound(ts: Float64Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
