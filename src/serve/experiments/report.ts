// Turns an experiment's raw counts into the per-variant report: rates with intervals, and each
// treatment against the control (the first variant). Undefined figures (a rate over nobody, a lift
// over a zero control) are NaN, which JSON writes as null.
import { meanInterval, msprtMeans, msprtTwoProportions, sampleRatioMismatch, twoProportionZTest, welchTTest, wilsonInterval, type SampleSummary } from '../../analytics/ab-stats.js';
import { cents } from '../../analytics/summary.js';
import type { Experiment, VariantReport } from '../types.js';
import type { ExperimentCounts, VariantCounts } from './variant-counts.js';

/** Significance level of every test in the report. */
export const REPORT_ALPHA = 0.05;
/** The mSPRT mixture's τ as a share of the pooled mean: the prior expects effects of about ±10% relative. */
export const RELATIVE_TAU = 0.1;
/** Below this, the sample-ratio-mismatch p-value is flagged in the note. */
const SRM_ALERT = 0.001;

/** Revenue per shopper as sufficient statistics: purchasers' revenues plus zeros for everyone else exposed. */
export function revenueSummary(counts: VariantCounts): SampleSummary {
  const n = counts.users;
  let total = 0;
  for (const revenue of counts.purchasers.values()) total += revenue;
  const mean = n > 0 ? total / n : Number.NaN;
  // Σ(x − mean)² over purchasers plus (n − k)·mean² for the shoppers who spent nothing: exact, and
  // without the cancellation of Σx² − n·mean².
  let squares = 0;
  for (const revenue of counts.purchasers.values()) squares += (revenue - mean) ** 2;
  squares += (n - counts.purchasers.size) * mean * mean;
  return { n, mean, variance: n > 1 ? squares / (n - 1) : Number.NaN };
}

const nanInterval = { value: Number.NaN, low: Number.NaN, high: Number.NaN };
const rate = (successes: number, trials: number) => (trials > 0 ? wilsonInterval(successes, trials) : nanInterval);

interface Comparison {
  versus: NonNullable<VariantReport['versusControl']>;
  sequentialConversion: number;
  sequentialRevenue: number;
}

function compare(control: VariantCounts, treatment: VariantCounts): Comparison {
  const pc = { successes: control.purchasers.size, trials: control.users };
  const pt = { successes: treatment.purchasers.size, trials: treatment.users };
  const rc = revenueSummary(control);
  const rt = revenueSummary(treatment);
  const conversion = twoProportionZTest(pc, pt);
  const pooledRate = (pc.successes + pt.successes) / (pc.trials + pt.trials);
  const sequentialConversion = pooledRate > 0 && pooledRate < 1 ? msprtTwoProportions(pc, pt, { tau: RELATIVE_TAU * pooledRate }).pValue : Number.NaN;
  const enough = rc.n >= 2 && rt.n >= 2;
  const revenuePValue = enough ? welchTTest(rc, rt).pValue : Number.NaN;
  const pooledRevenue = (rc.mean * rc.n + rt.mean * rt.n) / (rc.n + rt.n);
  const sequentialRevenue = enough && pooledRevenue > 0 ? msprtMeans(rc, rt, { tau: RELATIVE_TAU * pooledRevenue }).pValue : Number.NaN;
  return {
    versus: {
      conversionLift: conversion.control > 0 ? conversion.treatment / conversion.control - 1 : Number.NaN,
      conversionPValue: conversion.pValue,
      revenuePerUserDiff: rt.mean - rc.mean,
      revenuePValue,
      // NaN compares false, so an untestable comparison is never significant.
      significant: conversion.pValue < REPORT_ALPHA && sequentialConversion < REPORT_ALPHA,
    },
    sequentialConversion,
    sequentialRevenue,
  };
}

const fmt = (p: number): string => (Number.isNaN(p) ? 'n/a' : p < 0.0001 ? '<0.0001' : p.toFixed(4));

