/**
 * The embedded store's side of the history cache: the latest events of one user or session read
 * with one prepared statement (three columns, synchronously), and a tail of the events table —
 * rows added since a sequence number — so events written by another process are noticed without
 * re-reading every cached history. Same tables and indices as the SQLite backend (like
 * analytics' SQL).
 */
import type Database from 'better-sqlite3';
import type { EventType } from '../core/types.js';
import type { Store } from '../store/store.js';

/** (item id, type, time) of stored events, most recent first. */
export type RawHistory = [string | null, EventType, number | string][];

/** One history read: its rows and the newest event sequence number the read could have seen (-1: unknown). */
export interface HistoryRead {
  rows: RawHistory;
  seq: number;
}

/** A user or session that has events newer than a tail position. */
export interface TailRow {
  seq: number;
  userId: string | null;
  sessionId: string | null;
}

/** The SQLite reads of the history cache. */
export interface SqliteHistory {
  read(by: 'user' | 'session', key: string): HistoryRead;
  /** The newest sequence number in the events table (0 when empty). */
  maxSeq(): number;
  /** Up to `limit` rows of the given types after `seq`, oldest first. */
  after(seq: number, limit: number): TailRow[];
}

/**
 * The SQLite reads, or undefined when `store` is not the embedded SQLite store.
 *
 * @example
 * const sqlite = sqliteHistory(store, 50, ['view', 'purchase']);
 * const { rows, seq } = sqlite!.read('user', 'u1');
 */
export function sqliteHistory(store: Store, limit: number, types: readonly EventType[]): SqliteHistory | undefined {
  const db = (store as Store & { db?: Database.Database }).db;
  if (store.kind !== 'sqlite' || db === undefined || typeof db.prepare !== 'function') return undefined;
  const typeList = types.map((t) => `'${t}'`).join(', ');
  const select = (column: string) =>
    db.prepare(`SELECT item_id, type, ts FROM events WHERE ${column} = ? AND type IN (${typeList}) ORDER BY ts DESC, seq DESC LIMIT ${limit}`).raw(true);
  const byUser = select('user_id');
  const bySession = select('session_id');
  const max = db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck();
  const tail = db.prepare(`SELECT seq, user_id, session_id FROM events WHERE seq > ? AND type IN (${typeList}) ORDER BY seq LIMIT ?`).raw(true);
  return {
    read(by, key) {
      // Taken before the rows: every event up to it is in them, so the tail skips only those.
      const seq = max.get() as number;
      return { rows: (by === 'user' ? byUser : bySession).all(key) as RawHistory, seq };
    },
    maxSeq: () => max.get() as number,
    after(seq, n) {
      return (tail.all(seq, n) as [number, string | null, string | null][]).map(([s, userId, sessionId]) => ({ seq: s, userId, sessionId }));
    },
  };
}
