/**
 * Per-shopper candidate lists, as production engines keep them (Gorse's offline cache, Recombee's
 * precomputed lists): the best few hundred model items for a shopper's current query, scored once
 * and reused by every later request until the query changes. A list remembers exactly what it was
 * scored from — model version, training row, recent history — so a new event (which changes the
 * history) or a model swap makes the next request score again; nothing else has to invalidate it.
 *
 * Serving from a list is exact, not approximate: items scoring above the best item left out
 * (`floor`) are the true top of the catalogue, so when enough of them pass the request's filters
 * the page equals a full scan's. When they do not (narrow filters, most candidates bought) or
 * boosts may reorder the catalogue, the caller scans the catalogue instead.
 */
import { TopKHeap } from '../../math/topk.js';
import type { UserQuery } from '../../models/recommender.js';
import type { HistoryEntry } from '../history.js';
import { Lru } from '../lru.js';
import type { LoadedVersion } from '../models/loaded.js';
import { Tier, type RankedList, type TierValue } from './ranked.js';

/** Candidates kept per shopper by default: a first page ranks 50, and bought or filtered items need room. */
export const DEFAULT_CANDIDATES = 200;

/** The best model items for one shopper's query. */
export interface CandidateList {
  /** Id of the version that scored it. */
  versionId: string;
  /** Model user index of the query, or -1. */
  user: number;
  /** Model item indices of the query's history, oldest first. */
  history: Int32Array;
  /** The cached history it was derived from: while the cache hands out the same array, nothing changed. */
  entries: readonly HistoryEntry[];
  /** Model item indices, best first. */
  items: Int32Array;
  scores: Float32Array;
  /** Best score of a model item not kept; -Infinity when every scored item is kept. */
  floor: number;
  /** Distinct catalogue indices the shopper bought (derived from the same history and version). */
  purchased: Int32Array;
}

/** True when `list` was scored for exactly this version and query. */
export function sameQuery(list: CandidateList, versionId: string, user: number, history: readonly number[]): boolean {
  if (list.versionId !== versionId || list.user !== user || list.history.length !== history.length) return false;
  for (let k = 0; k < history.length; k++) if (list.history[k] !== history[k]) return false;
  return true;
}

let selector = { heap: new TopKHeap(DEFAULT_CANDIDATES + 1), capacity: DEFAULT_CANDIDATES + 1 };

/**
 * Scores `query` with the version's model (into `version.scores`, which the caller may then use
 * for a full scan) and keeps the best `size` items, ties towards lower indices.
 *
 * @example
 * const { items, scores, floor } = scoreCandidates(version, { user: 3 }, 200);
 */
export function scoreCandidates(version: LoadedVersion, query: UserQuery, size: number): { items: Int32Array; scores: Float32Array; floor: number } {
  const scores = version.scores;
  version.model.scoreItems(query, scores);
  if (selector.capacity < size + 1) selector = { heap: new TopKHeap(size + 1), capacity: size + 1 };
  const top = selector.heap;
  top.reset(size + 1);
  for (let m = 0; m < scores.length; m++) {
    const s = scores[m]!;
    if (s > -Infinity && top.accepts(m, s)) top.push(m, s);
  }
  const items = new Int32Array(top.length);
  const kept = new Float32Array(top.length);
  const count = top.drainInto(items, kept);
  if (count <= size) return { items, scores: kept, floor: -Infinity };
  // The one item more than asked for is only there to say where the kept ones end.
  return { items: items.subarray(0, size), scores: kept.subarray(0, size), floor: kept[size]! };
}

/**
 * The first `depth` items of the full ranking, from the candidates alone: each candidate above
 * the floor that `allowed` accepts, ordered as the catalogue scan orders the model's tier (score,
 * then trending, then index). Null when fewer than `depth + 1` pass — the scan must decide then.
 * The candidates are sorted by score already, so one pass keeps the first `depth + 1` that pass
 * (and any tied with the last of them) and only equal scores are reordered.
 */
export function rankCandidates(
  list: CandidateList,
  modelToCat: Int32Array,
  trending: Float64Array,
  allowed: (c: number) => boolean,
  depth: number,
): RankedList | null {
  const want = depth + 1;
  const { items, scores, floor } = list;
  if (scratch.items.length < items.length) scratch = { items: new Int32Array(items.length), keys: new Float64Array(items.length) };
  const kept = scratch.items;
  const keys = scratch.keys;
  let count = 0;
  for (let k = 0; k < items.length; k++) {
    const key = scores[k]!;
    // From here on an item may tie with one left out of the list.
    if (!(key > floor)) break;
    // Enough, and no later candidate can tie with the last one kept.
    if (count >= want && key < keys[count - 1]!) break;
    const c = modelToCat[items[k]!]!;
    if (!allowed(c)) continue;
    kept[count] = c;
    keys[count++] = key;
  }
  if (count < want) return null;
  // Insertion sort of runs of equal scores by trending, then index: the scan's tie-breaks.
  const tie = (c: number): number => (c < trending.length ? trending[c]! : 0);
  for (let i = 1; i < count; i++) {
    const c = kept[i]!;
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j] === key && (tie(kept[j]!) < tie(c) || (tie(kept[j]!) === tie(c) && kept[j]! > c))) {
      kept[j + 1] = kept[j]!;
      j--;
    }
    kept[j + 1] = c;
  }
  const out: RankedList = { items: new Array<number>(depth), scores: new Array<number>(depth), tiers: new Array<TierValue>(depth), exhausted: false };
  for (let k = 0; k < depth; k++) {
    out.items[k] = kept[k]!;
    out.scores[k] = keys[k]!;
    out.tiers[k] = Tier.primary;
  }
  return out;
}

/** Reused by every ranking (they are synchronous, so never two at once). */
let scratch = { items: new Int32Array(DEFAULT_CANDIDATES), keys: new Float64Array(DEFAULT_CANDIDATES) };

/** Candidate lists by shopper key, least recently used dropped first. */
export class CandidateCache {
  private readonly lists: Lru<string, CandidateList>;
  /** How requests were served: lists scored, lists reused, pages that needed a full catalogue scan. */
  readonly counts = { scored: 0, reused: 0, scanned: 0 };

  /** Keeps at most `capacity` lists of `size` items each. */
  constructor(
    readonly capacity: number,
    readonly size: number = DEFAULT_CANDIDATES,
  ) {
    this.lists = new Lru(capacity);
  }

  /** The list under `key`, marking it recently used. */
  get(key: string): CandidateList | undefined {
    return this.lists.get(key);
  }

  /** Whether `key` has a list for `versionId` (without marking it used). */
  has(key: string, versionId: string): boolean {
    return this.lists.peek(key)?.versionId === versionId;
  }

  /** Keeps `list` under `key`, dropping the least recently used list when full. */
  set(key: string, list: CandidateList): void {
    this.lists.set(key, list);
  }

  /** Drops every list not scored by `versionId` (after a model swap). */
  keepOnly(versionId: string): void {
    this.lists.deleteWhere((_, list) => list.versionId !== versionId);
  }

  /** Drops the lists of a user (alone or with any session). */
  deleteUser(userId: string): void {
    const prefix = `${userId}\u0002`;
    this.lists.deleteWhere((key) => key.startsWith(prefix));
  }

  /** Keys from least to most recently used. */
  keys(): IterableIterator<string> {
    return this.lists.keys();
  }

  /** Lists held. */
  get length(): number {
    return this.lists.size;
  }
}
