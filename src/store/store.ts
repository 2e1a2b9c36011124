import type { Event, EventType, Item, Order, User } from '../core/types.js';

/** Everything written in one atomic step: either all of it is stored, or none of it. */
export interface WriteBatch {
  users?: User[];
  items?: Item[];
  events?: Event[];
  orders?: Order[];
}

/** What one {@link Store.write} did. Events whose id was already stored are counted as duplicates, not written. */
export interface WriteResult {
  users: number;
  items: number;
  events: number;
  duplicateEvents: number;
  orders: number;
}

/** Filters shared by the event queries. Times are epoch milliseconds, `from` inclusive, `to` exclusive. */
export interface EventQuery {
  from?: number;
  to?: number;
  types?: EventType[];
  /** Most recent first when set to 'desc'; oldest first by default. */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** Counts and extent of what is stored. */
export interface StoreStats {
  users: number;
  items: number;
  orders: number;
  events: number;
  /** Distinct session ids of events without a user. */
  anonymousSessions: number;
  eventsByType: Partial<Record<EventType, number>>;
  /** Epoch milliseconds of the first and last event; null when there are none. */
  firstEventAt: number | null;
  lastEventAt: number | null;
}

/** What {@link Store.deleteUser} removed. */
export interface DeletedUser {
  users: number;
  events: number;
  orders: number;
}

/**
 * The storage contract every backend honours (SQLite, PostgreSQL). Events are append-only and
 * idempotent by id; users, items and orders are upserted. Every method is safe to call while
 * another process reads the same store.
 */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly kind: string;
  /** The URL the store was opened with, without any password. */
  readonly url: string;

  /** Stores a batch atomically (one transaction). */
  write(batch: WriteBatch): Promise<WriteResult>;
  /** Removes a user's profile, events (also those of their sessions) and orders. */
  deleteUser(id: string): Promise<DeletedUser>;
  /** Marks items hidden or removes them; events about them stay for history. */
  deleteItem(id: string): Promise<boolean>;

  getUser(id: string): Promise<User | null>;
  getItem(id: string): Promise<Item | null>;
  getItems(ids: readonly string[]): Promise<Map<string, Item>>;
  /** Items ordered by id; page with `after` (the last id seen). */
  listItems(options?: { after?: string; limit?: number }): Promise<Item[]>;
  listUsers(options?: { after?: string; limit?: number }): Promise<User[]>;
  getOrder(id: string): Promise<Order | null>;
  ordersByUser(userId: string): Promise<Order[]>;

  eventsByUser(userId: string, query?: EventQuery): Promise<Event[]>;
  eventsBySession(sessionId: string, query?: EventQuery): Promise<Event[]>;
  eventsByItem(itemId: string, query?: EventQuery): Promise<Event[]>;
  /** Events in a time range (and of some types), in time order. */
  events(query?: EventQuery): Promise<Event[]>;
  /** Streams every matching event in time order, in pages of `batchSize`, without holding them all in memory. */
  iterateEvents(query?: Omit<EventQuery, 'order' | 'limit'> & { batchSize?: number }): AsyncIterable<Event>;

  stats(): Promise<StoreStats>;
  /** Small key/value bookkeeping (import checkpoints, model pointers). */
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  close(): Promise<void>;
}

/** Default location of the embedded store. */
export const DEFAULT_DB_URL = 'sqlite:./data/magpie.db';
