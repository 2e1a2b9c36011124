import { lowerBound, userOffsets, type ActivityLog } from './activity.js';
import { CORE_FEATURES, ENGAGEMENT_WINDOWS, type FeatureSpec } from './feature-spec.js';

// Per-customer features at a cut-off time, computed from the activity log in memory. Every window
// ends at the cut-off and only rows strictly before it are read (binary search per user), so a
// feature table at time T is what the shop could have known at T; the leakage test checks it.

const DAY = 86_400_000;

/** Customers × features at one cut-off, row-major. NaN marks a value that does not exist (no gap between orders yet). */
export interface FeatureTable {
  cutoff: number;
  names: string[];
  /** The user ids of the rows. */
  userIds: string[];
  /** Index of each row's user in the activity log. */
  userIndex: Int32Array;
  values: Float64Array;
  n: number;
  d: number;
}

/** Mean and population standard deviation of the gaps (days) between consecutive order times. */
function gapStats(times: number[]): [mean: number, std: number] {
  if (times.length < 2) return [Number.NaN, Number.NaN];
  let sum = 0;
  for (let i = 1; i < times.length; i++) sum += times[i]! - times[i - 1]!;
  const gaps = times.length - 1;
  const mean = sum / gaps / DAY;
  if (gaps < 2) return [mean, Number.NaN];
  let sq = 0;
  for (let i = 1; i < times.length; i++) sq += ((times[i]! - times[i - 1]!) / DAY - mean) ** 2;
  return [mean, Math.sqrt(sq / gaps)];
}

/** How many of the `periods` periods of `days` days before the cut-off had an order: regular buyers score high. */
function activePeriods(times: readonly number[], cutoff: number, days: number, periods: number): number {
  let mask = 0;
  for (const t of times) {
    const k = Math.floor((cutoff - t) / (days * DAY));
    if (k < periods) mask |= 1 << k;
  }
  let count = 0;
  for (; mask; mask &= mask - 1) count++;
  return count;
}

/** Σ 2^(−age ÷ half-life) over orders: frequency and recency in one number. */
function decayed(times: readonly number[], cutoff: number, halfLifeDays: number): number {
  let sum = 0;
  for (const t of times) sum += 2 ** (-(cutoff - t) / (halfLifeDays * DAY));
  return sum;
}

/**
 * The feature table of `users` at `cutoff`: only log rows strictly before the cut-off are read.
 *
 * @example
 * const users = populationAt(log, t1, 'any-activity');
 * const spec = fitFeatureSpec(log, t1, users);
 * const table = featureTable(log, t1, users, spec); // table.names[0] === 'recencyDays'
 */
