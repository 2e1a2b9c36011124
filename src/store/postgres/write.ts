import type pg from 'pg';
import type { Order, User } from '../../core/types.js';
import { EVENT_COLUMNS, ITEM_COLUMNS, eventValues, itemValues, jsonOrNull } from '../rows.js';
import type { WriteBatch, WriteResult } from '../store.js';

// Every table is written with one statement whose parameters are one array per column, unnested
// server-side. The statement has a dozen parameters however many rows it carries, so batches are
// not bound by the protocol's 65,535-parameter limit, and the server plans it once per shape.

const EVENT_TYPES = ['text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'float8', 'text', 'text', 'text', 'int8', 'jsonb'] as const;
const ITEM_TYPES = ['text', 'text', 'text', 'jsonb', 'text', 'float8', 'text', 'float8', 'jsonb', 'int8', 'bool'] as const;
const USER_COLUMNS = ['id', 'attributes', 'created_at'] as const;
const USER_TYPES = ['text', 'jsonb', 'int8'] as const;
const ORDER_COLUMNS = ['id', 'user_id', 'status', 'lines', 'currency', 'created_at', 'updated_at'] as const;
const ORDER_TYPES = ['text', 'text', 'text', 'jsonb', 'text', 'int8', 'int8'] as const;

/** `INSERT INTO table (columns) SELECT * FROM unnest($1::t1[], …)` and its column arrays. */
function unnestInsert(table: string, columns: readonly string[], types: readonly string[], rows: readonly unknown[][]): { text: string; values: unknown[][] } {
  const values = columns.map((_, column) => rows.map((row) => row[column]));
  const args = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  return { text: `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${args})`, values };
}

/**
 * One row per id, in first-seen order. ON CONFLICT DO UPDATE refuses to touch a row twice in one
 * statement, so repeats within a batch are folded here the way sequential upserts would fold them.
 */
function foldById<T extends { id: string }>(rows: readonly T[], fold: (earlier: T, later: T) => T = (_, later) => later): T[] {
  const byId = new Map<string, T>();
  for (const row of rows) {
    const earlier = byId.get(row.id);
    byId.set(row.id, earlier ? fold(earlier, row) : row);
  }
  return [...byId.values()];
}

// A user's created_at is set once and never overwritten, as in SQLite's upsert.
const foldUsers = (earlier: User, later: User): User => ({ ...later, createdAt: earlier.createdAt ?? later.createdAt });
// An order keeps its first created_at; everything else follows the latest state.
const foldOrders = (earlier: Order, later: Order): Order => ({ ...later, createdAt: earlier.createdAt });

/**
 * Writes a batch with the given client, which must already be inside a transaction.
 * Upserted rows are counted once per row sent (as SQLite counts its per-row upserts); events
 * count only those inserted, the rest being duplicates of stored ids.
 */
export async function writeBatch(client: pg.PoolClient, batch: WriteBatch): Promise<WriteResult> {
  const result: WriteResult = { users: 0, items: 0, events: 0, duplicateEvents: 0, orders: 0 };
  if (batch.users?.length) {
    const rows = foldById(batch.users, foldUsers).map((u) => [u.id, jsonOrNull(u.attributes), u.createdAt]);
    const { text, values } = unnestInsert('users', USER_COLUMNS, USER_TYPES, rows);
    await client.query(
      `${text} ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, created_at = COALESCE(users.created_at, excluded.created_at)`,
      values,
    );
    result.users = batch.users.length;
  }
  if (batch.items?.length) {
    const rows = foldById(batch.items).map(itemValues);
    const { text, values } = unnestInsert('items', ITEM_COLUMNS, ITEM_TYPES, rows);
    const updates = ITEM_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
    await client.query(`${text} ON CONFLICT (id) DO UPDATE SET ${updates}`, values);
    result.items = batch.items.length;
  }
  if (batch.events?.length) {
    // DO NOTHING, unlike DO UPDATE, copes with an id repeated within the statement: the repeat is skipped.
    const { text, values } = unnestInsert('events', EVENT_COLUMNS, EVENT_TYPES, batch.events.map(eventValues));
    const inserted = await client.query(`${text} ON CONFLICT (id) DO NOTHING`, values);
    result.events = inserted.rowCount ?? 0;
    result.duplicateEvents = batch.events.length - result.events;
  }
  if (batch.orders?.length) {
    const rows = foldById(batch.orders, foldOrders).map((o) => [o.id, o.userId, o.status, JSON.stringify(o.lines), o.currency, o.createdAt, o.updatedAt]);
    const { text, values } = unnestInsert('orders', ORDER_COLUMNS, ORDER_TYPES, rows);
    await client.query(
      `${text} ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, lines = excluded.lines,
         currency = excluded.currency, updated_at = excluded.updated_at`,
      values,
    );
    result.orders = batch.orders.length;
  }
  return result;
}
