/**
 * Frequent itemsets of size ≤ 3 by Apriori (level-wise, a triple counted only when all three of
 * its pairs are frequent) and the rules they yield, with single-item consequents.
 */

/** Options of {@link mineRules}. */
export interface MiningOptions {
  /** Fraction of baskets an itemset must appear in. */
  minSupport: number;
  /** Minimum P(consequent | antecedent). */
  minConfidence: number;
  /** Minimum confidence / P(consequent). */
  minLift: number;
  /** Largest itemset mined: 2 gives rules a → b, 3 adds {a, b} → c. */
  maxLength: number;
  /**
   * Baskets with more frequent items than this count toward single-item support only. Pair and
   * triple counting costs O(size²) and O(size³) per basket, and a "basket" of a user's 2,000
   * rated films says little about what is bought together. Default: no limit.
   */
  maxBasketSize?: number;
}

/**
 * Rules as CSR tables over item indices, rows by (lower) antecedent in no particular order within
 * a row (callers rank them). Counts are kept rather than ratios, so support, confidence and lift
 * are exact: confidence = count / antecedentCount, lift = confidence · baskets / itemCounts[consequent].
 */
export interface RuleTable {
  baskets: number;
  /** Baskets holding each item. */
  itemCounts: Float64Array;
  /** Rules {a} → c, rows by a. */
  singleIndptr: Int32Array;
  singleConsequent: Int32Array;
  singleCount: Float64Array;
  /** Rules {a, b} → c with a < b, rows by a. */
  pairIndptr: Int32Array;
  pairOther: Int32Array;
  pairConsequent: Int32Array;
  pairCount: Float64Array;
  pairAntecedentCount: Float64Array;
}

/** Rows of item indices as one flat CSR (a few large typed arrays beat thousands of small ones). */
interface Rows {
  indptr: Int32Array;
  items: Int32Array;
}

/** Frequent pairs (a < b): row a lists its partners b ascending with their counts. */
interface PairTable {
  indptr: Int32Array;
  other: Int32Array;
  count: Int32Array;
}

/** An append-only column store of rules (a, b, c, count, antecedent count); b = -1 for {a} → c. */
class RuleBuffer {
  length = 0;
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  c = new Int32Array(1024);
  count = new Float64Array(1024);
  antecedent = new Float64Array(1024);

  push(a: number, b: number, c: number, count: number, antecedent: number): void {
    if (this.length === this.a.length) this.grow();
    const k = this.length++;
    this.a[k] = a;
    this.b[k] = b;
    this.c[k] = c;
    this.count[k] = count;
    this.antecedent[k] = antecedent;
  }

  /** Groups the rules by `a` (stable) into CSR over `items` rows. */
  toRows(items: number): { indptr: Int32Array; other: Int32Array; consequent: Int32Array; count: Float64Array; antecedent: Float64Array } {
    const n = this.length;
    const indptr = new Int32Array(items + 1);
    for (let k = 0; k < n; k++) indptr[this.a[k]! + 1]!++;
    for (let i = 0; i < items; i++) indptr[i + 1]! += indptr[i]!;
    const cursor = indptr.slice(0, items);
    const out = { indptr, other: new Int32Array(n), consequent: new Int32Array(n), count: new Float64Array(n), antecedent: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      const q = cursor[this.a[k]!]!++;
      out.other[q] = this.b[k]!;
      out.consequent[q] = this.c[k]!;
      out.count[q] = this.count[k]!;
      out.antecedent[q] = this.antecedent[k]!;
    }
    return out;
  }

  private grow(): void {
    const size = this.a.length * 2;
    const widen = <T extends Int32Array | Float64Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(size);
      next.set(old);
      return next;
    };
    this.a = widen(this.a);
    this.b = widen(this.b);
    this.c = widen(this.c);
    this.count = widen(this.count);
    this.antecedent = widen(this.antecedent);
  }
}

/**
 * Mines rules from baskets of item indices (items outside [0, items) and repeats are ignored).
 * Cost is dominated by pair counting, Σ_b |b ∩ frequent|², and triple counting over items that
 * pair frequently; memory is O(items + frequent pairs + rules).
 *
 * @example
 * const table = mineRules([Int32Array.of(0, 1), Int32Array.of(0, 1, 2)], 3, { minSupport: 0.5, minConfidence: 0, minLift: 0, maxLength: 3 });
 */
