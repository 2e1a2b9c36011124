import type { Store } from '../../store/store.js';
import { orderKeySql } from '../orders.js';
import type { Segment } from '../options.js';
import { num0, scopeClause, sqlRunner, type Dialect } from '../sql.js';
import { BROWSING_TYPES } from '../user-states/states.js';

// What each known user did before a cut-off, and whether they bought in the window after it:
// the raw material of the engagement network's variables. Computed in SQL on the store's own
// connection; one row per user comes back.

/** A purchase counts as discounted when paid below this share of the item's catalogue price (1% slack for rounding). */
export const DISCOUNT_SHARE = 0.99;

/** One user's behaviour before the cut-off, and the outcome after it. */
export interface UserFeatures {
  userId: string;
  /** Epoch ms of the last event (impressions aside) before the cut-off. */
  lastActivity: number;
  /** Distinct orders before the cut-off. */
  orders: number;
  /** Purchase events (order lines) before the cut-off. */
  lines: number;
  /** Some purchase was paid below {@link DISCOUNT_SHARE} × the catalogue price. */
  discounted: boolean;
  /** A view, click, search or the like ({@link BROWSING_TYPES}) in the recent window before the cut-off. */
  browsedRecently: boolean;
  /** An add-to-cart in the recent window before the cut-off. */
  cartedRecently: boolean;
  /** The user's `country` attribute, when set. */
  country: string | null;
  /** The device most of the user's events name in `context.device` (ties: alphabetical), when any does. */
  device: string | null;
  /** A purchase in [cut-off, cut-off + horizon). */
  purchasedAfter: boolean;
}

/** The users' features, and whether any purchase could be compared with a catalogue price at all. */
export interface FeatureTable {
  users: UserFeatures[];
  comparablePrices: boolean;
}

/** What {@link userFeatures} reads. */
export interface FeatureWindow {
  /** Cut-off, epoch ms: behaviour strictly before, outcome from here. */
  asOf: number;
  /** Length of the outcome window, ms. */
  horizonMs: number;
  /** Length of the "recently" window before the cut-off, ms. */
  recentMs: number;
  /** Ignore behaviour before this time (epoch ms), or null. */
  from: number | null;
  segment: Segment | null;
}

function jsonField(dialect: Dialect, column: string, field: string): string {
  return dialect === 'sqlite'
    ? `CASE WHEN json_type(${column}, '$.${field}') IN ('text', 'integer', 'real') THEN CAST(json_extract(${column}, '$.${field}') AS TEXT) END`
    : `CASE WHEN jsonb_typeof(${column} -> '${field}') IN ('string', 'number') THEN ${column} ->> '${field}' END`;
}

/**
 * Features of every known user with activity (impressions aside) in [from, asOf), with the outcome.
 * A few statements: the orders and last activity per user (walking the (user_id, ts) index, no
 * join), the users whose purchases undercut the catalogue (the only join, of purchases to items),
 * browsing and carts in the recent window (a range of the ts index), the countries, the devices
 * from event context (only events that carry context are read), and the buyers of the outcome
 * window. Folding the join and the per-type flags into the first statement made it cost more
 * than all of these together.
 */
export async function userFeatures(store: Store, window: FeatureWindow): Promise<FeatureTable> {
  const sql = sqlRunner(store);
  const d = sql.dialect;
  const history = scopeClause(d, { from: window.from, to: window.asOf, segment: window.segment }, 'e');
  const rows = await sql.arrays(
    `SELECT e.user_id, MAX(e.ts), COUNT(DISTINCT CASE WHEN e.type = 'purchase' THEN ${orderKeySql(d, 'e')} END), SUM(CASE WHEN e.type = 'purchase' THEN 1 ELSE 0 END)
     FROM events e WHERE e.user_id IS NOT NULL AND e.type <> 'impression' AND ${history.sql} GROUP BY e.user_id`,
    history.params,
  );
  if (rows.length === 0) return { users: [], comparablePrices: false };

  const purchases = `e.type = 'purchase' AND e.user_id IS NOT NULL AND ${history.sql}`;
  const discounted = new Set(
    (await sql.arrays(`SELECT DISTINCT e.user_id FROM events e JOIN items i ON i.id = e.item_id WHERE ${purchases} AND e.price < i.price * ${DISCOUNT_SHARE}`, history.params)).map((r) =>
      String(r[0]),
    ),
  );
  const recentScope = scopeClause(d, { from: Math.max(window.from ?? Number.NEGATIVE_INFINITY, window.asOf - window.recentMs), to: window.asOf, segment: window.segment }, 'e');
  const types = [...BROWSING_TYPES, 'add_to_cart'];
  const recent = new Map<string, { browsed: boolean; carted: boolean }>();
  for (const [id, carted, browsed] of await sql.arrays(
    `SELECT e.user_id, MAX(CASE WHEN e.type = 'add_to_cart' THEN 1 ELSE 0 END), MAX(CASE WHEN e.type = 'add_to_cart' THEN 0 ELSE 1 END)
     FROM events e WHERE e.user_id IS NOT NULL AND e.type IN (${types.map(() => '?').join(', ')}) AND ${recentScope.sql} GROUP BY e.user_id`,
    [...types, ...recentScope.params],
  )) {
    recent.set(String(id), { carted: num0(carted) === 1, browsed: num0(browsed) === 1 });
  }
  const comparable =
    discounted.size > 0 ||
    (await sql.arrays(`SELECT 1 FROM events e JOIN items i ON i.id = e.item_id WHERE ${purchases} AND e.price IS NOT NULL AND i.price IS NOT NULL LIMIT 1`, history.params)).length > 0;

  const countries = new Map<string, string>();
  for (const [id, country] of await sql.arrays(`SELECT id, ${jsonField(d, 'attributes', 'country')} FROM users WHERE attributes IS NOT NULL`)) {
    if (country !== null && country !== undefined) countries.set(String(id), String(country));
  }

  const devices = new Map<string, { device: string; n: number }>();
  const deviceRows = await sql.arrays(
    `SELECT user_id, device, COUNT(*) FROM (SELECT e.user_id, ${jsonField(d, 'e.context', 'device')} AS device FROM events e
       WHERE e.user_id IS NOT NULL AND e.context IS NOT NULL AND e.type <> 'impression' AND ${history.sql}) AS c
     WHERE device IS NOT NULL GROUP BY user_id, device`,
    history.params,
  );
  for (const [id, device, count] of deviceRows) {
    const key = String(id);
    const n = num0(count);
    const best = devices.get(key);
    if (!best || n > best.n || (n === best.n && String(device) < best.device)) devices.set(key, { device: String(device), n });
  }

  const buyers = new Set(
    (
      await sql.arrays(`SELECT DISTINCT user_id FROM events WHERE type = 'purchase' AND user_id IS NOT NULL AND ts >= ? AND ts < ?`, [window.asOf, window.asOf + window.horizonMs])
    ).map((r) => String(r[0])),
  );

  const users = rows
    .map((r): UserFeatures => {
      const userId = String(r[0]);
      return {
        userId,
        lastActivity: num0(r[1]),
        orders: num0(r[2]),
        lines: num0(r[3]),
        discounted: discounted.has(userId),
        browsedRecently: recent.get(userId)?.browsed ?? false,
        cartedRecently: recent.get(userId)?.carted ?? false,
        country: countries.get(userId) ?? null,
        device: devices.get(userId)?.device ?? null,
        purchasedAfter: buyers.has(userId),
      };
    })
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return { users, comparablePrices: comparable };
}
