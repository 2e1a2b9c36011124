import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MagpieError } from '../../core/errors.js';
import type { Event, Item, Order, User } from '../../core/types.js';
import {
  DEFAULT_EVENT_LIMIT,
  EVENT_COLUMNS,
  ITEM_COLUMNS,
  eventFromValues,
  eventValues,
  itemFromRow,
  itemValues,
  jsonOrNull,
  orderFromRow,
  userFromRow,
  type ItemRow,
  type OrderRow,
  type UserRow,
} from '../rows.js';
import type { DeletedUser, EventQuery, Store, StoreStats, WriteBatch, WriteResult } from '../store.js';
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from './schema.js';

/** Path of the database file named by a `sqlite:` URL (`:memory:` for an in-memory store). */
export function sqlitePath(url: string): string {
  if (url === ':memory:' || url === 'sqlite::memory:') return ':memory:';
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path === '') throw new MagpieError('invalid_input', `the store URL "${url}" names no file`, { hint: 'use sqlite:./data/magpie.db' });
  return path;
}

// seq first, then the columns in the order eventFromValues reads them.
const SELECT_EVENT = `seq, ${EVENT_COLUMNS.join(', ')}`;

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * The embedded store: one SQLite file in WAL mode, so readers never block the writer and a
 * process killed mid-write leaves the last committed transaction intact.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly url: string;
  /** The underlying connection, for benchmarks and analytics that run their own SQL. */
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(url: string, db: Database.Database) {
    this.url = url;
    this.db = db;
  }

  /** Opens (creating when missing) the database file named by `url` and brings its schema up to date. */
  static open(url: string): SqliteStore {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      db.pragma('cache_size = -65536');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SQLITE_SCHEMA_VERSION) {
        throw new MagpieError('unsupported', `the store ${path} was written by a newer Magpie (schema ${version}, this one knows ${SQLITE_SCHEMA_VERSION})`, {
          hint: 'upgrade Magpie, or point --db at another file',
        });
      }
      db.exec(SQLITE_SCHEMA);
      db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
    } catch (error) {
      if (error instanceof MagpieError) throw error;
      throw new MagpieError('corrupt', `cannot open the SQLite store ${path}: ${(error as Error).message}`, {
        hint: 'check the path and its permissions; if the file is damaged, restore a backup or import into a new file',
        cause: error,
      });
    }
    return new SqliteStore(url, db);
  }

  private prepareRaw(sql: string): Database.Statement {
    const key = `raw:${sql}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.statements.set(key, statement);
    }
    return statement;
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private readonly writeTransaction = (batch: WriteBatch): WriteResult => {
    const result: WriteResult = { users: 0, items: 0, events: 0, duplicateEvents: 0, orders: 0 };
    this.db.transaction(() => {
      if (batch.users?.length) {
        const upsert = this.prepare(
          `INSERT INTO users (id, attributes, created_at) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET attributes = excluded.attributes, created_at = COALESCE(users.created_at, excluded.created_at)`,
        );
        for (const u of batch.users) result.users += upsert.run(u.id, jsonOrNull(u.attributes), u.createdAt).changes;
      }
      if (batch.items?.length) {
        const updates = ITEM_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(', ');
        const upsert = this.prepare(
          `INSERT INTO items (${ITEM_COLUMNS.join(', ')}) VALUES (${placeholders(ITEM_COLUMNS.length)}) ON CONFLICT (id) DO UPDATE SET ${updates}`,
        );
        for (const i of batch.items) {
          const values = itemValues(i);
          values[10] = i.hidden ? 1 : 0;
          result.items += upsert.run(...values).changes;
        }
      }
      if (batch.events?.length) {
        const insert = this.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders(EVENT_COLUMNS.length)}) ON CONFLICT (id) DO NOTHING`);
        for (const e of batch.events) result.events += insert.run(...eventValues(e)).changes;
        result.duplicateEvents = batch.events.length - result.events;
      }
      if (batch.orders?.length) {
        const upsert = this.prepare(
          `INSERT INTO orders (id, user_id, status, lines, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, status = excluded.status, lines = excluded.lines,
             currency = excluded.currency, updated_at = excluded.updated_at`,
        );
        for (const o of batch.orders) {
          result.orders += upsert.run(o.id, o.userId, o.status, JSON.stringify(o.lines), o.currency, o.createdAt, o.updatedAt).changes;
        }
      }
    })();
    return result;
  };

  async write(batch: WriteBatch): Promise<WriteResult> {
    return this.writeTransaction(batch);
  }

  async deleteUser(id: string): Promise<DeletedUser> {
    return this.db.transaction((): DeletedUser => {
      // Events of the user's sessions go too: a session id seen with this user identifies them.
      const sessions = this.prepare(`DELETE FROM events WHERE session_id IN (SELECT DISTINCT session_id FROM events WHERE user_id = ? AND session_id IS NOT NULL)`).run(id).changes;
      const events = this.prepare(`DELETE FROM events WHERE user_id = ?`).run(id).changes;
      const orders = this.prepare(`DELETE FROM orders WHERE user_id = ?`).run(id).changes;
      const users = this.prepare(`DELETE FROM users WHERE id = ?`).run(id).changes;
      return { users, events: events + sessions, orders };
    })();
  }

  async deleteItem(id: string): Promise<boolean> {
    return this.prepare(`DELETE FROM items WHERE id = ?`).run(id).changes > 0;
  }

  async getUser(id: string): Promise<User | null> {
    const row = this.prepare(`SELECT * FROM users WHERE id = ?`).get(id) as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  async getItem(id: string): Promise<Item | null> {
    const row = this.prepare(`SELECT * FROM items WHERE id = ?`).get(id) as ItemRow | undefined;
    return row ? itemFromRow(row) : null;
  }

  async getItems(ids: readonly string[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    // SQLite allows 32k variables per statement; chunk well below it.
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const rows = this.db.prepare(`SELECT * FROM items WHERE id IN (${placeholders(chunk.length)})`).all(...chunk) as ItemRow[];
      for (const row of rows) out.set(row.id, itemFromRow(row));
    }
    return out;
  }

  async listItems(options: { after?: string; limit?: number } = {}): Promise<Item[]> {
    const rows = this.prepare(`SELECT * FROM items WHERE id > ? ORDER BY id LIMIT ?`).all(options.after ?? '', options.limit ?? 1000) as ItemRow[];
    return rows.map(itemFromRow);
  }

  async listUsers(options: { after?: string; limit?: number } = {}): Promise<User[]> {
    const rows = this.prepare(`SELECT * FROM users WHERE id > ? ORDER BY id LIMIT ?`).all(options.after ?? '', options.limit ?? 1000) as UserRow[];
    return rows.map(userFromRow);
  }

  async getOrder(id: string): Promise<Order | null> {
    const row = this.prepare(`SELECT * FROM orders WHERE id = ?`).get(id) as OrderRow | undefined;
    return row ? orderFromRow(row) : null;
  }

  async ordersByUser(userId: string): Promise<Order[]> {
    const rows = this.prepare(`SELECT * FROM orders WHERE user_id = ? ORDER BY created_at, id`).all(userId) as OrderRow[];
    return rows.map(orderFromRow);
  }

  private queryEvents(column: string | null, key: string | null, query: EventQuery = {}): Event[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (column) {
      where.push(`${column} = ?`);
      params.push(key);
    }
    if (query.from !== undefined) {
      where.push('ts >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('ts < ?');
      params.push(query.to);
    }
    if (query.types?.length) {
      where.push(`type IN (${placeholders(query.types.length)})`);
      params.push(...query.types);
    }
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const sql = `SELECT ${SELECT_EVENT} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts ${direction}, seq ${direction} LIMIT ?`;
    params.push(query.limit ?? DEFAULT_EVENT_LIMIT);
    return (this.prepareRaw(sql).all(...params) as unknown[][]).map(eventFromValues);
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
    // A row-value comparison lets SQLite walk the (ts, rowid) index; an OR of two ranges would scan.
    const where: string[] = ['(ts, seq) > (?, ?)'];
    const fixed: unknown[] = [];
    if (query.to !== undefined) {
      where.push('ts < ?');
      fixed.push(query.to);
    }
    if (query.types?.length) {
      where.push(`type IN (${placeholders(query.types.length)})`);
      fixed.push(...query.types);
    }
    const statement = this.prepareRaw(`SELECT ${SELECT_EVENT} FROM events WHERE ${where.join(' AND ')} ORDER BY ts, seq LIMIT ?`);
    let ts = (query.from ?? Number.MIN_SAFE_INTEGER) - 1;
    let seq = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = statement.all(ts, seq, ...fixed, batchSize) as unknown[][];
      for (const row of rows) yield eventFromValues(row);
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      ts = Number(last[12]);
      seq = last[0] as number;
    }
  }

  async stats(): Promise<StoreStats> {
    const count = (sql: string): number => (this.prepare(sql).get() as { n: number }).n;
    const byType = this.prepare(`SELECT type, COUNT(*) AS n FROM events GROUP BY type ORDER BY type`).all() as { type: string; n: number }[];
    const range = this.prepare(`SELECT MIN(ts) AS first, MAX(ts) AS last FROM events`).get() as { first: number | null; last: number | null };
    return {
      users: count(`SELECT COUNT(*) AS n FROM users`),
      items: count(`SELECT COUNT(*) AS n FROM items`),
      orders: count(`SELECT COUNT(*) AS n FROM orders`),
      events: byType.reduce((sum, r) => sum + r.n, 0),
      anonymousSessions: count(`SELECT COUNT(DISTINCT session_id) AS n FROM events WHERE user_id IS NULL AND session_id IS NOT NULL`),
      eventsByType: Object.fromEntries(byType.map((r) => [r.type, r.n])),
      firstEventAt: range.first,
      lastEventAt: range.last,
    };
  }

  async getMeta(key: string): Promise<string | null> {
    const row = this.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(key, value);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
