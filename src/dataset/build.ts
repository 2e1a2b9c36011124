import { EVENT_TYPES, type Event, type EventType, type Item } from '../core/types.js';
import { csrFromTriples } from './csr.js';
import { buildBaskets, buildSequences, recordProvenance } from './derive.js';
import { EventColumns, type RawEvents } from './event-columns.js';
import type { Dataset, IdMap, InteractionLog } from './types.js';
import { EVENT_STRENGTH, applyDecay, eventWeight, eventWeights, type RatingMode } from './weights.js';

export { datasetFromLog, interactionsOf, type EntryFilter } from './derive.js';

/** Which id an event is attributed to: the shopper's, the session's, or the shopper's when known. */
export type UserKeyMode = 'user' | 'session' | 'user-or-session';

/** Options of {@link buildDataset}. */
export interface BuildOptions {
  /** Overrides of the default event weights (see `DEFAULT_EVENT_WEIGHTS`). */
  weights?: Partial<Record<EventType, number>>;
  /** `rate` events weigh their rating (`'value'`, default) or 1 (`'binary'`). */
  ratings?: RatingMode;
  /** Half-life of exponential time decay, in days; no decay when omitted. */
  halfLifeDays?: number;
  /** Reference time for decay (epoch ms); defaults to the latest event's time. */
  now?: number;
  /** One log entry per user–item pair (default), or one per event. */
  dedupe?: boolean;
  /** Catalog rows; items in it without interactions get indices too (after all interacted items). */
  catalog?: Iterable<Item>;
  /** Users with fewer distinct items are dropped (applied together with items until both hold). */
  minUserInteractions?: number;
  /** Items with fewer distinct users are dropped (applied together with users until both hold). */
  minItemInteractions?: number;
  /**
   * `'user-or-session'` (default): the user id, or `session:<sessionId>` for anonymous events;
   * `'user'`: anonymous events are skipped; `'session'`: always `session:<sessionId>`.
   */
  userKey?: UserKeyMode;
}

const TYPE_CODE: ReadonlyMap<EventType, number> = new Map(EVENT_TYPES.map((type, code) => [type, code]));
const STRENGTH_BY_CODE = Int8Array.from(EVENT_TYPES, (type) => EVENT_STRENGTH[type]);

/**
 * Builds the dataset every model trains on from a stream of events.
 *
 * Per event: `search` events and events without an item are skipped; the weight comes from the
 * event type (`eventWeight`), times the time decay; events weighing exactly 0 are skipped.
 * With `dedupe` (default) each user–item pair becomes one log entry: weights summed, time the
 * latest event's, rating the latest `rate` event's, type the strongest behaviour. Pairs whose
 * summed weight is ≤ 0 (a purchase cancelled by a negatively weighted return) are dropped, then
 * the minimum-interaction filters run. Ids keep their first-seen order; log entries are in the
 * order of each pair's first event (of each event when `dedupe` is false).
 * Sequences hold every positively weighted event of a kept pair in time order; baskets group
 * purchases by order id (or, without one, by user and session) and keep those of ≥ 2 items.
 *
 * @example
 * const dataset = await buildDataset(store.events(), { halfLifeDays: 90 });
 * dataset.matrix.rows === dataset.users.ids.length; // true
 */
