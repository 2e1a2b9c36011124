/**
 * What the ranker knows about items and users besides the retrievers' scores: counts, first and
 * last times, prices and categories, gathered once from the data it is fitted on and stored with
 * the model, so serving computes features from exactly the numbers training saw.
 */
import type { Dataset } from '../../dataset/types.js';
import { corruptModelError, requireArray, type ModelArtifact, type StoredArray } from '../artifacts.js';

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** Windows (days before the reference time) over which an item's recent events are counted. */
export const RECENT_DAYS = [7, 30] as const;

/** Per-item facts: popularity, recent popularity, first and last event, price and category. */
export interface ItemProfile {
  /** Distinct users per item. */
  readonly users: Float32Array;
  /** Events in the last 7 and 30 days before the reference time, interleaved (item·2 + window). */
  readonly recent: Float32Array;
  /** Epoch ms of the item's first and last event (NaN when it has none). */
  readonly first: Float64Array;
  readonly last: Float64Array;
  /** ln(price) from the catalog, NaN where there is no positive price. */
  readonly logPrice: Float32Array;
  /** Index of the item's most specific catalog category, -1 for none. */
  readonly category: Int32Array;
  /** Number of distinct categories. */
  readonly categories: number;
}

/** Per-user facts: event count, the times of the first and last event, and the latest items. */
export interface UserProfile {
  readonly events: Float32Array;
  /** Events in the last 7 and 30 days before the reference time, interleaved (user·2 + window). */
  readonly recentEvents: Float32Array;
  readonly first: Float64Array;
  readonly last: Float64Array;
  /** users × `recentLength`: each user's latest distinct items, oldest first, -1 padding in front. */
  readonly recent: Int32Array;
  readonly recentLength: number;
}

/** The profiles and the time "now" they are measured from (the data's latest event). */
export interface Profiles {
  readonly items: ItemProfile;
  readonly users: UserProfile;
  readonly referenceTime: number;
}

/**
 * Calls `visit(user, item, time)` for every event: the per-user sequences (every event, repeats
 * kept) when the dataset has them, else one per log entry.
 */
function forEachEvent(data: Dataset, visit: (user: number, item: number, time: number) => void): void {
  let sequenced = 0;
  for (const s of data.sequences) sequenced += s.items.length;
  if (sequenced > 0) {
    data.sequences.forEach((s, u) => {
      for (let k = 0; k < s.items.length; k++) visit(u, s.items[k]!, s.times[k]!);
    });
    return;
  }
  const { user, item, time, length } = data.log;
  for (let e = 0; e < length; e++) visit(user[e]!, item[e]!, time[e]!);
}

/**
 * Gathers the profiles of `data`. The reference time is the latest event, so "days since" counts
 * back from the end of the data, not from the wall clock: features at fit and at serve time are
 * measured the same way.
 */
export function buildProfiles(data: Dataset, recentLength: number): Profiles {
  const itemCount = data.matrix.cols;
  const userCount = data.matrix.rows;
  let referenceTime = -Infinity;
  forEachEvent(data, (_u, _i, t) => {
    if (t > referenceTime) referenceTime = t;
  });
  if (!Number.isFinite(referenceTime)) referenceTime = 0;

  const items = {
    users: new Float32Array(itemCount),
    recent: new Float32Array(itemCount * RECENT_DAYS.length),
    first: new Float64Array(itemCount).fill(Number.NaN),
    last: new Float64Array(itemCount).fill(Number.NaN),
    logPrice: new Float32Array(itemCount).fill(Number.NaN),
    category: new Int32Array(itemCount).fill(-1),
    categories: 0,
  };
  const users = {
    events: new Float32Array(userCount),
    recentEvents: new Float32Array(userCount * RECENT_DAYS.length),
    first: new Float64Array(userCount).fill(Number.NaN),
    last: new Float64Array(userCount).fill(Number.NaN),
    recent: latestItems(data, recentLength),
    recentLength,
  };
  for (const i of data.matrix.indices) items.users[i]!++;
  forEachEvent(data, (u, i, t) => {
    users.events[u]!++;
    if (!(t >= users.first[u]!)) users.first[u] = t;
    if (!(t <= users.last[u]!)) users.last[u] = t;
    if (!(t >= items.first[i]!)) items.first[i] = t;
    if (!(t <= items.last[i]!)) items.last[i] = t;
    RECENT_DAYS.forEach((days, w) => {
      if (t <= referenceTime - days * DAY_MS) return;
      items.recent[i * RECENT_DAYS.length + w]!++;
      users.recentEvents[u * RECENT_DAYS.length + w]!++;
    });
  });
  const names = new Map<string, number>();
  for (const [i, row] of data.catalog) {
    if (i < 0 || i >= itemCount) continue;
    if (row.price !== null && row.price > 0) items.logPrice[i] = Math.log(row.price);
    const leaf = row.categories[row.categories.length - 1];
    if (leaf === undefined) continue;
    let c = names.get(leaf);
    if (c === undefined) names.set(leaf, (c = names.size));
    items.category[i] = c;
  }
  items.categories = names.size;
  return { items, users, referenceTime };
}

