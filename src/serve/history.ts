/**
 * Recent behaviour of users and sessions, read at request time so a new event changes the next
 * list at once. The latest events come from the store (one indexed query) and are kept in an
 * LRU; events ingested through the engine are added to cached entries immediately (as a new
 * array: a cached list never changes, so whatever was derived from it stays valid while it is
 * the same object). Events written by another process are noticed two ways: on the embedded
 * store, a tail of the events table every `ttlMs` drops the cached entries they touch (an entry
 * is still read again after `maxAgeMs`, for deletions the tail cannot see); on other stores an
 * entry older than `ttlMs` is read again. `ttlMs: 0` reads the store every time.
 */
import type { Event, EventType } from '../core/types.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';
import { sqliteHistory, type HistoryRead, type SqliteHistory } from './history-sqlite.js';
import { Lru } from './lru.js';

/** Event types that say something about taste (impressions, searches and removals do not). */
export const HISTORY_TYPES: readonly EventType[] = ['view', 'click', 'add_to_cart', 'purchase', 'rate', 'favorite', 'share', 'review'];
const HISTORY_TYPE_SET: ReadonlySet<string> = new Set(HISTORY_TYPES);
/** Tail rows read per query; a poll reads at most a few pages and goes on at the next one. */
const TAIL_PAGE = 5000;
const TAIL_PAGES = 20;

/** Reads through the Store contract (any backend). */
function storeReader(store: Store, limit: number) {
  const query = { order: 'desc' as const, limit, types: [...HISTORY_TYPES] };
  return async (by: 'user' | 'session', key: string): Promise<HistoryRead> => {
    const events = by === 'user' ? await store.eventsByUser(key, query) : await store.eventsBySession(key, query);
    return { rows: events.map((e) => [e.itemId, e.type, e.timestamp]), seq: -1 };
  };
}

/** One remembered event: catalogue index of the item, its type and time. */
export interface HistoryEntry {
  item: number;
  type: EventType;
  timestamp: number;
}

interface Cached {
  /** Never changed once cached: an update replaces the array. */
  entries: readonly HistoryEntry[];
  loadedAt: number;
  /** Newest event sequence number the read saw (-1: unknown, not tailing). */
  seq: number;
}

/** Options of {@link HistoryCache}. */
export interface HistoryOptions {
  /** Events kept per user or session (default 50). */
  limit?: number;
  /**
   * How far behind events written by another process may be (default 1000 ms): the tail is read
   * this often on the embedded store; on others a cached history is trusted this long.
   * 0 reads the store on every call.
   */
  ttlMs?: number;
  /** While tailing, how long a cached history is trusted at most (default 60 s): deletions made elsewhere show up by then. */
  maxAgeMs?: number;
  /** Users and sessions kept (default 20,000). */
  capacity?: number;
}

