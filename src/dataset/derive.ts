import type { EventType } from '../core/types.js';
import { csrFromTriples } from './csr.js';
import type { Dataset, InteractionLog } from './types.js';

/**
 * Links from each sequence element and basket element back to the log entry it belongs to, so a
 * subset of the log (a training split) can drop exactly the events of held-out pairs. Kept in a
 * side table because the `Dataset` contract has no room for it and models never need it.
 */
interface Provenance {
  readonly sequenceEntries: readonly Int32Array[];
  readonly basketEntries: readonly Int32Array[];
}

const provenance = new WeakMap<Dataset, Provenance>();

/** Records which log entries a dataset's sequences and baskets came from (used by the builder). */
export function recordProvenance(dataset: Dataset, sequenceEntries: readonly Int32Array[], basketEntries: readonly Int32Array[]): void {
  provenance.set(dataset, { sequenceEntries, basketEntries });
}

/**
 * Stable counting sort: the positions `0..length-1` grouped by `keys[position]` (keys in
 * `[0, groups)`; negative keys are left out). Group g is `order[offsets[g] .. offsets[g+1])`.
 */
export function groupByKey(keys: Int32Array, groups: number, length = keys.length): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(groups + 1);
  for (let i = 0; i < length; i++) {
    const k = keys[i]!;
    if (k >= 0) offsets[k + 1]!++;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, groups);
  const order = new Int32Array(offsets[groups]!);
  for (let i = 0; i < length; i++) {
    const k = keys[i]!;
    if (k >= 0) order[cursor[k]!++] = i;
  }
  return { offsets, order };
}

/**
 * Per-user sequences from candidate elements given in log order: each user's elements sorted by
 * time, ties kept in log order. Also returns, per sequence, the log entry of each element.
 */
export function buildSequences(
  users: number,
  user: Int32Array,
  item: Int32Array,
  time: Float64Array,
  entry: Int32Array,
): { sequences: { items: Int32Array; times: Float64Array }[]; entries: Int32Array[] } {
  const { offsets, order } = groupByKey(user, users);
  // One buffer per column with a view per user: tens of thousands of tiny typed arrays would
  // each pay for their own backing store.
  const allItems = new Int32Array(order.length);
  const allTimes = new Float64Array(order.length);
  const allEntries = new Int32Array(order.length);
  const sequences: { items: Int32Array; times: Float64Array }[] = [];
  const entries: Int32Array[] = [];
  for (let u = 0; u < users; u++) {
    const start = offsets[u]!;
    const end = offsets[u + 1]!;
    let sorted = true;
    for (let p = start + 1; p < end && sorted; p++) sorted = time[order[p - 1]!]! <= time[order[p]!]!;
    // Events mostly arrive in time order, so the sort is the rare path.
    if (!sorted) order.subarray(start, end).sort((a, b) => time[a]! - time[b]! || a - b);
    for (let p = start; p < end; p++) {
      const position = order[p]!;
      allItems[p] = item[position]!;
      allTimes[p] = time[position]!;
      allEntries[p] = entry[position]!;
    }
    sequences.push({ items: allItems.subarray(start, end), times: allTimes.subarray(start, end) });
    entries.push(allEntries.subarray(start, end));
  }
  return { sequences, entries };
}

/**
 * Baskets from purchase elements carrying a basket key (`-1` for none): distinct items per key in
 * first-bought order, keys in first-seen order, baskets of fewer than two items dropped (they
 * teach co-purchase nothing).
 */
export function buildBaskets(
  keys: number,
  key: Int32Array,
  item: Int32Array,
  entry: Int32Array,
  itemCount: number,
): { baskets: Int32Array[]; entries: Int32Array[] } {
  const { offsets, order } = groupByKey(key, keys);
  const seen = new Int32Array(itemCount).fill(-1);
  const baskets: Int32Array[] = [];
  const entries: Int32Array[] = [];
  const items: number[] = [];
  const links: number[] = [];
  for (let g = 0; g < keys; g++) {
    items.length = 0;
    links.length = 0;
    for (let p = offsets[g]!; p < offsets[g + 1]!; p++) {
      const position = order[p]!;
      const i = item[position]!;
      if (seen[i] === g) continue;
      seen[i] = g;
      items.push(i);
      links.push(entry[position]!);
    }
    if (items.length >= 2) {
      baskets.push(Int32Array.from(items));
      entries.push(Int32Array.from(links));
    }
  }
  return { baskets, entries };
}

/** Which log entries to keep: a predicate over entry indices, or a mask with 1 for kept entries. */
export type EntryFilter = ((entry: number) => boolean) | Uint8Array;

