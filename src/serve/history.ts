/**
 * Recent behaviour of users and sessions, read at request time so a new event changes the next
 * list at once. The latest events come from the store (one indexed query) and are kept in a
 * small LRU; events ingested through the engine are appended to cached entries immediately, and
 * an entry older than `ttlMs` is read again, so events written by another process (several
 * servers over one PostgreSQL) show up within that time. `ttlMs: 0` reads the store every time.
 */
import type Database from 'better-sqlite3';
import type { Event, EventType } from '../core/types.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import { Lru } from './lru.js';

/** Event types that say something about taste (impressions, searches and removals do not). */
export const HISTORY_TYPES: readonly EventType[] = ['view', 'click', 'add_to_cart', 'purchase', 'rate', 'favorite', 'share', 'review'];
const HISTORY_TYPE_SET: ReadonlySet<string> = new Set(HISTORY_TYPES);

/** (item id, type, time) of stored events, most recent first. */
type RawHistory = [string | null, EventType, number | string][];

/** Reads through the Store contract (any backend). */
function storeReader(store: Store, limit: number) {
  const query = { order: 'desc' as const, limit, types: [...HISTORY_TYPES] };
  return async (by: 'user' | 'session', key: string): Promise<RawHistory> => {
    const events = by === 'user' ? await store.eventsByUser(key, query) : await store.eventsBySession(key, query);
    return events.map((e) => [e.itemId, e.type, e.timestamp]);
  };
}

/**
 * On the embedded store, the same query reading only the three columns needed, synchronously:
 * a few times cheaper than building whole events, and this runs on every feed whose cached
 * history has expired. Same tables and indices as the SQLite backend (like analytics' SQL).
 */
function sqliteReader(store: Store, limit: number) {
  const db = (store as Store & { db?: Database.Database }).db;
  if (store.kind !== 'sqlite' || db === undefined || typeof db.prepare !== 'function') return undefined;
  const types = HISTORY_TYPES.map((t) => `'${t}'`).join(', ');
  const select = (column: string) =>
    db.prepare(`SELECT item_id, type, ts FROM events WHERE ${column} = ? AND type IN (${types}) ORDER BY ts DESC, seq DESC LIMIT ${limit}`).raw(true);
  const byUser = select('user_id');
  const bySession = select('session_id');
  return (by: 'user' | 'session', key: string): RawHistory => (by === 'user' ? byUser : bySession).all(key) as RawHistory;
}

/** One remembered event: catalogue index of the item, its type and time. */
export interface HistoryEntry {
  item: number;
  type: EventType;
  timestamp: number;
}

interface Cached {
  entries: HistoryEntry[];
  loadedAt: number;
}

/** Options of {@link HistoryCache}. */
export interface HistoryOptions {
  /** Events kept per user or session (default 50). */
  limit?: number;
  /** How long a cached history is trusted without reading the store again (default 1000 ms). */
  ttlMs?: number;
  /** Users and sessions kept (default 20,000). */
  capacity?: number;
}

/** Latest events per user (`u:<id>`) and per session (`s:<id>`), most recent first. */
export class HistoryCache {
  private readonly cache: Lru<string, Cached>;
  /** Per key, bumped by every ingest touching it: a read that raced an ingest is not cached. */
  private readonly generation = new Map<string, number>();
  private generations = 0;
  private readonly limit: number;
  private readonly ttlMs: number;

  private readonly reader: (by: 'user' | 'session', key: string) => RawHistory | Promise<RawHistory>;

  constructor(
    store: Store,
    private readonly catalog: Catalog,
    options: HistoryOptions = {},
  ) {
    this.limit = options.limit ?? 50;
    this.ttlMs = options.ttlMs ?? 1000;
    this.cache = new Lru(options.capacity ?? 20_000);
    this.reader = sqliteReader(store, this.limit) ?? storeReader(store, this.limit);
  }

  /** The user's latest events, most recent first. */
  forUser(userId: string): Promise<HistoryEntry[]> | HistoryEntry[] {
    return this.read(`u:${userId}`, () => this.reader('user', userId));
  }

  /** The session's latest events, most recent first. */
  forSession(sessionId: string): Promise<HistoryEntry[]> | HistoryEntry[] {
    return this.read(`s:${sessionId}`, () => this.reader('session', sessionId));
  }

  /** Appends freshly stored events to the cached histories they belong to. */
  record(events: readonly Event[]): void {
    for (const event of events) {
      if (event.itemId === null || !HISTORY_TYPE_SET.has(event.type)) continue;
      const entry: HistoryEntry = { item: this.catalog.intern(event.itemId), type: event.type, timestamp: event.timestamp };
      if (event.userId !== null) this.append(`u:${event.userId}`, entry);
      if (event.sessionId !== null) this.append(`s:${event.sessionId}`, entry);
    }
  }

  /**
   * Changes whenever an event is recorded for the user or the session: lists computed from their
   * history can be reused while it stays the same.
   */
  stamp(userId: string | undefined, sessionId: string | undefined): string {
    const user = userId === undefined ? 0 : this.generation.get(`u:${userId}`) ?? 0;
    const session = sessionId === undefined ? 0 : this.generation.get(`s:${sessionId}`) ?? 0;
    return `${user}.${session}`;
  }

  /** Forgets everything cached (after a user is deleted: their sessions are unknown here). */
  clear(): void {
    this.cache.clear();
    this.generation.clear();
  }

  private read(key: string, load: () => RawHistory | Promise<RawHistory>): Promise<HistoryEntry[]> | HistoryEntry[] {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.loadedAt < this.ttlMs) return hit.entries;
    const generation = this.generation.get(key) ?? 0;
    const finish = (rows: RawHistory): HistoryEntry[] => {
      const entries: HistoryEntry[] = [];
      for (const [itemId, type, timestamp] of rows) if (itemId !== null) entries.push({ item: this.catalog.intern(itemId), type, timestamp: Number(timestamp) });
      if (this.ttlMs > 0 && (this.generation.get(key) ?? 0) === generation) this.cache.set(key, { entries, loadedAt: now });
      return entries;
    };
    const rows = load();
    return Array.isArray(rows) ? finish(rows) : rows.then(finish);
  }

  private append(key: string, entry: HistoryEntry): void {
    this.generation.set(key, ++this.generations);
    if (this.generation.size > 100_000) this.generation.clear();
    const cached = this.cache.peek(key);
    if (!cached) return;
    // Keep most recent first even when a late event carries an older timestamp.
    const list = cached.entries;
    let at = 0;
    while (at < list.length && list[at]!.timestamp > entry.timestamp) at++;
    list.splice(at, 0, entry);
    if (list.length > this.limit) list.length = this.limit;
  }
}
