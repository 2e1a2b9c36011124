/**
 * Training rows of the two-tower model. Each epoch, every user's distinct training items are
 * shuffled and cut into small groups; a row's targets are one group and its context
 * is the user's most recent other distinct items — the bag the user tower reads at serving
 * time, with the targets left out. Several targets per row share one pass of the user tower,
 * which is most of a step's cost, so an epoch (every item a target once) takes fewer steps.
 */
import { Random } from '../../math/random.js';
import { PAD } from '../sequence/examples.js';

/**
 * The distinct items of `sequence` from the most recent backwards, at most `limit`; entries that
 * are not whole numbers in [0, items) are skipped.
 *
 * @example
 * distinctRecent([4, 7, 4, 99, 2], 10, 3); // [2, 4, 7]
 */
export function distinctRecent(sequence: ArrayLike<number>, items: number, limit: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (let t = sequence.length - 1; t >= 0 && out.length < limit; t--) {
    const item = sequence[t]!;
    if (!Number.isInteger(item) || item < 0 || item >= items || seen.has(item)) continue;
    seen.add(item);
    out.push(item);
  }
  return out;
}

/** Every user's distinct training items, most recent first (CSR over users). */
export interface UserBags {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
}

/** The bags of `paths` (each oldest first). */
export function userBags(paths: readonly (readonly number[])[], items: number): UserBags {
  const offsets = new Int32Array(paths.length + 1);
  const all: number[] = [];
  paths.forEach((path, u) => {
    all.push(...distinctRecent(path, items, Infinity));
    offsets[u + 1] = all.length;
  });
  return { offsets, items: Int32Array.from(all) };
}

/** One epoch's rows: each a user and a group of target items (CSR over rows), in random order. */
export interface EpochRows {
  readonly count: number;
  readonly users: Int32Array;
  readonly targetOffsets: Int32Array;
  readonly targets: Int32Array;
}

/**
 * Shuffles each bag, cuts it into groups, and shuffles the groups. A group holds `targetsPerRow`
 * items, but never more than a quarter of its bag (at least one), so the context keeps most
 * of the user's items.
 */
export function epochRows(bags: UserBags, targetsPerRow: number, random: Random): EpochRows {
  const users: number[] = [];
  const groups: Int32Array[] = [];
  for (let u = 0; u + 1 < bags.offsets.length; u++) {
    const bag = random.shuffle(bags.items.slice(bags.offsets[u]!, bags.offsets[u + 1]!));
    const size = Math.max(1, Math.min(targetsPerRow, Math.floor(bag.length / 4)));
    for (let start = 0; start < bag.length; start += size) {
      users.push(u);
      groups.push(bag.subarray(start, Math.min(bag.length, start + size)));
    }
  }
  const order = random.shuffle(Int32Array.from({ length: users.length }, (_, r) => r));
  const targetOffsets = new Int32Array(users.length + 1);
  const targets = new Int32Array(bags.items.length);
  order.forEach((r, k) => {
    targets.set(groups[r]!, targetOffsets[k]!);
    targetOffsets[k + 1] = targetOffsets[k]! + groups[r]!.length;
  });
  return { count: users.length, users: Int32Array.from(order, (r) => users[r]!), targetOffsets, targets };
}

/**
 * Contexts of rows `first … first + count − 1`: count × maxLength items, each row the user's most
 * recent distinct items without the row's targets, PAD after them.
 */
export function packContexts(bags: UserBags, rows: EpochRows, first: number, count: number, maxLength: number): Int32Array {
  const out = new Int32Array(count * maxLength).fill(PAD);
  for (let r = 0; r < count; r++) {
    const row = first + r;
    const u = rows.users[row]!;
    const targets = rows.targets.subarray(rows.targetOffsets[row]!, rows.targetOffsets[row + 1]!);
    let t = 0;
    for (let p = bags.offsets[u]!; p < bags.offsets[u + 1]! && t < maxLength; p++) {
      const item = bags.items[p]!;
      if (!targets.includes(item)) out[r * maxLength + t++] = item;
    }
  }
  return out;
}