export async function buildDataset(events: Iterable<Event> | AsyncIterable<Event>, options: BuildOptions = {}): Promise<Dataset> {
  const raw = await collect(events, options);
  const n = raw.length;
  if (options.halfLifeDays !== undefined) {
    let now = options.now ?? -Infinity;
    if (options.now === undefined) for (let e = 0; e < n; e++) now = Math.max(now, raw.time[e]!);
    applyDecay(raw.weight, raw.time, n, now, options.halfLifeDays);
  }
  const pairs = pairUp(raw);
  const alive = new Uint8Array(pairs.length);
  for (let q = 0; q < pairs.length; q++) alive[q] = pairs.weight[q]! > 0 ? 1 : 0;
  keepCore(pairs, alive, raw.users.ids.length, raw.items.ids.length, options.minUserInteractions ?? 0, options.minItemInteractions ?? 0);

  const userCount = new Int32Array(raw.users.ids.length);
  const itemCount = new Int32Array(raw.items.ids.length);
  for (let q = 0; q < pairs.length; q++) {
    if (!alive[q]) continue;
    userCount[pairs.user[q]!]!++;
    itemCount[pairs.item[q]!]!++;
  }
  const { map: users, newIndex: userIndex } = compactIds(raw.users.ids, userCount);
  const { map: interacted, newIndex: itemIndex } = compactIds(raw.items.ids, itemCount);
  const { items, catalog } = attachCatalog(interacted, options.catalog, (options.minItemInteractions ?? 0) <= 0);

  const dedupe = options.dedupe ?? true;
  const { log, eventEntry } = dedupe ? pairLog(pairs, alive, userIndex, itemIndex) : eventLog(raw, pairs, alive, userIndex, itemIndex);

  const matrix = csrFromTriples(users.ids.length, items.ids.length, log.user, log.item, log.weight);
  const seq = selectEvents(raw, eventEntry, userIndex, itemIndex, (e) => raw.weight[e]! > 0);
  const { sequences, entries: sequenceEntries } = buildSequences(users.ids.length, seq.user, seq.item, seq.time, seq.entry);
  const bought = selectEvents(raw, eventEntry, userIndex, itemIndex, (e) => raw.basket[e]! >= 0);
  const { baskets, entries: basketEntries } = buildBaskets(raw.baskets.ids.length, bought.basket, bought.item, bought.entry, items.ids.length);

  const dataset: Dataset = { users, items, log, matrix, sequences, baskets, catalog };
  recordProvenance(dataset, sequenceEntries, basketEntries);
  return dataset;
}

async function collect(events: Iterable<Event> | AsyncIterable<Event>, options: BuildOptions): Promise<RawEvents> {
  const weights = eventWeights(options.weights);
  const ratings = options.ratings ?? 'value';
  const mode = options.userKey ?? 'user-or-session';
  const cols = new EventColumns();
  // Anonymous users by raw session id, so `session:<id>` is built once per session, not per event.
  const sessions = new Map<string, number>();
  const userOf = (event: Event): number => {
    if (mode !== 'session' && event.userId !== null) return cols.users.intern(event.userId);
    if (mode === 'user' || event.sessionId === null) return -1;
    let u = sessions.get(event.sessionId);
    if (u === undefined) {
      u = cols.users.intern(`session:${event.sessionId}`);
      sessions.set(event.sessionId, u);
    }
    return u;
  };
  const add = (event: Event): void => {
    if (event.itemId === null || event.type === 'search' || !Number.isFinite(event.timestamp)) return;
    const weight = eventWeight(event.type, event.value, weights, ratings);
    if (weight === 0) return;
    const user = userOf(event);
    if (user < 0) return;
    let basket = -1;
    if (event.type === 'purchase') {
      if (event.orderId !== null) basket = cols.baskets.intern(`o\u0000${event.orderId}`);
      else if (event.sessionId !== null) basket = cols.baskets.intern(`s\u0000${user}\u0000${event.sessionId}`);
    }
    const rating = event.type === 'rate' && event.value !== null && Number.isFinite(event.value) ? event.value : Number.NaN;
    cols.push(user, cols.items.intern(event.itemId), weight, rating, event.timestamp, TYPE_CODE.get(event.type)!, basket);
  };
  // A plain loop over sync sources: `for await` would cost a microtask per event.
  if (Symbol.asyncIterator in events) for await (const event of events) add(event);
  else for (const event of events) add(event);
  return cols.finish();
}

interface Pairs {
  length: number;
  user: Int32Array;
  item: Int32Array;
  weight: Float64Array;
  time: Float64Array;
  rating: Float32Array;
  type: Uint8Array;
  /** Pair of each event. */
  ofEvent: Int32Array;
}