/** Latest events per user (`u:<id>`) and per session (`s:<id>`), most recent first. */
export class HistoryCache {
  private readonly cache: Lru<string, Cached>;
  /** Per key, bumped by every change touching it: a read that raced an ingest is not cached. */
  private readonly generation = new Map<string, number>();
  private generations = 0;
  private readonly limit: number;
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;
  private readonly reader: (by: 'user' | 'session', key: string) => HistoryRead | Promise<HistoryRead>;
  private readonly sqlite: SqliteHistory | undefined;
  private tailSeq = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    store: Store,
    private readonly catalog: Catalog,
    options: HistoryOptions = {},
  ) {
    this.limit = options.limit ?? 50;
    this.ttlMs = options.ttlMs ?? 1000;
    this.cache = new Lru(options.capacity ?? 20_000);
    this.sqlite = sqliteHistory(store, this.limit, HISTORY_TYPES);
    const sqlite = this.sqlite;
    this.reader = sqlite ? (by, key) => sqlite.read(by, key) : storeReader(store, this.limit);
    const tailing = sqlite !== undefined && this.ttlMs > 0;
    this.maxAgeMs = tailing ? Math.max(this.ttlMs, options.maxAgeMs ?? 60_000) : this.ttlMs;
    if (tailing) {
      this.tailSeq = sqlite.maxSeq();
      this.timer = setInterval(() => this.followTail(), this.ttlMs);
      this.timer.unref();
    }
  }

  /** The user's latest events, most recent first. */
  forUser(userId: string): Promise<readonly HistoryEntry[]> | readonly HistoryEntry[] {
    return this.read(`u:${userId}`, 'user', userId);
  }

  /** The session's latest events, most recent first. */
  forSession(sessionId: string): Promise<readonly HistoryEntry[]> | readonly HistoryEntry[] {
    return this.read(`s:${sessionId}`, 'session', sessionId);
  }

  /** The user's latest events if they are cached and fresh, without reading the store. */
  cachedUser(userId: string): readonly HistoryEntry[] | undefined {
    const hit = this.cache.peek(`u:${userId}`);
    return hit && Date.now() - hit.loadedAt < this.maxAgeMs ? hit.entries : undefined;
  }

  /** Adds freshly stored events to the cached histories they belong to. */
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

  /** Stops following the events table. */
  close(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Drops the cached histories that events stored since the last call (by any process) make
   * stale. Called every `ttlMs` while tailing; public so tests can step it.
   */
  followTail(): void {
    const sqlite = this.sqlite;
    if (sqlite === undefined) return;
    try {
      const max = sqlite.maxSeq();
      if (max < this.tailSeq) {
        // Rows at the end were deleted (and their numbers may be reused): start over.
        this.clear();
        this.tailSeq = max;
        return;
      }
      for (let page = 0; page < TAIL_PAGES && this.tailSeq < max; page++) {
        const rows = sqlite.after(this.tailSeq, TAIL_PAGE);
        for (const row of rows) {
          if (row.userId !== null) this.stale(`u:${row.userId}`, row.seq);
          if (row.sessionId !== null) this.stale(`s:${row.sessionId}`, row.seq);
        }
        this.tailSeq = rows.length < TAIL_PAGE ? max : rows[rows.length - 1]!.seq;
      }
    } catch {
      // A closed or busy store: the next poll tries again, and entries still expire by age.
    }
  }

  private read(key: string, by: 'user' | 'session', id: string): Promise<readonly HistoryEntry[]> | readonly HistoryEntry[] {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.loadedAt < this.maxAgeMs) return hit.entries;
    const generation = this.generation.get(key) ?? 0;
    const finish = ({ rows, seq }: HistoryRead): readonly HistoryEntry[] => {
      const entries: HistoryEntry[] = [];
      for (const [itemId, type, timestamp] of rows) if (itemId !== null) entries.push({ item: this.catalog.intern(itemId), type, timestamp: Number(timestamp) });
      if (this.ttlMs > 0 && (this.generation.get(key) ?? 0) === generation) this.cache.set(key, { entries, loadedAt: now, seq });
      return entries;
    };
    const result = this.reader(by, id);
    return result instanceof Promise ? result.then(finish) : finish(result);
  }

  private bump(key: string): void {
    this.generation.set(key, ++this.generations);
    if (this.generation.size > 100_000) this.generation.clear();
  }

  /** An event with sequence number `seq` touched `key`: drop the cached entry unless its read saw it. */
  private stale(key: string, seq: number): void {
    const cached = this.cache.peek(key);
    if (cached && cached.seq >= seq) return;
    this.bump(key);
    if (cached) this.cache.delete(key);
  }

  private append(key: string, entry: HistoryEntry): void {
    this.bump(key);
    const cached = this.cache.peek(key);
    if (!cached) return;
    // Most recent first, even when a late event carries an older timestamp; a new array, never an edit.
    const list = cached.entries;
    let at = 0;
    while (at < list.length && list[at]!.timestamp > entry.timestamp) at++;
    if (at >= this.limit) return;
    const next = [...list.slice(0, at), entry, ...list.slice(at, this.limit - 1)];
    this.cache.set(key, { ...cached, entries: next });
  }
}
