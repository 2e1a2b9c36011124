import { MagpieError } from '../core/errors.js';
import type { PostgresStore } from '../store/postgres/index.js';
import type { SqliteStore } from '../store/sqlite/index.js';
import type { Store } from '../store/store.js';
import type { ResolvedOptions } from './options.js';
import type { Granularity } from './periods.js';

// The two SQL dialects the analyses run on, kept to the few expressions where they differ (period
// labels, JSON access). Queries are written once with `?` placeholders; PostgreSQL gets `$n`.

/** A SQL backend the analyses can run on. */
export type Dialect = 'sqlite' | 'postgres';

/** Runs read-only SQL on a store's own connection. */
export interface SqlRunner {
  readonly dialect: Dialect;
  /** Rows as objects keyed by column name. Numbers may come back as strings on PostgreSQL (SUM, AVG): wrap in `Number()`. */
  all(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Rows as arrays in column order: cheaper than objects when there are hundreds of thousands. */
  arrays(sql: string, params?: readonly unknown[]): Promise<unknown[][]>;
}

/** `?` → `$1`, `$2`, … in order. The analyses' SQL has no `?` inside string literals, so a plain scan is enough. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A runner on the store's connection; analytics need a SQL backend, so any other store is refused. */
export function sqlRunner(store: Store): SqlRunner {
  if (store.kind === 'sqlite') {
    const db = (store as SqliteStore).db;
    return {
      dialect: 'sqlite',
      all: async (sql, params = []) => db.prepare(sql).all(...params) as Record<string, unknown>[],
      arrays: async (sql, params = []) => db.prepare(sql).raw(true).all(...params) as unknown[][],
    };
  }
  if (store.kind === 'postgres') {
    const pool = (store as PostgresStore).pool;
    return {
      dialect: 'postgres',
      all: async (sql, params = []) => (await pool.query({ text: numberedPlaceholders(sql), values: [...params] })).rows as Record<string, unknown>[],
      arrays: async (sql, params = []) => (await pool.query({ text: numberedPlaceholders(sql), values: [...params], rowMode: 'array' })).rows as unknown[][],
    };
  }
  throw new MagpieError('unsupported', `analytics run on SQLite or PostgreSQL stores, not "${store.kind}"`, { hint: 'open the store with a sqlite: or postgres:// URL' });
}

const PG_FORMAT: Record<Granularity, [unit: string, format: string]> = {
  day: ['day', 'YYYY-MM-DD'],
  week: ['week', 'YYYY-MM-DD'],
  month: ['month', 'YYYY-MM'],
};

/**
 * SQL for the label of the UTC period containing the epoch-ms column `ts`: `2011-03-07` (day),
 * the Monday `2011-03-07` (ISO week), `2011-03` (month).
 */
export function periodSql(dialect: Dialect, by: Granularity, ts: string): string {
  if (dialect === 'sqlite') {
    // Integer division keeps whole seconds; SQLite's date functions take seconds with 'unixepoch'.
    if (by === 'day') return `strftime('%Y-%m-%d', ${ts} / 1000, 'unixepoch')`;
    if (by === 'month') return `strftime('%Y-%m', ${ts} / 1000, 'unixepoch')`;
    // 'weekday 0' moves forward to the next Sunday (or stays on one); six days back is that week's Monday.
    return `date(${ts} / 1000, 'unixepoch', 'weekday 0', '-6 days')`;
  }
  const [unit, format] = PG_FORMAT[by];
  // AT TIME ZONE 'UTC' drops the session's time zone, so periods are UTC whatever the server's setting.
  return `to_char(date_trunc('${unit}', to_timestamp(${ts} / 1000.0) AT TIME ZONE 'UTC'), '${format}')`;
}

/** SQL for the first entry of an items row's `categories` JSON array (NULL when empty). */
export function firstCategorySql(dialect: Dialect, column: string): string {
  return dialect === 'sqlite' ? `json_extract(${column}, '$[0]')` : `(${column} ->> 0)`;
}

/** A WHERE fragment and its parameters, in textual order. */
export interface Clause {
  sql: string;
  params: unknown[];
}

/**
 * The filter shared by every analysis: the time range on `ts` and, when a segment is given, the
 * users whose attribute matches (which also leaves anonymous events out). `alias` prefixes columns.
 */
export function scopeClause(dialect: Dialect, options: Pick<ResolvedOptions, 'from' | 'to' | 'segment'>, alias = ''): Clause {
  const col = (name: string): string => (alias ? `${alias}.${name}` : name);
  const parts: string[] = [];
  const params: unknown[] = [];
  if (options.from !== null) {
    parts.push(`${col('ts')} >= ?`);
    params.push(options.from);
  }
  if (options.to !== null) {
    parts.push(`${col('ts')} < ?`);
    params.push(options.to);
  }
  if (options.segment) {
    const match =
      dialect === 'sqlite'
        ? `CAST(json_extract(attributes, ?) AS TEXT) = ?`
        : // Cast the key: jsonb ->> has text and integer forms, and an untyped parameter matches both.
          `attributes ->> (?::text) = ?`;
    parts.push(`${col('user_id')} IN (SELECT id FROM users WHERE ${match})`);
    params.push(dialect === 'sqlite' ? `$."${options.segment.attribute}"` : options.segment.attribute, options.segment.value);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params };
}

/** A number from a SQL result (PostgreSQL returns NUMERIC aggregates as strings); NULL stays null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Like {@link num}, with 0 for NULL (a SUM over no rows). */
export const num0 = (value: unknown): number => num(value) ?? 0;
