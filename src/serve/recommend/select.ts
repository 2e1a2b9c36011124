/**
 * Selection of the best `depth` catalogue items by (tier, key, tie-break), with a bounded heap in
 * typed arrays: most items are rejected by one comparison against the worst kept entry, before
 * any filter runs — the filters are the costly part per item.
 */
import type { RankedList, TierValue } from './ranked.js';

/** Keeps the best entries by tier, then key, then tie-break, then lower index. */
export class RankHeap {
  private readonly item: Int32Array;
  private readonly tier: Int8Array;
  private readonly key: Float64Array;
  private readonly tie: Float64Array;
  private size = 0;
  private limit = 0;

  constructor(capacity: number) {
    this.item = new Int32Array(capacity);
    this.tier = new Int8Array(capacity);
    this.key = new Float64Array(capacity);
    this.tie = new Float64Array(capacity);
  }

  /** Capacity of the heap. */
  get capacity(): number {
    return this.item.length;
  }

  /** Empties the heap and keeps at most `k` entries from now on. */
  reset(k: number): void {
    this.size = 0;
    this.limit = Math.max(0, Math.min(k, this.item.length));
  }

  /** Entries held. */
  get length(): number {
    return this.size;
  }

  /** Whether a candidate would be kept (check this before running filters). */
  accepts(c: number, tier: number, key: number, tie: number): boolean {
    if (this.limit === 0 || key !== key) return false;
    return this.size < this.limit || below(this.tier[0]!, this.key[0]!, this.tie[0]!, this.item[0]!, tier, key, tie, c);
  }

  /** Offers a candidate (call {@link accepts} first). */
  push(c: number, tier: number, key: number, tie: number): void {
    if (this.size < this.limit) {
      let pos = this.size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!below(tier, key, tie, c, this.tier[parent]!, this.key[parent]!, this.tie[parent]!, this.item[parent]!)) break;
        this.move(parent, pos);
        pos = parent;
      }
      this.put(pos, c, tier, key, tie);
      return;
    }
    this.siftDown(c, tier, key, tie);
  }

  /** Removes every entry into a ranked list, best first. */
  drain(exhausted: boolean): RankedList {
    const n = this.size;
    const items = new Array<number>(n);
    const scores = new Array<number>(n);
    const tiers = new Array<TierValue>(n);
    for (let i = n - 1; i >= 0; i--) {
      items[i] = this.item[0]!;
      scores[i] = this.key[0]!;
      tiers[i] = this.tier[0]! as TierValue;
      const last = i;
      this.size = i;
      if (i > 0) this.siftDown(this.item[last]!, this.tier[last]!, this.key[last]!, this.tie[last]!);
    }
    return { items, scores, tiers, exhausted };
  }

  private siftDown(c: number, tier: number, key: number, tie: number): void {
    const size = this.size;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && below(this.tier[right]!, this.key[right]!, this.tie[right]!, this.item[right]!, this.tier[child]!, this.key[child]!, this.tie[child]!, this.item[child]!)) {
        child = right;
      }
      if (!below(this.tier[child]!, this.key[child]!, this.tie[child]!, this.item[child]!, tier, key, tie, c)) break;
      this.move(child, pos);
      pos = child;
    }
    this.put(pos, c, tier, key, tie);
  }

  private move(from: number, to: number): void {
    this.item[to] = this.item[from]!;
    this.tier[to] = this.tier[from]!;
    this.key[to] = this.key[from]!;
    this.tie[to] = this.tie[from]!;
  }

  private put(pos: number, c: number, tier: number, key: number, tie: number): void {
    this.item[pos] = c;
    this.tier[pos] = tier;
    this.key[pos] = key;
    this.tie[pos] = tie;
  }
}

/** True when entry a ranks below entry b. */
function below(ta: number, ka: number, ea: number, ia: number, tb: number, kb: number, eb: number, ib: number): boolean {
  if (ta !== tb) return ta < tb;
  if (ka !== kb) return ka < kb;
  if (ea !== eb) return ea < eb;
  return ia > ib;
}
