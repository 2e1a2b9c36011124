/**
 * Negative sampling for the sequence models: one set of distinct items per batch, shared by all
 * positions (scored with one matMul instead of a gather per position), plus the mask of
 * "accidental hits" where a position's own target was drawn as a negative.
 */
import { Random } from '../../math/random.js';

/** Draws `count` distinct items per call, uniformly among the known items, reproducibly for a seed. */
export class NegativeSampler {
  private readonly pool: Int32Array;
  private readonly slot: Int32Array;
  private readonly random: Random;
  /** Items per draw: `count`, or every known item when there are fewer. */
  readonly size: number;

  /** @param known 1 for items that may be drawn. */
  constructor(known: Uint8Array, count: number, seed: number) {
    const pool: number[] = [];
    known.forEach((k, item) => {
      if (k === 1) pool.push(item);
    });
    this.pool = Int32Array.from(pool);
    this.slot = new Int32Array(known.length).fill(-1);
    this.random = new Random(seed);
    this.size = Math.min(count, pool.length);
  }

  /** True when every known item is drawn each time (an exact softmax over the catalogue). */
  get exhaustive(): boolean {
    return this.size === this.pool.length;
  }

  /**
   * The next draw: a partial Fisher–Yates shuffle of the pool (O(size)); the pool keeps its
   * permuted order between calls, which is still uniform for the next draw.
   */
  draw(): Int32Array {
    const pool = this.pool;
    const n = pool.length;
    if (!this.exhaustive) {
      for (let i = 0; i < this.size; i++) {
        const j = i + this.random.nextInt(n - i);
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
      }
    }
    return pool.slice(0, this.size);
  }

  /**
   * For each target, the column of `negatives` holding it (an "accidental hit"), or −1. A draw
   * holds distinct items, so there is at most one per target.
   */
  hits(targets: Int32Array, negatives: Int32Array): Int32Array {
    const out = new Int32Array(targets.length);
    negatives.forEach((item, j) => (this.slot[item] = j));
    targets.forEach((target, p) => {
      out[p] = target >= 0 && target < this.slot.length ? this.slot[target]! : -1;
    });
    negatives.forEach((item) => (this.slot[item] = -1));
    return out;
  }
}