/**
 * Each user's `length` latest distinct items (by their latest event), oldest first, padded with
 * -1 in front: the short-term interest the retrievers are asked about besides the whole history.
 */
function latestItems(data: Dataset, length: number): Int32Array {
  const users = data.matrix.rows;
  const out = new Int32Array(users * length).fill(-1);
  if (length === 0) return out;
  // Every event as (user, item, time), then per user newest first (later events first on ties).
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  forEachEvent(data, (u, i, t) => {
    user.push(u);
    item.push(i);
    time.push(t);
  });
  const order = Array.from(user.keys()).sort((a, b) => user[a]! - user[b]! || time[b]! - time[a]! || b - a);
  const stamp = new Int32Array(data.matrix.cols).fill(-1);
  let filled = 0;
  let current = -1;
  for (const e of order) {
    const u = user[e]!;
    if (u !== current) {
      current = u;
      filled = 0;
    }
    if (filled === length || stamp[item[e]!] === u) continue;
    stamp[item[e]!] = u;
    out[u * length + length - 1 - filled++] = item[e]!;
  }
  return out;
}

/** The profiles as named arrays for the model file. */
export function profileArrays(p: Profiles): Record<string, StoredArray> {
  return {
    itemUsers: p.items.users,
    itemRecent: p.items.recent,
    itemFirst: p.items.first,
    itemLast: p.items.last,
    itemLogPrice: p.items.logPrice,
    itemCategory: p.items.category,
    userEvents: p.users.events,
    userRecentEvents: p.users.recentEvents,
    userFirst: p.users.first,
    userLast: p.users.last,
    userRecent: p.users.recent,
    referenceTime: Float64Array.of(p.referenceTime),
  };
}

/** Reads profiles written by {@link profileArrays}; MagpieError('corrupt') when they do not fit. */
export function profilesFromArtifact(dir: string, artifact: ModelArtifact, itemCount: number, userCount: number, recentLength: number): Profiles {
  const category = requireArray(dir, artifact, 'itemCategory', Int32Array, itemCount);
  const recent = requireArray(dir, artifact, 'userRecent', Int32Array, userCount * recentLength);
  for (const i of recent) if (i < -1 || i >= itemCount) throw corruptModelError(dir, 'recent items name unknown items');
  let categories = 0;
  for (const c of category) {
    if (c < -1) throw corruptModelError(dir, 'item categories are out of range');
    categories = Math.max(categories, c + 1);
  }
  return {
    items: {
      users: requireArray(dir, artifact, 'itemUsers', Float32Array, itemCount),
      recent: requireArray(dir, artifact, 'itemRecent', Float32Array, itemCount * RECENT_DAYS.length),
      first: requireArray(dir, artifact, 'itemFirst', Float64Array, itemCount),
      last: requireArray(dir, artifact, 'itemLast', Float64Array, itemCount),
      logPrice: requireArray(dir, artifact, 'itemLogPrice', Float32Array, itemCount),
      category,
      categories,
    },
    users: {
      events: requireArray(dir, artifact, 'userEvents', Float32Array, userCount),
      recentEvents: requireArray(dir, artifact, 'userRecentEvents', Float32Array, userCount * RECENT_DAYS.length),
      first: requireArray(dir, artifact, 'userFirst', Float64Array, userCount),
      last: requireArray(dir, artifact, 'userLast', Float64Array, userCount),
      recent,
      recentLength,
    },
    referenceTime: requireArray(dir, artifact, 'referenceTime', Float64Array, 1)[0]!,
  };
}
