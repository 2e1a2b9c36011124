import pg from 'pg';
import { MagpieError } from '../../core/errors.js';

/** What a `postgres://` store URL says, split into what pg needs and what Magpie keeps for itself. */
export interface PostgresTarget {
  /** The URL handed to pg: the original minus Magpie's own `schema` parameter. */
  connectionString: string;
  /** The PostgreSQL schema the tables live in (`?schema=`), or null for the server's default search_path. */
  schema: string | null;
  /** The URL without its password, safe to print and to expose as `Store.url`. */
  safeUrl: string;
  /** `host:port/database`, for error messages. */
  label: string;
}

// Unquoted lower-case identifiers only: PostgreSQL folds unquoted names to lower case, so a
// mixed-case schema would be created under one name and searched under another.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Splits a `postgres://user:pass@host:port/db?schema=name` URL.
 *
 * @example
 * parsePostgresUrl('postgres://me:secret@db:5432/shop?schema=tenant_a').schema; // 'tenant_a'
 */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new MagpieError('invalid_input', `"${redact(url)}" is not a valid PostgreSQL URL`, {
      location: { field: 'db' },
      hint: 'use postgres://user@host:5432/database[?schema=name]',
      cause: error,
    });
  }
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new MagpieError('invalid_input', `"${schema}" is not a usable PostgreSQL schema name`, {
      location: { field: 'db' },
      hint: 'use lower-case letters, digits and underscores, starting with a letter or underscore (at most 63)',
    });
  }
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  const safe = new URL(url);
  safe.password = '';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username || 'postgres';
  const label = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${database}`;
  return { connectionString, schema, safeUrl: safe.toString(), label };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
}

// pg returns BIGINT as a string because it can exceed 2^53; Magpie's BIGINTs are epoch
// milliseconds, sequence numbers and counts, all far below that, so numbers are what callers want.
function magpieTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  return types;
}

/** A small pool whose connections see only the store's schema. */
export function createPool(target: PostgresTarget, max = 4): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max,
    types: magpieTypes(),
    connectionTimeoutMillis: 10_000,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  // A server restart kills idle connections; without a listener that error would crash the process,
  // and the pool replaces the connection on the next checkout anyway.
  pool.on('error', () => {});
  return pool;
}

function describeCause(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((e: unknown) => describeCause(e)).join('; ');
  }
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

/** The error to show when no connection could be made: where, why, and what to do about it. */
export function connectionError(target: PostgresTarget, error: unknown): MagpieError {
  const code = (error as { code?: string }).code;
  const hint =
    code === '3D000'
      ? `create the database (createdb ${target.label.split('/')[1] ?? ''}) or fix --db / MAGPIE_DB`
      : code === '28P01' || code === '28000'
        ? 'check the user and password in --db / MAGPIE_DB, and pg_hba.conf on the server'
        : 'start PostgreSQL or fix --db / MAGPIE_DB';
  return new MagpieError('unsupported', `cannot connect to PostgreSQL at ${target.label}: ${describeCause(error)}`, { hint, cause: error });
}

/** Checks a client out of the pool, turning any failure to connect into a {@link connectionError}. */
export async function checkout(pool: pg.Pool, target: PostgresTarget): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw connectionError(target, error);
  }
}

/**
 * Drops the schema named by the URL's `?schema=` and everything in it. For tests and benchmarks
 * that give each run its own schema; refuses URLs without one, so it can never empty `public`.
 *
 * @example
 * await dropSchema('postgres://postgres@127.0.0.1:5432/test?schema=magpie_test_1');
 */
export async function dropSchema(url: string): Promise<void> {
  const target = parsePostgresUrl(url);
  if (!target.schema) {
    throw new MagpieError('invalid_input', `dropSchema needs a URL with ?schema=<name>, got ${target.safeUrl}`, { hint: 'add ?schema=<name> to the URL' });
  }
  const client = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw connectionError(target, error);
  }
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(target.schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
