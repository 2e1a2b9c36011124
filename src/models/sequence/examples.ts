/**
 * From per-user item sequences to what the sequence models train and serve on: fixed-length
 * training windows (input items and next-item targets, left-padded), a held-out last item per
 * validation user, and each user's recent items for serving.
 */
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';

/** Marks an empty slot in windows and tails (before the first item of a short sequence). */
export const PAD = -1;

/**
 * The known items of `sequence` in order, runs of one item collapsed (viewing an item three
 * times in a row is one step, not three), the last `limit` kept.
 *
 * @example
 * recentItems([4, 4, 7, 99, 2], 10, 2); // [7, 2]: 99 is not an item, the run of 4 is one step
 */
export function recentItems(sequence: ArrayLike<number>, items: number, limit = Infinity): number[] {
  const path: number[] = [];
  for (let t = 0; t < sequence.length; t++) {
    const item = sequence[t]!;
    if (!Number.isInteger(item) || item < 0 || item >= items || path[path.length - 1] === item) continue;
    path.push(item);
  }
  return path.length > limit ? path.slice(path.length - limit) : path;
}

/** Writes the last `length` entries of `path` into `out` right-aligned, PAD before them. */
export function leftPad(path: readonly number[], length: number, out: Int32Array, offset = 0): void {
  const start = Math.max(0, path.length - length);
  const pad = length - (path.length - start);
  for (let t = 0; t < pad; t++) out[offset + t] = PAD;
  for (let t = start; t < path.length; t++) out[offset + pad + t - start] = path[t]!;
}

/** Held-out last items: the validation users' inputs, targets and the items to rank them against. */
export interface ValidationSet {
  readonly count: number;
  /** count × maxLength inputs, left-padded. */
  readonly inputs: Int32Array;
  /** The held-out next item of each validation user. */
  readonly targets: Int32Array;
  /** Items each user saw in training (CSR over users): left out of their ranking, as evaluation does. */
  readonly seenOffsets: Int32Array;
  readonly seenItems: Int32Array;
}

/** Everything a sequence model trains on. */
export interface SequenceTrainingSet {
  /** Windows of maxLength + 1 items each: inputs are entries 0..L−1, targets 1..L; left-padded. */
  readonly windows: Int32Array;
  readonly windowCount: number;
  readonly validation: ValidationSet;
  /** users × maxLength: each user's most recent items (validation items included), for serving. */
  readonly tails: Int32Array;
  /** How often each item occurs in the collapsed sequences: the fallback for an empty history. */
  readonly popularity: Float32Array;
  /** 1 for items that occur in some sequence; the others are never sampled nor recommended. */
  readonly known: Uint8Array;
  /** Each user's training path (runs collapsed, validation targets removed), oldest first. */
  readonly paths: readonly (readonly number[])[];
}

/**
 * Builds the training set. With `validationUsers` > 0, that many users (a seeded sample among
 * those with at least three steps) lose their last item from training: every occurrence of it,
 * as `leave-last-out` evaluation drops the whole held-out pair, so validation mirrors the test.
 * The remaining path of every user is cut into windows from its end backwards, so each step
 * after the first is a target exactly once per epoch.
 */
export function buildTrainingSet(data: Dataset, maxLength: number, validationUsers: number, seed: number): SequenceTrainingSet {
  const items = data.matrix.cols;
  const users = data.matrix.rows;
  const paths = Array.from({ length: users }, (_, u) => recentItems(data.sequences[u]?.items ?? [], items));
  const tails = new Int32Array(users * maxLength);
  const popularity = new Float32Array(items);
  const known = new Uint8Array(items);
  paths.forEach((path, u) => {
    leftPad(path, maxLength, tails, u * maxLength);
    for (const item of path) {
      popularity[item]!++;
      known[item] = 1;
    }
  });

  const candidates = paths.flatMap((path, u) => (path.length >= 3 ? [u] : []));
  const chosen = Int32Array.from(new Random(seed ^ 0x5eed).shuffle(candidates).slice(0, validationUsers)).sort();
  const validation = buildValidation(paths, chosen, maxLength);
  const held = new Set(chosen);
  const train = paths.map((path, u) => (held.has(u) ? withoutItem(path, path[path.length - 1]!) : path));

  let windowCount = 0;
  for (const path of train) if (path.length >= 2) windowCount += Math.ceil((path.length - 1) / maxLength);
  const span = maxLength + 1;
  const windows = new Int32Array(windowCount * span);
  let w = 0;
  for (const path of train) {
    for (let end = path.length; end >= 2; end -= maxLength) {
      leftPad(path.slice(Math.max(0, end - span), end), span, windows, w * span);
      w++;
    }
  }
  return { windows, windowCount, validation, tails, popularity, known, paths: train };
}

function buildValidation(paths: readonly number[][], chosen: Int32Array, maxLength: number): ValidationSet {
  const count = chosen.length;
  const inputs = new Int32Array(count * maxLength);
  const targets = new Int32Array(count);
  const seenOffsets = new Int32Array(count + 1);
  const seen: number[] = [];
  chosen.forEach((u, v) => {
    const path = paths[u]!;
    const target = path[path.length - 1]!;
    const rest = withoutItem(path, target);
    leftPad(rest, maxLength, inputs, v * maxLength);
    targets[v] = target;
    seen.push(...new Set(rest));
    seenOffsets[v + 1] = seen.length;
  });
  return { count, inputs, targets, seenOffsets, seenItems: Int32Array.from(seen) };
}

/** The path with every occurrence of `item` removed and the runs this creates collapsed. */
function withoutItem(path: readonly number[], item: number): number[] {
  const out: number[] = [];
  for (const i of path) if (i !== item && out[out.length - 1] !== i) out.push(i);
  return out;
}