/**
 * The per-variant report of an experiment and the note that states how to read it.
 *
 * @example
 * const { variants, note } = buildReport(experiment, await countVariants(store, experiment));
 * variants[1]?.versusControl?.significant; // true only when both the fixed and the always-valid test agree
 */
export function buildReport(experiment: Experiment, counts: ExperimentCounts): { variants: VariantReport[]; note: string } {
  const all = experiment.variants.map((v) => counts.variants.get(v.name)!);
  const control = all[0]!;
  const sequential: string[] = [];
  const variants = experiment.variants.map((variant, i): VariantReport => {
    const c = all[i]!;
    const revenue = revenueSummary(c);
    let versusControl: VariantReport['versusControl'] = null;
    if (i > 0) {
      const comparison = compare(control, c);
      versusControl = comparison.versus;
      sequential.push(`${variant.name}: conversion ${fmt(comparison.sequentialConversion)}, revenue per user ${fmt(comparison.sequentialRevenue)}`);
    }
    let revenueTotal = 0;
    for (const r of c.purchasers.values()) revenueTotal += r;
    return {
      variant: variant.name,
      users: c.users,
      exposures: c.exposures,
      clicks: c.clicks,
      addToCarts: c.addToCarts,
      conversions: c.purchasers.size,
      revenue: cents(revenueTotal),
      clickRate: rate(c.clickers, c.users),
      conversionRate: rate(c.purchasers.size, c.users),
      revenuePerUser: c.users > 0 ? meanInterval(revenue) : nanInterval,
      versusControl,
    };
  });
  return { variants, note: reportNote(experiment, counts, sequential) };
}

function reportNote(experiment: Experiment, counts: ExperimentCounts, sequential: string[]): string {
  const control = experiment.variants[0]!.name;
  const lines = [
    `Users are distinct user ids (session ids for anonymous shoppers) shown a variant between startedAt and ${experiment.stoppedAt ? 'stoppedAt' : 'now'}; clicks, add-to-carts and purchases count when they carry the recId of such an impression. Rates are per exposed user with 95% Wilson intervals; revenue per user (gross, returns not subtracted) has a 95% t interval.`,
    `Against the control "${control}", conversion is the primary metric: significant = two-proportion z-test p < ${REPORT_ALPHA} AND mSPRT always-valid p < ${REPORT_ALPHA} (normal mixture, tau = ${RELATIVE_TAU * 100}% of the pooled conversion rate), so the flag may be read at any time, as often as wanted, without inflating false positives. revenuePValue is a fixed-horizon Welch test: trust it once, at a sample size planned in advance.`,
  ];
  if (sequential.length > 0) lines.push(`Always-valid p-values: ${sequential.join('; ')}.`);
  if (experiment.variants.length > 2) lines.push(`${experiment.variants.length - 1} treatments are compared with the control; to keep the overall false-positive rate at 5%, require p < ${fmt(REPORT_ALPHA / (experiment.variants.length - 1))} (Bonferroni).`);
  const users = experiment.variants.map((v) => counts.variants.get(v.name)!.users);
  const srm = sampleRatioMismatch(users, experiment.variants.map((v) => v.weight));
  if (srm.pValue < SRM_ALERT) lines.push(`Warning: sample ratio mismatch (chi-square p = ${fmt(srm.pValue)}): users per variant ${users.join(' / ')} do not match the weights; check assignment and impression logging before trusting any comparison.`);
  const empty = experiment.variants.filter((v) => counts.variants.get(v.name)!.users === 0).map((v) => v.name);
  if (empty.length > 0) lines.push(`No exposures yet for ${empty.join(', ')}.`);
  if (counts.crossExposed > 0) lines.push(`${counts.crossExposed} shoppers saw more than one variant (e.g. a session that logged in) and are counted in each.`);
  if (counts.unattributed > 0) lines.push(`${counts.unattributed} events carried this experiment's recIds but matched no impression in its window and were left out.`);
  return lines.join(' ');
}
