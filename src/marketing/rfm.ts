import type { CustomerFeatures } from './features.js';

// RFM: each customer scored 1–5 on Recency, Frequency and Monetary value by quintile, then named
// by a fixed grid. Scores are relative to the customers scored together, so the same shopper can
// move between segments as the rest of the base changes; that is the point of quintiles.

/** Quintile scores of one customer; 5 is best (most recent, most orders, most spend). */
export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

/** The classic RFM segment names, best first. */
export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential loyalist',
  'New',
  'Promising',
  'Need attention',
  'About to sleep',
  'At risk',
  "Can't lose them",
  'Hibernating',
  'Lost',
] as const;

/** One of {@link RFM_SEGMENTS}. */
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * Quintile scores 1–5 of `values`, higher value → higher score: a value's score is
 * 1 + ⌊5 × (how many values are strictly smaller) ÷ n⌋. Tied values therefore always share a
 * score (the lower one of the band they straddle), whatever order they arrive in: with most
 * customers on one order, they all get F = 1 rather than being split at random.
 *
 * @example
 * quintileScores([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]); // [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
 * quintileScores([1, 1, 1, 2, 5]);                            // [1, 1, 1, 4, 5]
 */
export function quintileScores(values: ArrayLike<number>): Int8Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const scores = new Int8Array(n);
  let smaller = 0;
  for (let i = 0; i < n; i++) {
    // `smaller` is the index where the current run of equal values started.
    if (i > 0 && values[order[i]!]! !== values[order[i - 1]!]!) smaller = i;
    scores[order[i]!] = 1 + Math.floor((5 * smaller) / n);
  }
  return scores;
}

/**
 * R, F and M scores of each customer, in the order given. Recency is scored on the negated
 * number of days, so the most recent buyers get 5.
 */
export function rfmScores(customers: readonly CustomerFeatures[]): RfmScore[] {
  const r = quintileScores(customers.map((c) => -c.recencyDays));
  const f = quintileScores(customers.map((c) => c.frequency));
  const m = quintileScores(customers.map((c) => c.monetary));
  return customers.map((_, i) => ({ r: r[i]!, f: f[i]!, m: m[i]! }));
}

// Rows: R from 5 down to 1. Columns: the band of FM = (F + M) / 2 — low [1, 2), mid [2, 3),
// high [3, 4), top [4, 5]. Every cell is named, so every customer gets a segment.
const GRID: readonly (readonly RfmSegment[])[] = [
  /* R=5 */ ['New', 'Potential loyalist', 'Loyal', 'Champions'],
  /* R=4 */ ['Promising', 'Potential loyalist', 'Loyal', 'Champions'],
  /* R=3 */ ['About to sleep', 'Need attention', 'Need attention', 'Loyal'],
  /* R=2 */ ['Hibernating', 'Hibernating', 'At risk', 'At risk'],
  /* R=1 */ ['Lost', 'Hibernating', 'At risk', "Can't lose them"],
];

/**
 * The named segment of an RFM score. Recency picks the row, the mean of F and M the column:
 *
 * | R | FM 1–1.5 | FM 2–2.5 | FM 3–3.5 | FM 4–5 |
 * |---|---|---|---|---|
 * | 5 | New | Potential loyalist | Loyal | Champions |
 * | 4 | Promising | Potential loyalist | Loyal | Champions |
 * | 3 | About to sleep | Need attention | Need attention | Loyal |
 * | 2 | Hibernating | Hibernating | At risk | At risk |
 * | 1 | Lost | Hibernating | At risk | Can't lose them |
 *
 * Frequency and spend are averaged because they move together (more orders, more money) and
 * five by five by five cells would name many combinations no shop sees.
 *
 * @example
 * rfmSegment({ r: 5, f: 4, m: 5 }); // 'Champions'
 * rfmSegment({ r: 1, f: 5, m: 4 }); // "Can't lose them"
 */
export function rfmSegment(score: RfmScore): RfmSegment {
  const band = Math.min(3, Math.floor((score.f + score.m) / 2) - 1);
  return GRID[5 - score.r]![band]!;
}

/** `"545"`: the R, F and M digits, as mailing tools and spreadsheets usually show them. */
export function rfmCode(score: RfmScore): string {
  return `${score.r}${score.f}${score.m}`;
}
