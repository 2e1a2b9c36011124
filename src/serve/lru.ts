/**
 * A small least-recently-used cache on top of Map's insertion order: a hit moves the key to the
 * back, an insert beyond capacity drops the front. Enough for per-recId lists and user histories.
 *
 * A hit on a key moved to the back only recently (within the last quarter of the capacity's worth
 * of moves) leaves it where it is: the move is a delete and an insert into a large hash table,
 * the dearest part of a hit, and such a key is still in the newest quarter of the order, so it
 * cannot be dropped before three quarters of the capacity have been inserted after it. Eviction
 * is therefore LRU to within a quarter of the capacity.
 */

interface Slot<V> {
  value: V;
  /** Value of the move clock when the key last went to the back. */
  movedAt: number;
}

/** Bounded map that forgets the least recently used key first (to within a quarter of its capacity). */
export class Lru<K, V> {
  private readonly entries = new Map<K, Slot<V>>();
  /**
   * Kept across evictions: a fresh `keys()` walks every hole that recent deletes left at the front
   * of the Map (thousands in a full cache), while a live iterator skips each hole once.
   */
  private oldest: IterableIterator<K> | null = null;
  /** Moves to the back so far. */
  private clock = 0;
  /** Hits on a key moved fewer than this many moves ago leave it in place. */
  private readonly slack: number;

  /** Creates a cache holding at most `capacity` entries (at least 1). */
  constructor(private readonly capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.slack = Math.floor(this.capacity / 4);
  }

  /** The value under `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const slot = this.entries.get(key);
    if (slot === undefined) return undefined;
    if (this.clock - slot.movedAt >= this.slack) {
      this.entries.delete(key);
      this.entries.set(key, slot);
      slot.movedAt = ++this.clock;
    }
    return slot.value;
  }

  /** The value under `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, movedAt: ++this.clock });
    if (this.entries.size > this.capacity) {
      this.oldest ??= this.entries.keys();
      let oldest = this.oldest.next();
      if (oldest.done) {
        this.oldest = this.entries.keys();
        oldest = this.oldest.next();
      }
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  /** Drops one entry; true when it was there. */
  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Drops every entry whose key matches. */
  deleteWhere(match: (key: K, value: V) => boolean): void {
    for (const [key, slot] of this.entries) if (match(key, slot.value)) this.entries.delete(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.oldest = null;
  }

  /** Keys from least to most recently used (to within a quarter of the capacity). */
  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }
}
