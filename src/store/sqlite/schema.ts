/** The SQLite schema. Times are INTEGER epoch milliseconds; JSON columns are TEXT. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  attributes TEXT,
  created_at INTEGER
);
CREATE TABLE IF NOT EXISTS items (
  id TEXT PRIMARY KEY,
  title TEXT,
  description TEXT,
  categories TEXT,
  brand TEXT,
  price REAL,
  currency TEXT,
  stock REAL,
  attributes TEXT,
  created_at INTEGER,
  hidden INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  user_id TEXT,
  session_id TEXT,
  item_id TEXT,
  type TEXT NOT NULL,
  value REAL,
  quantity REAL,
  price REAL,
  query TEXT,
  order_id TEXT,
  rec_id TEXT,
  ts INTEGER NOT NULL,
  context TEXT
);
CREATE INDEX IF NOT EXISTS events_user ON events (user_id, ts) WHERE user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_session ON events (session_id, ts) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_item ON events (item_id, ts) WHERE item_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  status TEXT NOT NULL,
  lines TEXT NOT NULL,
  currency TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_user ON orders (user_id) WHERE user_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** Bumped when the schema changes incompatibly; stored in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 1;