/**
 * Merges events into user–item pairs, numbered in order of their first event. Walks the events
 * in log order through an open-addressing table keyed by (user, item): the event columns are read
 * sequentially, which on large logs matters more than anything else here (cache misses).
 */
function pairUp(raw: RawEvents): Pairs {
  // Columns in locals: V8 does not reliably hoist the property loads out of the loop.
  const { length: n, user: rawUser, item: rawItem, weight: rawWeight, time: rawTime, rating: rawRating, type: rawType } = raw;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slotUser = new Int32Array(capacity).fill(-1);
  const slotItem = new Int32Array(capacity);
  const slotPair = new Int32Array(capacity);
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const weight = new Float64Array(n);
  const time = new Float64Array(n).fill(-Infinity);
  const rating = new Float32Array(n).fill(Number.NaN);
  const ratingTime = new Float64Array(n).fill(-Infinity);
  const type = new Uint8Array(n);
  const ofEvent = new Int32Array(n);
  let length = 0;
  for (let e = 0; e < n; e++) {
    const u = rawUser[e]!;
    const i = rawItem[e]!;
    let h = (Math.imul(u, 0x9e3779b1) ^ Math.imul(i + 0x7f4a7c15, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (slotUser[h] !== -1 && (slotUser[h] !== u || slotItem[h] !== i)) h = (h + 1) & mask;
    let q: number;
    if (slotUser[h] === -1) {
      q = length++;
      slotUser[h] = u;
      slotItem[h] = i;
      slotPair[h] = q;
      user[q] = u;
      item[q] = i;
      type[q] = rawType[e]!;
    } else {
      q = slotPair[h]!;
    }
    ofEvent[e] = q;
    weight[q]! += rawWeight[e]!;
    const t = rawTime[e]!;
    // `>=` because events come in log order: on equal times the later one wins.
    if (t >= time[q]!) time[q] = t;
    const r = rawRating[e]!;
    if (r === r && t >= ratingTime[q]!) {
      rating[q] = r;
      ratingTime[q] = t;
    }
    const code = rawType[e]!;
    if (STRENGTH_BY_CODE[code]! > STRENGTH_BY_CODE[type[q]!]!) type[q] = code;
  }
  return { length, user, item, weight, time, rating, type, ofEvent };
}

/** Drops pairs until every remaining user and item has the minimum number of pairs (a k-core). */
function keepCore(pairs: Pairs, alive: Uint8Array, users: number, items: number, minUser: number, minItem: number): void {
  if (minUser <= 1 && minItem <= 1) return;
  const userCount = new Int32Array(users);
  const itemCount = new Int32Array(items);
  for (let changed = true; changed; ) {
    changed = false;
    userCount.fill(0);
    itemCount.fill(0);
    for (let q = 0; q < pairs.length; q++) {
      if (!alive[q]) continue;
      userCount[pairs.user[q]!]!++;
      itemCount[pairs.item[q]!]!++;
    }
    for (let q = 0; q < pairs.length; q++) {
      if (alive[q] && (userCount[pairs.user[q]!]! < minUser || itemCount[pairs.item[q]!]! < minItem)) {
        alive[q] = 0;
        changed = true;
      }
    }
  }
}

/** Keeps ids with a positive count, in their original (first-seen) order. */
function compactIds(ids: readonly string[], count: Int32Array): { map: IdMap; newIndex: Int32Array } {
  const newIndex = new Int32Array(ids.length).fill(-1);
  const kept: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    if (count[i]! <= 0) continue;
    newIndex[i] = kept.length;
    index.set(ids[i]!, kept.length);
    kept.push(ids[i]!);
  }
  return { map: { ids: kept, index }, newIndex };
}

function attachCatalog(items: IdMap, rows: Iterable<Item> | undefined, appendUnseen: boolean): { items: IdMap; catalog: Map<number, Item> } {
  const catalog = new Map<number, Item>();
  if (rows === undefined) return { items, catalog };
  const ids = [...items.ids];
  const index = new Map(items.index);
  for (const row of rows) {
    let i = index.get(row.id);
    if (i === undefined) {
      if (!appendUnseen) continue;
      i = ids.length;
      ids.push(row.id);
      index.set(row.id, i);
    }
    catalog.set(i, row);
  }
  return { items: { ids, index }, catalog };
}

/** A log and, per event, the entry it went into (-1 for none). */
type LogWithLinks = { log: InteractionLog; eventEntry: Int32Array };

/** One entry per kept pair, in pair (first-event) order; also the entry of every event. */
function pairLog(pairs: Pairs, alive: Uint8Array, userIndex: Int32Array, itemIndex: Int32Array): LogWithLinks {
  const pairEntry = new Int32Array(pairs.length).fill(-1);
  let length = 0;
  for (let q = 0; q < pairs.length; q++) if (alive[q]) pairEntry[q] = length++;
  const log = emptyLog(length);
  for (let q = 0; q < pairs.length; q++) {
    const k = pairEntry[q]!;
    if (k < 0) continue;
    log.user[k] = userIndex[pairs.user[q]!]!;
    log.item[k] = itemIndex[pairs.item[q]!]!;
    log.weight[k] = pairs.weight[q]!;
    log.rating[k] = pairs.rating[q]!;
    log.time[k] = pairs.time[q]!;
    log.type.push(EVENT_TYPES[pairs.type[q]!]!);
  }
  const eventEntry = new Int32Array(pairs.ofEvent.length);
  for (let e = 0; e < eventEntry.length; e++) eventEntry[e] = pairEntry[pairs.ofEvent[e]!]!;
  return { log, eventEntry };
}

/** One entry per event of a kept pair, in log order. */
function eventLog(raw: RawEvents, pairs: Pairs, alive: Uint8Array, userIndex: Int32Array, itemIndex: Int32Array): LogWithLinks {
  const eventEntry = new Int32Array(raw.length).fill(-1);
  let length = 0;
  for (let e = 0; e < raw.length; e++) if (alive[pairs.ofEvent[e]!]) eventEntry[e] = length++;
  const log = emptyLog(length);
  const { user, item, weight, rating, time, type } = raw;
  for (let e = 0; e < raw.length; e++) {
    const k = eventEntry[e]!;
    if (k < 0) continue;
    log.user[k] = userIndex[user[e]!]!;
    log.item[k] = itemIndex[item[e]!]!;
    log.weight[k] = weight[e]!;
    log.rating[k] = rating[e]!;
    log.time[k] = time[e]!;
    log.type.push(EVENT_TYPES[type[e]!]!);
  }
  return { log, eventEntry };
}

function emptyLog(length: number): InteractionLog & { type: EventType[] } {
  return {
    length,
    user: new Int32Array(length),
    item: new Int32Array(length),
    weight: new Float32Array(length),
    rating: new Float32Array(length),
    time: new Float64Array(length),
    type: [],
  };
}

/** The events that belong to a kept log entry and pass `include`, as compact columns in log order. */
function selectEvents(raw: RawEvents, eventEntry: Int32Array, userIndex: Int32Array, itemIndex: Int32Array, include: (e: number) => boolean) {
  let count = 0;
  for (let e = 0; e < raw.length; e++) if (eventEntry[e]! >= 0 && include(e)) count++;
  const user = new Int32Array(count);
  const item = new Int32Array(count);
  const time = new Float64Array(count);
  const entry = new Int32Array(count);
  const basket = new Int32Array(count);
  const { user: rawUser, item: rawItem, time: rawTime, basket: rawBasket } = raw;
  count = 0;
  for (let e = 0; e < raw.length; e++) {
    if (eventEntry[e]! < 0 || !include(e)) continue;
    user[count] = userIndex[rawUser[e]!]!;
    item[count] = itemIndex[rawItem[e]!]!;
    time[count] = rawTime[e]!;
    entry[count] = eventEntry[e]!;
    basket[count] = rawBasket[e]!;
    count++;
  }
  return { user, item, time, entry, basket };
}
