import { Random } from '../math/random.js';
import { datasetFromLog, groupByKey } from './derive.js';
import type { Dataset } from './types.js';

const MS_PER_DAY = 86_400_000;

/**
 * How to hold out test interactions. Every protocol works on the dataset's log entries, which
 * should be de-duplicated (the default of `buildDataset`), or one pair could land on both sides.
 *
 * - `msr-item-stratified`: per item, its entries are shuffled and the first `pythonRound(ratio·n)`
 *   go to train (Microsoft Recommenders' `python_stratified_split(filter_by="item")`; `ratio`
 *   defaults to 0.75).
 * - `user-stratified`: the same per user.
 * - `leave-last-out`: each user's latest entry (by time; on equal times the later log entry) is
 *   the test entry; users with fewer than 2 entries stay wholly in train.
 * - `temporal`: a global time cut; entries at or after it are test. The cut is `cutoff` (epoch
 *   ms), or `testDays` before the latest entry, or the time that leaves the latest `testFraction`
 *   of entries for test (default 0.2; entries tied with the cut go to test too). Test entries whose user or
 *   item never appears in train are dropped from both sides, since no model could score them.
 */
export type SplitProtocol =
  | { name: 'msr-item-stratified'; ratio?: number }
  | { name: 'user-stratified'; ratio?: number }
  | { name: 'leave-last-out' }
  | { name: 'temporal'; cutoff?: number; testDays?: number; testFraction?: number };

/** The name of a {@link SplitProtocol}. */
export type SplitName = SplitProtocol['name'];

/** A train/test pair sharing the IdMaps of the dataset they came from; `test.matrix` holds the held-out pairs. */
export interface Split {
  readonly train: Dataset;
  readonly test: Dataset;
}

/**
 * Python 3's `round`: halves go to the even neighbour (2.5 → 2, 3.5 → 4). Microsoft
 * Recommenders sizes each group's train part with it, so matching it matters for small groups:
 * an item with 2 interactions keeps both in train (1.5 → 2), one with 6 keeps 4 (4.5 → 4).
 */
export function pythonRound(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Splits a dataset into train and test, reproducibly for a given seed (only the stratified
 * protocols draw random numbers).
 *
 * @example
 * const { train, test } = splitDataset(dataset, 'msr-item-stratified', 42);
 * train.log.length + test.log.length === dataset.log.length; // true
 */
export function splitDataset(dataset: Dataset, protocol: SplitProtocol | SplitName, seed = 42): Split {
  const spec: SplitProtocol = typeof protocol === 'string' ? ({ name: protocol } as SplitProtocol) : protocol;
  const side = assignSides(dataset, spec, seed);
  return {
    train: datasetFromLog(dataset, (e) => side[e] === TRAIN),
    test: datasetFromLog(dataset, (e) => side[e] === TEST),
  };
}

/**
 * A validation split for tuning: the same protocol applied to the training part alone, so the
 * test part is never looked at. With `temporal` and an absolute `cutoff` (which lies after all
 * of train), the validation cut instead holds out the latest `testFraction` (default 0.2) of train.
 */
export function validationSplit(train: Dataset, protocol: SplitProtocol | SplitName, seed = 42): Split {
  const spec: SplitProtocol = typeof protocol === 'string' ? ({ name: protocol } as SplitProtocol) : protocol;
  if (spec.name === 'temporal' && spec.cutoff !== undefined && spec.testDays === undefined) {
    return splitDataset(train, { name: 'temporal', testFraction: spec.testFraction ?? 0.2 }, seed);
  }
  return splitDataset(train, spec, seed);
}

const DROPPED = 0;
const TRAIN = 1;
const TEST = 2;

/** The side of each log entry: TRAIN, TEST or DROPPED. */
function assignSides(dataset: Dataset, protocol: SplitProtocol, seed: number): Uint8Array {
  const log = dataset.log;
  switch (protocol.name) {
    case 'msr-item-stratified':
      return stratified(log.item, dataset.items.ids.length, protocol.ratio ?? 0.75, seed);
    case 'user-stratified':
      return stratified(log.user, dataset.users.ids.length, protocol.ratio ?? 0.75, seed);
    case 'leave-last-out':
      return leaveLastOut(dataset);
    case 'temporal':
      return temporal(dataset, protocol);
  }
}

function stratified(groupOf: Int32Array, groups: number, ratio: number, seed: number): Uint8Array {
  if (!(ratio > 0 && ratio < 1)) throw new RangeError(`split ratio must be in (0, 1), got ${ratio}`);
  const side = new Uint8Array(groupOf.length).fill(TEST);
  const { offsets, order } = groupByKey(groupOf, groups);
  const rng = new Random(seed);
  // Groups in index order, each shuffled in log order, so one seed fixes the whole split.
  for (let g = 0; g < groups; g++) {
    const members = order.subarray(offsets[g]!, offsets[g + 1]!);
    rng.shuffle(members);
    const trainCount = pythonRound(ratio * members.length);
    for (let j = 0; j < trainCount; j++) side[members[j]!] = TRAIN;
  }
  return side;
}

function leaveLastOut(dataset: Dataset): Uint8Array {
  const { user, time, length } = dataset.log;
  const side = new Uint8Array(length).fill(TRAIN);
  const users = dataset.users.ids.length;
  const last = new Int32Array(users).fill(-1);
  const count = new Int32Array(users);
  for (let e = 0; e < length; e++) {
    const u = user[e]!;
    count[u]!++;
    // `>=`: among equal times the later log entry counts as the latest.
    if (last[u]! < 0 || time[e]! >= time[last[u]!]!) last[u] = e;
  }
  for (let u = 0; u < users; u++) if (count[u]! >= 2) side[last[u]!] = TEST;
  return side;
}

function temporal(dataset: Dataset, protocol: Extract<SplitProtocol, { name: 'temporal' }>): Uint8Array {
  const { user, item, time, length } = dataset.log;
  const cutoff = temporalCutoff(time, length, protocol);
  const side = new Uint8Array(length);
  const userInTrain = new Uint8Array(dataset.users.ids.length);
  const itemInTrain = new Uint8Array(dataset.items.ids.length);
  for (let e = 0; e < length; e++) {
    if (time[e]! >= cutoff) continue;
    side[e] = TRAIN;
    userInTrain[user[e]!] = 1;
    itemInTrain[item[e]!] = 1;
  }
  for (let e = 0; e < length; e++) {
    if (side[e] === TRAIN) continue;
    side[e] = userInTrain[user[e]!] && itemInTrain[item[e]!] ? TEST : DROPPED;
  }
  return side;
}

function temporalCutoff(time: Float64Array, length: number, protocol: Extract<SplitProtocol, { name: 'temporal' }>): number {
  if (protocol.cutoff !== undefined) return protocol.cutoff;
  if (protocol.testDays !== undefined) {
    let latest = -Infinity;
    for (let e = 0; e < length; e++) latest = Math.max(latest, time[e]!);
    return latest - protocol.testDays * MS_PER_DAY;
  }
  const fraction = protocol.testFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${fraction}`);
  const testCount = pythonRound(fraction * length);
  if (testCount === 0) return Infinity;
  const sorted = Float64Array.from(time.subarray(0, length)).sort();
  return sorted[length - testCount]!;
}
