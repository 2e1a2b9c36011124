import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Event, Order, User } from '../../core/types.js';
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

/** Event batches at least this large go through COPY (cheaper to encode and to parse server-side). */
export const COPY_THRESHOLD = 2_000;

async function unnestEvents(client: pg.PoolClient, events: readonly Event[]): Promise<number> {
  // DO NOTHING, unlike DO UPDATE, copes with an id repeated within the statement: the repeat is skipped.
  const { text, values } = unnestInsert('events', EVENT_COLUMNS, EVENT_TYPES, events.map(eventValues));
  return (await client.query(`${text} ON CONFLICT (id) DO NOTHING`, values)).rowCount ?? 0;
}

// COPY's text format: tab-separated, \N for null, backslash escapes for the separators.
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/** COPY text for rows of column values, in chunks of 1,000 rows; `withOrdinal` prefixes each row's index. */
export function copyText(rows: readonly unknown[][], withOrdinal = false): Iterable<string> {
  return (function* () {
    for (let start = 0; start < rows.length; start += 1000) {
      let text = '';
      for (let i = start; i < Math.min(start + 1000, rows.length); i++) {
        text += `${withOrdinal ? `${i}\t` : ''}${rows[i]!.map(copyField).join('\t')}\n`;
      }
      yield text;
    }
  })();
}

/**
 * Upserts rows: small batches with one unnest INSERT; large ones — where array literals get
 * expensive to build and to parse, e.g. orders carrying their lines as JSON — by COPY into a
 * session-local staging table shaped like the target, then one INSERT … SELECT with the same
 * conflict clause. Rows must be unique by id (fold them first).
 */
async function upsertRows(client: pg.PoolClient, table: string, columns: readonly string[], types: readonly string[], rows: readonly unknown[][], onConflict: string): Promise<void> {
  if (rows.length < UPSERT_COPY_THRESHOLD) {
    const { text, values } = unnestInsert(table, columns, types, rows);
    await client.query(`${text} ${onConflict}`, values);
    return;
  }
  const staging = `magpie_${table}_in`;
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${table}) ON COMMIT DELETE ROWS`);
  await pipeline(Readable.from(copyText(rows)), client.query(copyFrom(`COPY ${staging} (${columns.join(', ')}) FROM STDIN`)));
  await client.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM ${staging} ${onConflict}`);
}

/** Upsert batches at least this large go through COPY and a staging table. */
export const UPSERT_COPY_THRESHOLD = 1_000;

/**
 * Large event batches go through COPY. The common case — ids not stored yet, as in a first
 * import — is copied straight into `events` after one indexed look-up drops the ids already there.
 * Should another writer store one of the ids in between, the unique index refuses the COPY; the
 * batch then goes through a staging table and INSERT … ON CONFLICT DO NOTHING instead.
 */
async function copyEvents(client: pg.PoolClient, events: readonly Event[]): Promise<number> {
  const columns = EVENT_COLUMNS.join(', ');
  const ids = events.map((e) => e.id);
  const stored = new Set((await client.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1::text[])', [ids])).rows.map((r) => r.id));
  const fresh: Event[] = [];
  for (const e of events) {
    if (stored.has(e.id)) continue;
    stored.add(e.id); // a repeat within the batch is skipped, as ON CONFLICT would skip it
    fresh.push(e);
  }
  if (fresh.length === 0) return 0;
  await client.query('SAVEPOINT magpie_copy');
  try {
    await pipeline(Readable.from(copyText(fresh.map(eventValues))), client.query(copyFrom(`COPY events (${columns}) FROM STDIN`)));
    await client.query('RELEASE SAVEPOINT magpie_copy');
    return fresh.length;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await client.query('ROLLBACK TO SAVEPOINT magpie_copy');
    return stagedCopy(client, fresh);
  }
}

// COPY into a session-local staging table, then one INSERT … SELECT that skips stored ids. The
// staging rows vanish at commit or rollback; `ord` keeps the batch order for events with equal times.
async function stagedCopy(client: pg.PoolClient, events: readonly Event[]): Promise<number> {
  const columns = EVENT_COLUMNS.join(', ');
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS magpie_events_in (ord int4, id text, user_id text, session_id text, item_id text, type text, value float8, quantity float8, price float8, query text, order_id text, rec_id text, ts int8, context jsonb) ON COMMIT DELETE ROWS`,
  );
  await pipeline(Readable.from(copyText(events.map(eventValues), true)), client.query(copyFrom(`COPY magpie_events_in (ord, ${columns}) FROM STDIN`)));
  const inserted = await client.query(`INSERT INTO events (${columns}) SELECT ${columns} FROM magpie_events_in ORDER BY ord ON CONFLICT (id) DO NOTHING`);
  return inserted.rowCount ?? 0;
}

/** Copies a batch through the staging table unconditionally; exported for the conflict-path test. */
export const copyEventsStaged = stagedCopy;

/**
 * Writes a batch with the given client, which must already be inside a transaction.
 * Upserted rows are counted once per row sent (as SQLite counts its per-row upserts); events
 * count only those inserted, the rest being duplicates of stored ids.
 */
export async function writeBatch(client: pg.PoolClient, batch: WriteBatch): Promise<WriteResult> {
  const result: WriteResult = { users: 0, items: 0, events: 0, duplicateEvents: 0, orders: 0 };
  if (batch.users?.length) {
    const rows = foldById(batch.users, foldUsers).map((u) => [u.id, jsonOrNull(u.attributes), u.createdAt]);
    await upsertRows(client, 'users', USER_COLUMNS, USER_TYPES, rows, 'ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, created_at = COALESCE(users.created_at, excluded.created_at)');
    result.users = batch.users.length;
  }
  if (batch.items?.length) {
    const updates = ITEM_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
    await upsertRows(client, 'items', ITEM_COLUMNS, ITEM_TYPES, foldById(batch.items).map(itemValues), `ON CONFLICT (id) DO UPDATE SET ${updates}`);
    result.items = batch.items.length;
  }
  if (batch.events?.length) {
    result.events = batch.events.length >= COPY_THRESHOLD ? await copyEvents(client, batch.events) : await unnestEvents(client, batch.events);
    result.duplicateEvents = batch.events.length - result.events;
  }
  if (batch.orders?.length) {
    const rows = foldById(batch.orders, foldOrders).map((o) => [o.id, o.userId, o.status, JSON.stringify(o.lines), o.currency, o.createdAt, o.updatedAt]);
    await upsertRows(
      client,
      'orders',
      ORDER_COLUMNS,
      ORDER_TYPES,
      rows,
      'ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, lines = excluded.lines, currency = excluded.currency, updated_at = excluded.updated_at',
    );
    result.orders = batch.orders.length;
  }
  return result;
}
