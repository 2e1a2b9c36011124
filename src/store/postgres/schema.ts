// Ids use COLLATE "C" so `ORDER BY id` and the `id > after` keyset pages sort by bytes, as SQLite's
// BINARY collation does, whatever the database's locale; it also keeps the btree comparisons cheap.

/** The PostgreSQL schema: same tables and columns as SQLite's. Times are BIGINT epoch milliseconds; JSON columns are JSONB. */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT COLLATE "C" PRIMARY KEY,
  attributes JSONB,
  created_at BIGINT
);
CREATE TABLE IF NOT EXISTS items (
  id TEXT COLLATE "C" PRIMARY KEY,
  title TEXT,
  description TEXT,
  categories JSONB,
  brand TEXT,
  price DOUBLE PRECISION,
  currency TEXT,
  stock DOUBLE PRECISION,
  attributes JSONB,
  created_at BIGINT,
  hidden BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE IF NOT EXISTS events (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  user_id TEXT COLLATE "C",
  session_id TEXT COLLATE "C",
  item_id TEXT COLLATE "C",
  type TEXT NOT NULL,
  value DOUBLE PRECISION,
  quantity DOUBLE PRECISION,
  price DOUBLE PRECISION,
  query TEXT,
  order_id TEXT,
  rec_id TEXT,
  ts BIGINT NOT NULL,
  context JSONB
);
CREATE INDEX IF NOT EXISTS events_user ON events (user_id, ts) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_session ON events (session_id, ts) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_item ON events (item_id, ts) WHERE item_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_ts ON events (ts, seq);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT COLLATE "C" PRIMARY KEY,
  user_id TEXT COLLATE "C",
  status TEXT NOT NULL,
  lines JSONB NOT NULL,
  currency TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user ON orders (user_id) WHERE user_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/**
 * Bumped when the schema changes incompatibly. Kept as the comment of the events table rather than
 * a meta row, so it never shows up among the application's own meta keys.
 */
export const POSTGRES_SCHEMA_VERSION = 1;

/** The comment on the events table that records {@link POSTGRES_SCHEMA_VERSION}. */
export const schemaVersionComment = (version: number): string => `magpie schema ${version}`;
