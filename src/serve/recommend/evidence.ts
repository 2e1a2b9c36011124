/**
 * Sparse evidence for one request (co-purchase partners, similar items): a score and a tier per
 * catalogue index, in arrays reused across requests and cleared in O(1) by bumping an epoch.
 */
import type { TierValue } from './ranked.js';

/** Per-request sparse scores over catalogue indices. */
export class EvidenceBoard {
  private stamp = new Int32Array(0);
  private tierOf = new Int8Array(0);
  private scoreOf = new Float64Array(0);
  private epoch = 0;
  /** Catalogue indices with evidence this request, in the order first set. */
  readonly items: number[] = [];

  /** Clears the board and makes room for `size` catalogue indices. */
  reset(size: number): this {
    if (this.stamp.length < size) {
      const n = Math.max(size, this.stamp.length * 2, 64);
      this.stamp = new Int32Array(n);
      this.tierOf = new Int8Array(n);
      this.scoreOf = new Float64Array(n);
      this.epoch = 0;
    }
    if (++this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    this.items.length = 0;
    return this;
  }

  /** Adds `score` to item `c` in `tier`; a higher tier replaces a lower one. */
  add(c: number, tier: TierValue, score: number): void {
    if (this.stamp[c] !== this.epoch) {
      this.stamp[c] = this.epoch;
      this.tierOf[c] = tier;
      this.scoreOf[c] = score;
      this.items.push(c);
      return;
    }
    if (tier > this.tierOf[c]!) {
      this.tierOf[c] = tier;
      this.scoreOf[c] = score;
    } else if (tier === this.tierOf[c]) this.scoreOf[c]! += score;
  }

  /** Whether `c` has evidence this request. */
  has(c: number): boolean {
    return this.stamp[c] === this.epoch;
  }

  /** The tier of `c` (valid when {@link has}). */
  tier(c: number): TierValue {
    return this.tierOf[c]! as TierValue;
  }

  /** The summed score of `c` in its tier (valid when {@link has}). */
  score(c: number): number {
    return this.scoreOf[c]!;
  }

  /** Items with evidence this request. */
  get size(): number {
    return this.items.length;
  }
}
