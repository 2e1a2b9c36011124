import type { CustomerFeatures } from './features.js';
import type { Points } from './kmeans.js';

// Turning customer features into points k-means can use. Euclidean k-means weighs every column by
// its spread, so columns are standardised; money and counts are heavy-tailed (a few wholesalers
// spend 1,000× the median), and without a log those few would each get a cluster of their own.

/** The behaviour columns clustered by default. */
export const BEHAVIOUR_COLUMNS = ['recencyDays', 'frequency', 'monetary', 'averageOrderValue', 'tenureDays', 'distinctCategories', 'returnRate'] as const;

/** One of {@link BEHAVIOUR_COLUMNS}. */
export type BehaviourColumn = (typeof BEHAVIOUR_COLUMNS)[number];

/** Options of {@link featureMatrix}. */
export interface FeatureMatrixOptions {
  columns?: readonly BehaviourColumn[];
  /** Also one column per top-N category by total spend: the customer's share of spend in it. Default 0. */
  categoryShares?: number;
  /** A column is log-transformed when its sample skewness exceeds this. Default 1. */
  skewThreshold?: number;
}

/** Standardised points and how each column was made. */
export interface FeatureMatrix extends Points {
  names: string[];
  /** Whether column j was log-transformed (sign(x)·ln(1 + |x|)) before standardising. */
  logged: boolean[];
}

/** Sample skewness (third standardised moment); 0 for a constant column. */
export function skewness(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const dev = values[i]! - mean;
    m2 += dev * dev;
    m3 += dev * dev * dev;
  }
  m2 /= n;
  m3 /= n;
  return m2 === 0 ? 0 : m3 / m2 ** 1.5;
}

const signedLog = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));

/** The `n` categories with the most spend over all customers (ties by name). */
export function topCategories(customers: readonly CustomerFeatures[], n: number): string[] {
  const totals = new Map<string, number>();
  for (const c of customers) for (const s of c.categories) totals.set(s.category, (totals.get(s.category) ?? 0) + s.spend);
  return [...totals.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, n)
    .map(([name]) => name);
}

/**
 * Builds the matrix k-means clusters: the chosen columns, log-transformed where skewed, then each
 * scaled to mean 0 and standard deviation 1 (a constant column becomes all zeros).
 *
 * @example
 * const matrix = featureMatrix(customers);
 * matrix.names;  // ['recencyDays', 'frequency', 'monetary', …]
 * matrix.logged; // [true, true, true, …] on retail data
 */
export function featureMatrix(customers: readonly CustomerFeatures[], options: FeatureMatrixOptions = {}): FeatureMatrix {
  const columns = options.columns ?? BEHAVIOUR_COLUMNS;
  const shares = topCategories(customers, options.categoryShares ?? 0);
  const names = [...columns, ...shares.map((c) => `share:${c}`)];
  const n = customers.length;
  const d = names.length;
  const raw: Float64Array[] = [
    ...columns.map((name) => Float64Array.from(customers, (c) => c[name])),
    ...shares.map((category) =>
      Float64Array.from(customers, (c) => {
        const spent = c.categories.reduce((sum, s) => sum + s.spend, 0);
        return spent > 0 ? (c.categories.find((s) => s.category === category)?.spend ?? 0) / spent : 0;
      }),
    ),
  ];
  const threshold = options.skewThreshold ?? 1;
  const logged: boolean[] = [];
  const values = new Float64Array(n * d);
  raw.forEach((column, j) => {
    const log = skewness(column) > threshold;
    logged.push(log);
    if (log) for (let i = 0; i < n; i++) column[i] = signedLog(column[i]!);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += column[i]!;
    mean /= Math.max(1, n);
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (column[i]! - mean) ** 2;
    const sd = Math.sqrt(variance / Math.max(1, n));
    for (let i = 0; i < n; i++) values[i * d + j] = sd > 0 ? (column[i]! - mean) / sd : 0;
  });
  return { values, n, d, names, logged };
}