export function featureTable(log: ActivityLog, cutoff: number, users: Int32Array, spec: FeatureSpec): FeatureTable {
  const n = users.length;
  const d = spec.names.length;
  const values = new Float64Array(n * d);
  const count = log.userIds.length;
  const { orders, items, categories, engagement, categorySpend } = log;
  const orderStart = userOffsets(orders.user, count);
  const spendStart = userOffsets(categorySpend.user, count);
  const itemStart = userOffsets(items.user, count);
  const categoryStart = userOffsets(categories.user, count);
  const engagementStart = userOffsets(engagement.user, count);
  const typeColumn = new Map(spec.engagementTypes.map((t, i) => [log.engagementTypes.indexOf(t), CORE_FEATURES.length + i * ENGAGEMENT_WINDOWS.length]));
  const shareOffset = CORE_FEATURES.length + spec.engagementTypes.length * ENGAGEMENT_WINDOWS.length;
  const shareColumn = new Map(spec.shareCategories.map((c, k) => [log.categoryNames.indexOf(c), shareOffset + k]));
  const attributeOffset = shareOffset + spec.shareCategories.length;
  const since = (days: number): number => cutoff - days * DAY;

  for (let r = 0; r < n; r++) {
    const u = users[r]!;
    const row = values.subarray(r * d, (r + 1) * d);
    const lo = orderStart[u]!;
    const hi = lowerBound(orders.ts, lo, orderStart[u + 1]!, cutoff);
    let firstEvent = Number.POSITIVE_INFINITY;
    let lastEvent = Number.NEGATIVE_INFINITY;
    let lastPurchase = Number.NEGATIVE_INFINITY;
    let revenue = 0;
    let returned = 0;
    let units = 0;
    let revenue90 = 0;
    let revenue365 = 0;
    let revenueLast30 = 0;
    let revenuePrev30 = 0;
    let lines30 = 0;
    let lines90 = 0;
    let linesTotal = 0;
    // Order keys and their first time: an order's lines share a key even when folded apart by time.
    const purchaseOrders = new Map<number, number>();
    const returnOrders = new Set<number>();
    for (let i = lo; i < hi; i++) {
      const ts = orders.ts[i]!;
      firstEvent = Math.min(firstEvent, ts);
      lastEvent = Math.max(lastEvent, ts);
      if (orders.kind[i] === 1) {
        returned += orders.amount[i]!;
        returnOrders.add(orders.order[i]!);
        continue;
      }
      lastPurchase = ts;
      const amount = orders.amount[i]!;
      revenue += amount;
      units += orders.units[i]!;
      linesTotal += orders.lines[i]!;
      if (ts >= since(365)) revenue365 += amount;
      if (ts >= since(90)) {
        revenue90 += amount;
        lines90 += orders.lines[i]!;
      }
      if (ts >= since(30)) {
        revenueLast30 += amount;
        lines30 += orders.lines[i]!;
      } else if (ts >= since(60)) revenuePrev30 += amount;
      if (!purchaseOrders.has(orders.order[i]!)) purchaseOrders.set(orders.order[i]!, ts);
    }
    const times = [...purchaseOrders.values()];
    const windowCount = (days: number): number => times.filter((t) => t >= since(days)).length;
    const ordersTotal = times.length;
    const orders30 = windowCount(30);
    const ordersPrev30 = windowCount(60) - orders30;

    const elo = engagementStart[u]!;
    const ehi = lowerBound(engagement.ts, elo, engagementStart[u + 1]!, cutoff);
    for (let i = elo; i < ehi; i++) {
      const ts = engagement.ts[i]!;
      firstEvent = Math.min(firstEvent, ts);
      lastEvent = Math.max(lastEvent, ts);
      const column = typeColumn.get(engagement.type[i]!);
      if (column === undefined) continue;
      ENGAGEMENT_WINDOWS.forEach((w, k) => {
        if (ts >= since(w)) row[column + k]! += engagement.count[i]!;
      });
    }

    const [gapMean, gapStd] = gapStats(times);
    const recency = ordersTotal > 0 ? (cutoff - lastPurchase) / DAY : Number.NaN;
    let c = 0;
    row[c++] = recency;
    row[c++] = (cutoff - lastEvent) / DAY;
    row[c++] = (cutoff - firstEvent) / DAY;
    const sinceFirst = ordersTotal > 0 ? (cutoff - times[0]!) / DAY : Number.NaN;
    row[c++] = sinceFirst;
    row[c++] = windowCount(7);
    row[c++] = orders30;
    row[c++] = windowCount(90);
    row[c++] = windowCount(365);
    row[c++] = ordersTotal;
    row[c++] = lines30;
    row[c++] = lines90;
    row[c++] = revenue90;
    row[c++] = revenue365;
    row[c++] = revenue;
    row[c++] = ordersTotal > 0 ? revenue / ordersTotal : 0;
    row[c++] = ordersTotal > 0 ? units / ordersTotal : 0;
    row[c++] = ordersTotal > 0 ? (30 * ordersTotal) / Math.max(30, sinceFirst) : 0;
    row[c++] = activePeriods(times, cutoff, 30, 12);
    row[c++] = activePeriods(times, cutoff, 7, 13);
    // Share of the 30-day periods since the first order that had one: an empirical monthly purchase rate.
    row[c++] = ordersTotal > 0 ? row[c - 2]! / Math.min(12, Math.ceil(sinceFirst / 30)) : 0;
    row[c++] = decayed(times, cutoff, 30);
    row[c++] = decayed(times, cutoff, 90);
    row[c++] = gapMean;
    row[c++] = gapStd;
    row[c++] = gapMean > 0 ? recency / gapMean : Number.NaN;
    row[c++] = orders30 - ordersPrev30;
    row[c++] = Math.log1p(Math.max(0, revenueLast30)) - Math.log1p(Math.max(0, revenuePrev30));
    const distinctItems = lowerBound(items.ts, itemStart[u]!, itemStart[u + 1]!, cutoff) - itemStart[u]!;
    row[c++] = distinctItems;
    row[c++] = lowerBound(categories.ts, categoryStart[u]!, categoryStart[u + 1]!, cutoff) - categoryStart[u]!;
    row[c++] = linesTotal > 0 ? distinctItems / linesTotal : Number.NaN;
    row[c++] = revenue > 0 ? returned / revenue : returned > 0 ? 1 : 0;
    row[c++] = returnOrders.size;

    const slo = spendStart[u]!;
    const shi = lowerBound(categorySpend.ts, slo, spendStart[u + 1]!, cutoff);
    let categorised = 0;
    for (let i = slo; i < shi; i++) categorised += categorySpend.amount[i]!;
    if (categorised > 0) {
      for (let i = slo; i < shi; i++) {
        const column = shareColumn.get(categorySpend.category[i]!);
        if (column !== undefined) row[column]! += categorySpend.amount[i]! / categorised;
      }
    }

    const attrs = log.attributes[u] ?? {};
    spec.attributeColumns.forEach((col, k) => {
      const value = Object.prototype.hasOwnProperty.call(attrs, col.key) ? attrs[col.key] : undefined;
      if (col.value !== undefined) row[attributeOffset + k] = value === col.value ? 1 : 0;
      else row[attributeOffset + k] = typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'boolean' ? Number(value) : Number.NaN;
    });
  }
  return { cutoff, names: spec.names, userIds: Array.from(users, (u) => log.userIds[u]!), userIndex: users, values, n, d };
}
