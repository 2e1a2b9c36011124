/**
 * Top-k selection over scores with a small binary heap kept in typed arrays, so selecting the
 * best 10 of a million items costs O(n log k) and allocates only the k-sized result.
 */

/** One selected entry: the item index and its score. */
export interface TopKEntry {
  item: number;
  score: number;
}

/** Items to leave out: a set of indices or a predicate returning true for excluded items. */
export type Exclusion = ReadonlySet<number> | ((item: number) => boolean);

/** Options of {@link topK}. */
export interface TopKOptions {
  /** Items never to return. */
  exclude?: Exclusion | undefined;
  /** Keep only items for which this returns true. */
  filter?: ((item: number) => boolean) | undefined;
}

/**
 * A bounded heap that keeps the k best (score, item) pairs seen so far. The root is the worst
 * kept pair, so a candidate is rejected with one comparison in the common case.
 * Ties are broken towards the lower item index, which keeps every ranking deterministic.
 * Reusable: call {@link TopKHeap.reset} between selections to avoid reallocating.
 */
export class TopKHeap {
  private readonly items: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;
  private limit: number;

  /** Creates a heap able to hold up to `capacity` entries. */
  constructor(capacity: number) {
    const cap = Math.max(0, Math.floor(capacity));
    this.items = new Int32Array(cap);
    this.scores = new Float64Array(cap);
    this.limit = cap;
  }

  /** Empties the heap and sets how many entries to keep (at most the capacity). */
  reset(k: number = this.items.length): void {
    this.size = 0;
    this.limit = Math.max(0, Math.min(Math.floor(k), this.items.length));
  }

  /** Number of entries held. */
  get length(): number {
    return this.size;
  }

  /** True when a candidate with this score and index would be kept by {@link TopKHeap.push}. */
  accepts(item: number, score: number): boolean {
    if (score !== score || this.limit === 0) return false;
    return this.size < this.limit || worse(this.scores[0]!, this.items[0]!, score, item);
  }

  /** Offers one candidate; NaN scores are ignored. */
  push(item: number, score: number): void {
    if (score !== score || this.limit === 0) return;
    const items = this.items;
    const scores = this.scores;
    if (this.size < this.limit) {
      // Sift up from the new leaf.
      let pos = this.size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(score, item, scores[parent]!, items[parent]!)) break;
        items[pos] = items[parent]!;
        scores[pos] = scores[parent]!;
        pos = parent;
      }
      items[pos] = item;
      scores[pos] = score;
      return;
    }
    if (!worse(scores[0]!, items[0]!, score, item)) return;
    this.siftDown(item, score);
  }

  /** Removes every entry and returns them best first. */
  drain(): TopKEntry[] {
    const out: TopKEntry[] = new Array<TopKEntry>(this.size);
    const items = this.items;
    const scores = this.scores;
    for (let i = this.size - 1; i >= 0; i--) {
      out[i] = { item: items[0]!, score: scores[0]! };
      const lastItem = items[i]!;
      const lastScore = scores[i]!;
      this.size = i;
      if (i > 0) this.siftDown(lastItem, lastScore);
    }
    return out;
  }

  /**
   * Removes every entry, writing them best first into `items`/`scores` from `offset`, with no
   * allocation; returns how many were written.
   */
  drainInto(items: Int32Array, scores: Float32Array | Float64Array, offset = 0): number {
    const count = this.size;
    for (let i = count - 1; i >= 0; i--) {
      items[offset + i] = this.items[0]!;
      scores[offset + i] = this.scores[0]!;
      const lastItem = this.items[i]!;
      const lastScore = this.scores[i]!;
      this.size = i;
      if (i > 0) this.siftDown(lastItem, lastScore);
    }
    return count;
  }

  private siftDown(item: number, score: number): void {
    const items = this.items;
    const scores = this.scores;
    const size = this.size;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && worse(scores[right]!, items[right]!, scores[child]!, items[child]!)) child = right;
      if (!worse(scores[child]!, items[child]!, score, item)) break;
      items[pos] = items[child]!;
      scores[pos] = scores[child]!;
      pos = child;
    }
    items[pos] = item;
    scores[pos] = score;
  }
}

/** True when (sa, ia) ranks below (sb, ib): lower score, or equal score and higher index. */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

/** True when `item` is excluded by a set or a predicate. */
export function isExcluded(exclude: Exclusion | undefined, item: number): boolean {
  if (exclude === undefined) return false;
  return typeof exclude === 'function' ? exclude(item) : exclude.has(item);
}

/**
 * The `k` highest scores, best first; ties go to the lower index. Entries scored NaN or
 * -Infinity (items a model knows nothing about) are never returned, so fewer than `k`
 * entries come back when fewer qualify.
 *
 * @example
 * topK(Float32Array.of(0.1, 0.9, 0.5), 2); // [{ item: 1, score: 0.9 }, { item: 2, score: 0.5 }]
 * topK(Float32Array.of(0.1, 0.9, 0.5), 2, { exclude: new Set([1]) }); // items 2, 0
 */
export function topK(scores: Float32Array | Float64Array, k: number, options: TopKOptions = {}): TopKEntry[] {
  const n = scores.length;
  const heap = new TopKHeap(Math.min(Math.max(0, Math.floor(k)), n));
  const { exclude, filter } = options;
  if (exclude === undefined && filter === undefined) {
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      if (s > -Infinity) heap.push(i, s);
    }
    return heap.drain();
  }
  const excludeSet = exclude !== undefined && typeof exclude !== 'function' ? exclude : undefined;
  const excludeFn = typeof exclude === 'function' ? exclude : undefined;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    // Score check first, so callbacks only run for items that could enter the heap.
    if (!(s > -Infinity) || !heap.accepts(i, s)) continue;
    if (excludeSet !== undefined && excludeSet.has(i)) continue;
    if (excludeFn !== undefined && excludeFn(i)) continue;
    if (filter !== undefined && !filter(i)) continue;
    heap.push(i, s);
  }
  return heap.drain();
}
