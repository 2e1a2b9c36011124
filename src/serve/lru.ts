/**
 * A small least-recently-used cache on top of Map's insertion order: a hit moves the key to the
 * back, an insert beyond capacity drops the front. Enough for per-recId lists and user histories.
 */

/** Bounded map that forgets the least recently used key first. */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  /**
   * Kept across evictions: a fresh `keys()` walks every hole that recent deletes left at the front
   * of the Map (thousands in a full cache), while a live iterator skips each hole once.
   */
  private oldest: IterableIterator<K> | null = null;

  /** Creates a cache holding at most `capacity` entries (at least 1). */
  constructor(private readonly capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** The value under `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value under `key` without touching its recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
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
    for (const [key, value] of this.entries) if (match(key, value)) this.entries.delete(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
    this.oldest = null;
  }

  /** Keys from least to most recently used. */
  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }
}