/**
 * A dataset holding only some of `base`'s log entries, with the same IdMaps (so user and item
 * indices stay comparable across train and test) and the same catalog. The matrix, sequences and
 * baskets are rebuilt from the kept entries: a sequence element or basket item survives only if
 * the log entry it belongs to does, so a held-out pair leaks nothing into training. Datasets not
 * made by `buildDataset`/`datasetFromLog` lack those links; their sequences are then rebuilt from
 * the kept entries (one element per entry) and their baskets are dropped.
 *
 * @example
 * const recent = datasetFromLog(dataset, (e) => dataset.log.time[e]! >= cutoff);
 */
export function datasetFromLog(base: Dataset, keep: EntryFilter): Dataset {
  const n = base.log.length;
  const mask = keep instanceof Uint8Array ? keep : Uint8Array.from({ length: n }, (_, e) => (keep(e) ? 1 : 0));
  const newIndex = new Int32Array(n).fill(-1);
  let length = 0;
  for (let e = 0; e < n; e++) if (mask[e]) newIndex[e] = length++;
  const log = subsetLog(base.log, newIndex, length);
  const matrix = csrFromTriples(base.users.ids.length, base.items.ids.length, log.user, log.item, log.weight);
  const links = provenance.get(base);
  let sequences: { items: Int32Array; times: Float64Array }[];
  let sequenceEntries: Int32Array[];
  let baskets: Int32Array[] = [];
  const basketEntries: Int32Array[] = [];
  if (links) {
    sequences = [];
    sequenceEntries = [];
    base.sequences.forEach((sequence, u) => {
      const from = links.sequenceEntries[u]!;
      const picked = pick(from, newIndex);
      sequences.push({ items: gather(sequence.items, picked), times: gather(sequence.times, picked) });
      sequenceEntries.push(remap(from, picked, newIndex));
    });
    base.baskets.forEach((basket, b) => {
      const from = links.basketEntries[b]!;
      const picked = pick(from, newIndex);
      if (picked.length < 2) return;
      baskets.push(gather(basket, picked));
      basketEntries.push(remap(from, picked, newIndex));
    });
  } else {
    const entry = Int32Array.from({ length }, (_, e) => e);
    ({ sequences, entries: sequenceEntries } = buildSequences(base.users.ids.length, log.user, log.item, log.time, entry));
    baskets = [];
  }
  const dataset: Dataset = { users: base.users, items: base.items, log, matrix, sequences, baskets, catalog: base.catalog };
  recordProvenance(dataset, sequenceEntries, basketEntries);
  return dataset;
}

/**
 * One user's row of the interaction matrix: item indices (ascending) and summed weights, as views
 * into the matrix (no copy). `user` is an index or an external id; an unknown id gives empty rows.
 */
export function interactionsOf(dataset: Dataset, user: number | string): { items: Int32Array; weights: Float32Array } {
  const u = typeof user === 'number' ? user : dataset.users.index.get(user) ?? -1;
  const m = dataset.matrix;
  if (!(u >= 0 && u < m.rows)) return { items: new Int32Array(0), weights: new Float32Array(0) };
  const start = m.indptr[u]!;
  const end = m.indptr[u + 1]!;
  return { items: m.indices.subarray(start, end), weights: m.data.subarray(start, end) };
}

function subsetLog(log: InteractionLog, newIndex: Int32Array, length: number): InteractionLog {
  const user = new Int32Array(length);
  const item = new Int32Array(length);
  const weight = new Float32Array(length);
  const rating = new Float32Array(length);
  const time = new Float64Array(length);
  const type: EventType[] = new Array(length);
  for (let e = 0; e < log.length; e++) {
    const k = newIndex[e]!;
    if (k < 0) continue;
    user[k] = log.user[e]!;
    item[k] = log.item[e]!;
    weight[k] = log.weight[e]!;
    rating[k] = log.rating[e]!;
    time[k] = log.time[e]!;
    type[k] = log.type[e]!;
  }
  return { length, user, item, weight, rating, time, type };
}

/** Positions within `entries` whose log entry is kept. */
function pick(entries: Int32Array, newIndex: Int32Array): Int32Array {
  let count = 0;
  for (let j = 0; j < entries.length; j++) if (newIndex[entries[j]!]! >= 0) count++;
  const picked = new Int32Array(count);
  count = 0;
  for (let j = 0; j < entries.length; j++) if (newIndex[entries[j]!]! >= 0) picked[count++] = j;
  return picked;
}

function gather<T extends Int32Array | Float64Array>(values: T, positions: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = values[positions[j]!]!;
  return out;
}

function remap(entries: Int32Array, positions: Int32Array, newIndex: Int32Array): Int32Array {
  const out = new Int32Array(positions.length);
  for (let j = 0; j < positions.length; j++) out[j] = newIndex[entries[positions[j]!]!]!;
  return out;
}