export function mineRules(baskets: readonly ArrayLike<number>[], items: number, options: MiningOptions): RuleTable {
  const total = baskets.length;
  // The epsilon keeps 0.001 × 20000 (= 20.000000000000004) from demanding 21 baskets.
  const minCount = Math.max(1, Math.ceil(options.minSupport * total - 1e-9));
  const itemCounts = new Float64Array(items);
  const { global, rows } = frequentBaskets(baskets, items, itemCounts, minCount, options.maxBasketSize ?? Infinity);
  const f = global.length;
  const byItem = invert(rows, f);
  const pairs = countPairs(rows, byItem, f, minCount);
  const keep = (count: number, antecedent: number, consequent: number): boolean => {
    const confidence = count / antecedent;
    return confidence >= options.minConfidence && (confidence * total) / itemCounts[consequent]! >= options.minLift;
  };
  const singles = new RuleBuffer();
  for (let a = 0; a < f; a++) {
    const ga = global[a]!;
    for (let p = pairs.indptr[a]!; p < pairs.indptr[a + 1]!; p++) {
      const gb = global[pairs.other[p]!]!;
      const count = pairs.count[p]!;
      if (keep(count, itemCounts[ga]!, gb)) singles.push(ga, -1, gb, count, itemCounts[ga]!);
      if (keep(count, itemCounts[gb]!, ga)) singles.push(gb, -1, ga, count, itemCounts[gb]!);
    }
  }
  const doubles = new RuleBuffer();
  if (options.maxLength >= 3) {
    // Local indices ascend with global ones, so each antecedent's lower item comes first.
    countTriples(rows, byItem, pairs, f, minCount, (a, b, c, count) => {
      const [ga, gb, gc] = [global[a]!, global[b]!, global[c]!];
      const ab = pairCount(pairs, a, b);
      const ac = pairCount(pairs, a, c);
      const bc = pairCount(pairs, b, c);
      if (keep(count, ab, gc)) doubles.push(ga, gb, gc, count, ab);
      if (keep(count, ac, gb)) doubles.push(ga, gc, gb, count, ac);
      if (keep(count, bc, ga)) doubles.push(gb, gc, ga, count, bc);
    });
  }
  const single = singles.toRows(items);
  const pair = doubles.toRows(items);
  return {
    baskets: total,
    itemCounts,
    singleIndptr: single.indptr,
    singleConsequent: single.consequent,
    singleCount: single.count,
    pairIndptr: pair.indptr,
    pairOther: pair.other,
    pairConsequent: pair.consequent,
    pairCount: pair.count,
    pairAntecedentCount: pair.antecedent,
  };
}

/** Counts items, then rewrites baskets over frequent items only (local indices, ascending). */
function frequentBaskets(baskets: readonly ArrayLike<number>[], items: number, itemCounts: Float64Array, minCount: number, maxSize: number): { global: number[]; rows: Rows } {
  const stamp = new Int32Array(items).fill(-1);
  baskets.forEach((basket, b) => {
    for (let k = 0; k < basket.length; k++) {
      const i = basket[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= items || stamp[i] === b) continue;
      stamp[i] = b;
      itemCounts[i]!++;
    }
  });
  const local = new Int32Array(items).fill(-1);
  const global: number[] = [];
  for (let i = 0; i < items; i++) if (itemCounts[i]! >= minCount) local[i] = global.push(i) - 1;
  stamp.fill(-1);
  const indptr: number[] = [0];
  const flat: number[] = [];
  baskets.forEach((basket, b) => {
    const start = flat.length;
    for (let k = 0; k < basket.length; k++) {
      const i = basket[k]!;
      if (!Number.isInteger(i) || i < 0 || i >= items || local[i]! < 0 || stamp[i] === b) continue;
      stamp[i] = b;
      flat.push(local[i]!);
    }
    if (flat.length - start < 2 || flat.length - start > maxSize) flat.length = start;
    else indptr.push(flat.length);
  });
  const sorted = Int32Array.from(flat);
  for (let r = 0; r + 1 < indptr.length; r++) sorted.subarray(indptr[r]!, indptr[r + 1]!).sort();
  return { global, rows: { indptr: Int32Array.from(indptr), items: sorted } };
}

