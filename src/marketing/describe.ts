import { mean, median } from '../analytics/summary.js';
import type { CustomerFeatures } from './features.js';

// Each segment in numbers (size, spend, recency, favourite categories) and in one line of words
// a marketer can read without the numbers. The words compare the segment with the whole base,
// on medians, since one wholesaler can move a mean by more than the rest of a segment together.

/** A category's share of a segment's category spend. */
export interface CategoryShare {
  category: string;
  share: number;
}

/** One segment in numbers and words. Money is in the shop's currency. */
export interface SegmentSummary {
  segment: string;
  size: number;
  /** size ÷ all customers. */
  share: number;
  meanRecencyDays: number;
  medianRecencyDays: number;
  meanFrequency: number;
  medianFrequency: number;
  /** Mean net revenue per customer. */
  meanMonetary: number;
  medianMonetary: number;
  /** Net revenue of the whole segment. */
  totalMonetary: number;
  /** Gross revenue ÷ orders over the segment. */
  averageOrderValue: number;
  /** Up to three categories with the most spend. */
  topCategories: CategoryShare[];
  /** e.g. "frequent high spenders, last seen 12 days ago, love Kitchen & Dining". */
  description: string;
}

/** Spend per category over `customers`, as shares of their category spend, largest first (ties by name). */
export function categoryShares(customers: readonly CustomerFeatures[]): CategoryShare[] {
  const totals = new Map<string, number>();
  let all = 0;
  for (const c of customers) {
    for (const s of c.categories) {
      totals.set(s.category, (totals.get(s.category) ?? 0) + s.spend);
      all += s.spend;
    }
  }
  return [...totals.entries()]
    .map(([category, spend]) => ({ category, share: all > 0 ? spend / all : 0 }))
    .sort((a, b) => b.share - a.share || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

/** Medians and category shares of the whole base, what segments are compared with. */
export interface Baseline {
  meanFrequency: number;
  medianMonetary: number;
  categoryShare: Map<string, number>;
}

/** The {@link Baseline} of all customers. */
export function baseline(customers: readonly CustomerFeatures[]): Baseline {
  return {
    meanFrequency: mean(customers.map((c) => c.frequency)) ?? 0,
    medianMonetary: median(customers.map((c) => c.monetary)) ?? 0,
    categoryShare: new Map(categoryShares(customers).map((s) => [s.category, s.share])),
  };
}

const days = (n: number): string => {
  const whole = Math.round(n);
  return whole < 1 ? 'last seen today' : whole === 1 ? 'last seen 1 day ago' : `last seen ${whole} days ago`;
};

/**
 * The one-line description of a segment. Frequency: "one-time" when the median customer has one
 * order, else "frequent" (mean orders ≥ 1.5 × the base's), "occasional" (< 0.75 ×) or "regular".
 * Spend, on median net revenue against the base's median: "high" (≥ 2 ×), "low" (≤ ½ ×) or "mid".
 * Category: "love X" for the one of the top three whose share of the segment's spend is the
 * highest multiple (at least 1.25 ×) of its share overall, else "mostly" the top one.
 *
 * @example
 * describeSegment(summary, baseline(customers)); // 'frequent high spenders, last seen 12 days ago, love Kitchen & Dining'
 */
export function describeSegment(summary: Omit<SegmentSummary, 'description'>, base: Baseline): string {
  let often: string;
  if (summary.medianFrequency <= 1) often = 'one-time';
  else if (summary.meanFrequency >= 1.5 * base.meanFrequency) often = 'frequent';
  else if (summary.meanFrequency < 0.75 * base.meanFrequency) often = 'occasional';
  else often = 'regular';
  let spend = 'mid';
  if (base.medianMonetary > 0) {
    if (summary.medianMonetary >= 2 * base.medianMonetary) spend = 'high';
    else if (summary.medianMonetary <= 0.5 * base.medianMonetary) spend = 'low';
  }
  const parts = [`${often} ${spend} spenders`, days(summary.medianRecencyDays)];
  // A category every segment buys most says little; the one this segment over-indexes on says more.
  let loved: { category: string; lift: number } | null = null;
  for (const c of summary.topCategories) {
    const lift = c.share / Math.max(1e-12, base.categoryShare.get(c.category) ?? 0);
    if (lift >= 1.25 && (loved === null || lift > loved.lift)) loved = { category: c.category, lift };
  }
  const top = summary.topCategories[0];
  if (loved) parts.push(`love ${loved.category}`);
  else if (top) parts.push(`mostly ${top.category}`);
  return parts.join(', ');
}

/** Summarises one segment's customers (`total` is the number of all customers, for the share). */
export function summarise(segment: string, members: readonly CustomerFeatures[], total: number, base: Baseline): SegmentSummary {
  const revenue = members.reduce((sum, c) => sum + c.revenue, 0);
  const orders = members.reduce((sum, c) => sum + c.frequency, 0);
  const numbers = {
    segment,
    size: members.length,
    share: total > 0 ? members.length / total : 0,
    meanRecencyDays: mean(members.map((c) => c.recencyDays)) ?? 0,
    medianRecencyDays: median(members.map((c) => c.recencyDays)) ?? 0,
    meanFrequency: mean(members.map((c) => c.frequency)) ?? 0,
    medianFrequency: median(members.map((c) => c.frequency)) ?? 0,
    meanMonetary: mean(members.map((c) => c.monetary)) ?? 0,
    medianMonetary: median(members.map((c) => c.monetary)) ?? 0,
    totalMonetary: members.reduce((sum, c) => sum + c.monetary, 0),
    averageOrderValue: orders > 0 ? revenue / orders : 0,
    topCategories: categoryShares(members).slice(0, 3),
  };
  return { ...numbers, description: describeSegment(numbers, base) };
}
