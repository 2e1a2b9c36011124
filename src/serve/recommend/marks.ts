/**
 * A set of catalogue indices for the length of one synchronous ranking: the members are stamped
 * into one shared array, so a membership test is one read from a small contiguous block instead
 * of a probe into a per-shopper hash set that is cold in the cache.
 */

/** Catalogue indices marked for one ranking; read-only, as filters expect. */
export class MarkedSet implements ReadonlySet<number> {
  private static stamps = new Int32Array(1024);
  private static epoch = 0;
  private readonly stamp: number;

  private constructor(private readonly members: Int32Array) {
    this.stamp = MarkedSet.epoch;
  }

  /**
   * Marks `members` (distinct catalogue indices) and returns the set. Valid until the next call: use it only within the
   * synchronous ranking it was made for (a later call would make it answer false).
   *
   * @example
   * const bought = MarkedSet.of(Int32Array.of(3, 7));
   * bought.has(7); // true
   */
  static of(members: Int32Array): MarkedSet {
    let max = -1;
    for (let k = 0; k < members.length; k++) if (members[k]! > max) max = members[k]!;
    if (max >= MarkedSet.stamps.length) {
      const grown = new Int32Array(Math.max(max + 1, MarkedSet.stamps.length * 2));
      grown.set(MarkedSet.stamps);
      MarkedSet.stamps = grown;
    }
    if (++MarkedSet.epoch === 0x7fffffff) {
      MarkedSet.stamps.fill(0);
      MarkedSet.epoch = 1;
    }
    const stamps = MarkedSet.stamps;
    const epoch = MarkedSet.epoch;
    for (let k = 0; k < members.length; k++) stamps[members[k]!] = epoch;
    return new MarkedSet(members);
  }

  has(c: number): boolean {
    return c >= 0 && c < MarkedSet.stamps.length && MarkedSet.stamps[c] === this.stamp && this.stamp === MarkedSet.epoch;
  }

  get size(): number {
    return this.members.length;
  }

  forEach(visit: (value: number, key: number, set: ReadonlySet<number>) => void): void {
    for (const c of this.members) visit(c, c, this);
  }

  entries(): SetIterator<[number, number]> {
    return new Set(this.members).entries();
  }

  keys(): SetIterator<number> {
    return this.values();
  }

  values(): SetIterator<number> {
    return new Set(this.members).values();
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.values();
  }
}