/** Item → rows holding it. */
function invert(rows: Rows, f: number): Rows {
  const count = rows.indptr.length - 1;
  const indptr = new Int32Array(f + 1);
  for (const i of rows.items) indptr[i + 1]!++;
  for (let i = 0; i < f; i++) indptr[i + 1]! += indptr[i]!;
  const cursor = indptr.slice(0, f);
  const out = new Int32Array(indptr[f]!);
  for (let r = 0; r < count; r++) for (let p = rows.indptr[r]!; p < rows.indptr[r + 1]!; p++) out[cursor[rows.items[p]!]!++] = r;
  return { indptr, items: out };
}

/** Frequent pairs (a < b), counted one a at a time into a dense accumulator. */
function countPairs(rows: Rows, byItem: Rows, f: number, minCount: number): PairTable {
  const acc = new Int32Array(f);
  const indptr = new Int32Array(f + 1);
  const other: number[] = [];
  const count: number[] = [];
  const { indptr: rowPtr, items: rowItems } = rows;
  for (let a = 0; a < f; a++) {
    for (let p = byItem.indptr[a]!; p < byItem.indptr[a + 1]!; p++) {
      const r = byItem.items[p]!;
      const start = rowPtr[r]!;
      // Rows are sorted, so the items after a are exactly the tail above it.
      for (let k = rowPtr[r + 1]! - 1; k >= start && rowItems[k]! > a; k--) acc[rowItems[k]!]!++;
    }
    // A scan of the O(f) accumulator is cheaper than tracking touched slots in the hot loop.
    for (let b = a + 1; b < f; b++) {
      const c = acc[b]!;
      if (c === 0) continue;
      acc[b] = 0;
      if (c >= minCount) {
        other.push(b);
        count.push(c);
      }
    }
    indptr[a + 1] = other.length;
  }
  return { indptr, other: Int32Array.from(other), count: Int32Array.from(count) };
}

/** Co-occurrence count of a frequent pair x < y, or 0 when it is not frequent. */
function pairCount(pairs: PairTable, x: number, y: number): number {
  let lo = pairs.indptr[x]!;
  let hi = pairs.indptr[x + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = pairs.other[mid]!;
    if (v === y) return pairs.count[mid]!;
    if (v < y) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * Calls `emit(a, b, c, count)` for each frequent triple a < b < c. For each a, only the basket
 * items that form a frequent pair with a are combined (Apriori pruning), counted in a dense grid
 * over a's partners. The (b, c) pair needs no check: a triple in ≥ minCount baskets makes every
 * pair in it frequent.
 */
function countTriples(rows: Rows, byItem: Rows, pairs: PairTable, f: number, minCount: number, emit: (a: number, b: number, c: number, count: number) => void): void {
  const slot = new Int32Array(f).fill(-1);
  let grid = new Int32Array(0);
  const list = new Int32Array(f);
  const { indptr: rowPtr, items: rowItems } = rows;
  for (let a = 0; a < f; a++) {
    const first = pairs.indptr[a]!;
    const partners = pairs.indptr[a + 1]! - first;
    if (partners < 2) continue;
    // Partner k of a is pairs.other[first + k], ascending, so slot order follows item order.
    for (let k = 0; k < partners; k++) slot[pairs.other[first + k]!] = k;
    if (grid.length < partners * partners) grid = new Int32Array(partners * partners);
    for (let p = byItem.indptr[a]!; p < byItem.indptr[a + 1]!; p++) {
      const r = byItem.items[p]!;
      const start = rowPtr[r]!;
      let n = 0;
      for (let k = rowPtr[r + 1]! - 1; k >= start && rowItems[k]! > a; k--) {
        const s = slot[rowItems[k]!]!;
        if (s >= 0) list[n++] = s;
      }
      // Slots were collected in descending order (list[j] < list[i] for i < j); the cell of
      // (low, high) is high·partners + low, so the inner loop writes within one grid row.
      for (let i = 0; i < n; i++) {
        const row = list[i]! * partners;
        for (let j = i + 1; j < n; j++) grid[row + list[j]!]!++;
      }
    }
    for (let y = 1; y < partners; y++) {
      for (let x = 0; x < y; x++) {
        const cell = y * partners + x;
        const count = grid[cell]!;
        if (count === 0) continue;
        grid[cell] = 0;
        if (count >= minCount) emit(a, pairs.other[first + x]!, pairs.other[first + y]!, count);
      }
    }
    for (let k = 0; k < partners; k++) slot[pairs.other[first + k]!] = -1;
  }
}
