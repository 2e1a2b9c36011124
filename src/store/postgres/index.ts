import pg from 'pg';
import { MagpieError } from '../../core/errors.js';
import type { Event, Item, Order, User } from '../../core/types.js';
import { DEFAULT_EVENT_LIMIT, eventFromRow, itemFromRow, orderFromRow, userFromRow, type EventRow, type ItemRow, type OrderRow, type UserRow } from '../rows.js';
import type { DeletedUser, EventQuery, Store, StoreStats, WriteBatch, WriteResult } from '../store.js';
import { checkout, createPool, parsePostgresUrl, type PostgresTarget } from './connection.js';
import { POSTGRES_SCHEMA, POSTGRES_SCHEMA_VERSION, schemaVersionComment } from './schema.js';
import { writeBatch } from './write.js';

export { dropSchema, parsePostgresUrl, type PostgresTarget } from './connection.js';

/** Creates the tables under an advisory lock, so two processes opening one store at once do not race on the catalog. */
async function migrate(client: pg.PoolClient, target: PostgresTarget): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`magpie:schema:${target.schema ?? ''}`]);
    if (target.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(target.schema)}`);
    const found = await client.query<{ comment: string | null }>(`SELECT obj_description(to_regclass('events'), 'pg_class') AS comment`);
    const version = Number(/^magpie schema (\d+)$/.exec(found.rows[0]?.comment ?? '')?.[1] ?? 0);
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new MagpieError('unsupported', `the store ${target.label} was written by a newer Magpie (schema ${version}, this one knows ${POSTGRES_SCHEMA_VERSION})`, {
        hint: 'upgrade Magpie, or point --db at another database or ?schema=',
      });
    }
    await client.query(POSTGRES_SCHEMA);
    await client.query(`COMMENT ON TABLE events IS ${pg.escapeLiteral(schemaVersionComment(POSTGRES_SCHEMA_VERSION))}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The server store: PostgreSQL through a small connection pool. A `?schema=` URL parameter keeps
 * each tenant (or test run) in its own schema of one database.
 *
 * @example
 * const store = await PostgresStore.open('postgres://magpie@localhost:5432/shop?schema=tenant_a');
 * await store.write({ events: [...] });
 * await store.close();
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly url: string;
  /** The underlying pool, for benchmarks and analytics that run their own SQL. */
  readonly pool: pg.Pool;
  private readonly target: PostgresTarget;
  private closed = false;

  private constructor(target: PostgresTarget, pool: pg.Pool) {
    this.url = target.safeUrl;
    this.target = target;
    this.pool = pool;
  }

  /** Connects to the database named by `url` and creates the schema and tables when missing. */
  static async open(url: string): Promise<PostgresStore> {
    const target = parsePostgresUrl(url);
    const pool = createPool(target);
    try {
      const client = await checkout(pool, target);
      try {
        await migrate(client, target);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return new PostgresStore(target, pool);
  }

  private async connect(): Promise<pg.PoolClient> {
    // pg's own message for a used-up pool reads like a connection failure; say what really happened.
    if (this.closed) throw new MagpieError('internal', `the PostgreSQL store ${this.target.label} is closed`, { hint: 'open the store again' });
    return checkout(this.pool, this.target);
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    const client = await this.connect();
    try {
      return await client.query<R>(text, values);
    } finally {
      client.release();
    }
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    // A connection whose ROLLBACK failed is in an unknown state; handing it back to the pool would poison later queries.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async write(batch: WriteBatch): Promise<WriteResult> {
    if (!batch.users?.length && !batch.items?.length && !batch.events?.length && !batch.orders?.length) {
      return { users: 0, items: 0, events: 0, duplicateEvents: 0, orders: 0 };
    }
    return this.transaction((client) => writeBatch(client, batch));
  }

  async deleteUser(id: string): Promise<DeletedUser> {
    return this.transaction(async (client): Promise<DeletedUser> => {
      // Events of the user's sessions go too: a session id seen with this user identifies them.
      const sessions = await client.query(`DELETE FROM events WHERE session_id IN (SELECT DISTINCT session_id FROM events WHERE user_id = $1 AND session_id IS NOT NULL)`, [id]);
      const events = await client.query(`DELETE FROM events WHERE user_id = $1`, [id]);
      const orders = await client.query(`DELETE FROM orders WHERE user_id = $1`, [id]);
      const users = await client.query(`DELETE FROM users WHERE id = $1`, [id]);
      return { users: users.rowCount ?? 0, events: (events.rowCount ?? 0) + (sessions.rowCount ?? 0), orders: orders.rowCount ?? 0 };
    });
  }

  async deleteItem(id: string): Promise<boolean> {
    return ((await this.query(`DELETE FROM items WHERE id = $1`, [id])).rowCount ?? 0) > 0;
  }

  async getUser(id: string): Promise<User | null> {
    const row = (await this.query<UserRow>(`SELECT * FROM users WHERE id = $1`, [id])).rows[0];
    return row ? userFromRow(row) : null;
  }

  async getItem(id: string): Promise<Item | null> {
    const row = (await this.query<ItemRow>(`SELECT * FROM items WHERE id = $1`, [id])).rows[0];
    return row ? itemFromRow(row) : null;
  }

  async getItems(ids: readonly string[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    if (ids.length === 0) return out;
    // One array parameter, so no chunking is needed however many ids are asked for.
    const { rows } = await this.query<ItemRow>(`SELECT * FROM items WHERE id = ANY($1::text[])`, [[...ids]]);
    for (const row of rows) out.set(row.id, itemFromRow(row));
    return out;
  }

  async listItems(options: { after?: string; limit?: number } = {}): Promise<Item[]> {
    const { rows } = await this.query<ItemRow>(`SELECT * FROM items WHERE id > $1 ORDER BY id LIMIT $2`, [options.after ?? '', options.limit ?? 1000]);
    return rows.map(itemFromRow);
  }

  async listUsers(options: { after?: string; limit?: number } = {}): Promise<User[]> {
    const { rows } = await this.query<UserRow>(`SELECT * FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [options.after ?? '', options.limit ?? 1000]);
    return rows.map(userFromRow);
  }

  async getOrder(id: string): Promise<Order | null> {
    const row = (await this.query<OrderRow>(`SELECT * FROM orders WHERE id = $1`, [id])).rows[0];
    return row ? orderFromRow(row) : null;
  }

  async ordersByUser(userId: string): Promise<Order[]> {
    const { rows } = await this.query<OrderRow>(`SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
    return rows.map(orderFromRow);
  }

  private async queryEvents(column: string | null, key: string | null, query: EventQuery = {}): Promise<Event[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (column) where.push(`${column} = ${param(key)}`);
    if (query.from !== undefined) where.push(`ts >= ${param(query.from)}`);
    if (query.to !== undefined) where.push(`ts < ${param(query.to)}`);
    if (query.types?.length) where.push(`type = ANY(${param(query.types)}::text[])`);
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts ${direction}, seq ${direction} LIMIT ${param(query.limit ?? DEFAULT_EVENT_LIMIT)}`;
    return (await this.query<EventRow>(sql, params)).rows.map(eventFromRow);
  }

  async eventsByUser(userId: string, query?: EventQuery): Promise<Event[]> {
    return this.queryEvents('user_id', userId, query);
  }

  async eventsBySession(sessionId: string, query?: EventQuery): Promise<Event[]> {
    return this.queryEvents('session_id', sessionId, query);
  }

  async eventsByItem(itemId: string, query?: EventQuery): Promise<Event[]> {
    return this.queryEvents('item_id', itemId, query);
  }

  async events(query?: EventQuery): Promise<Event[]> {
    return this.queryEvents(null, null, query);
  }

  async *iterateEvents(query: Omit<EventQuery, 'order' | 'limit'> & { batchSize?: number } = {}): AsyncIterable<Event> {
    const batchSize = query.batchSize ?? 10_000;
    // Keyset pages on (ts, seq): each page is an index range scan on events_ts, and no connection
    // or cursor is held between pages, so a slow consumer never pins a pool slot.
    const params: unknown[] = [0, 0];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where = ['(ts, seq) > ($1, $2)'];
    if (query.to !== undefined) where.push(`ts < ${param(query.to)}`);
    if (query.types?.length) where.push(`type = ANY(${param(query.types)}::text[])`);
    const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY ts, seq LIMIT ${param(batchSize)}`;
    // Starting just before `from` with the largest seq makes the first page begin exactly at `from`.
    let ts = (query.from ?? Number.MIN_SAFE_INTEGER) - 1;
    let seq = Number.MAX_SAFE_INTEGER;
    for (;;) {
      params[0] = ts;
      params[1] = seq;
      const { rows } = await this.query<EventRow & { seq: number }>(sql, params);
      for (const row of rows) yield eventFromRow(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      ts = Number(last.ts);
      seq = Number(last.seq);
    }
  }

  async stats(): Promise<StoreStats> {
    // One statement, so every number comes from the same snapshot.
    const { rows } = await this.query<{
      users: number;
      items: number;
      orders: number;
      anonymous_sessions: number;
      by_type: Record<string, number> | null;
      first: number | null;
      last: number | null;
    }>(`SELECT
      (SELECT COUNT(*) FROM users) AS users,
      (SELECT COUNT(*) FROM items) AS items,
      (SELECT COUNT(*) FROM orders) AS orders,
      (SELECT COUNT(DISTINCT session_id) FROM events WHERE user_id IS NULL AND session_id IS NOT NULL) AS anonymous_sessions,
      (SELECT json_object_agg(type, n ORDER BY type) FROM (SELECT type, COUNT(*) AS n FROM events GROUP BY type) AS t) AS by_type,
      (SELECT MIN(ts) FROM events) AS first,
      (SELECT MAX(ts) FROM events) AS last`);
    const row = rows[0];
    if (!row) throw new MagpieError('internal', 'PostgreSQL returned no row for the store statistics');
    const byType = row.by_type ?? {};
    return {
      users: row.users,
      items: row.items,
      orders: row.orders,
      events: Object.values(byType).reduce((sum, n) => sum + n, 0),
      anonymousSessions: row.anonymous_sessions,
      eventsByType: byType,
      firstEventAt: row.first,
      lastEventAt: row.last,
    };
  }

  async getMeta(key: string): Promise<string | null> {
    const row = (await this.query<{ value: string }>(`SELECT value FROM meta WHERE key = $1`, [key])).rows[0];
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.query(`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  async close(): Promise<void> {
    // pg throws when a pool is ended twice; closing a closed store is a no-op, as in SQLite.
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
