import { parseTime } from '../../analytics/periods.js';
import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { loadActivity, type ActivityLog } from '../propensity/activity.js';
import { fitFeatureSpec, populationAt } from '../propensity/feature-spec.js';
import { featureTable, type FeatureTable } from '../propensity/features.js';
import { labelsAt } from '../propensity/labels.js';
import { dataEndOf } from '../propensity/train.js';
import type { UpliftData } from './analysis.js';

// Experiments built from the store: a real campaign's assignments joined to customers' features
// at the campaign start, or a semi-synthetic one (real customers, real features, real next-window
// purchases, a seeded random assignment and a simulated effect added by a stated rule).

const DAY = 86_400_000;

/** One customer of a real campaign. */
export interface CampaignAssignment {
  userId: string;
  treated: boolean;
  converted: boolean;
}

/** A uniform number in [0, 1) from a seed, a purpose and a customer id: the same every run, independent across purposes. */
export function hashUniform(seed: number, salt: string, id: string): number {
  // FNV-1a over the text, then a murmur3-style finaliser to spread the bits.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = `${salt}\u0000${id}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

async function loadAll(store: Store): Promise<{ log: ActivityLog; dataEnd: number }> {
  const dataEnd = await dataEndOf(store);
  if (dataEnd === null) throw new MagpieError('invalid_input', 'the store has no events', { hint: 'import events first (magpie import …)' });
  return { log: await loadActivity(store, { to: dataEnd }), dataEnd };
}

function featuresAt(log: ActivityLog, at: number): FeatureTable {
  const users = populationAt(log, at, 'any-activity');
  if (users.length === 0) throw new MagpieError('invalid_input', `no customers have events before ${new Date(at).toISOString().slice(0, 10)}`, { location: { field: 'cutoff' } });
  return featureTable(log, at, users, fitFeatureSpec(log, at, users));
}

/** A real campaign as an experiment, and who in it could not be used. */
export interface CampaignData extends UpliftData {
  cutoff: number;
  userIds: string[];
  /** Assigned customers with no events before the cut-off (no features to learn from). */
  unknownUsers: number;
}

/**
 * Joins a real campaign's assignments (treated or control, converted or not) to the customers'
 * features at `cutoff`, which should be the campaign's start so that no feature reflects it.
 *
 * @example
 * const data = await campaignData(store, rows, { cutoff: '2011-11-01' });
 * upliftAnalysis(data, { seed: 1 });
 */
export async function campaignData(store: Store, assignments: readonly CampaignAssignment[], options: { cutoff: number | string }): Promise<CampaignData> {
  const cutoff = parseTime(options.cutoff, 'cutoff');
  const table = featuresAt((await loadAll(store)).log, cutoff);
  const row = new Map(table.userIds.map((id, i) => [id, i]));
  const seen = new Set<string>();
  const rows: number[] = [];
  const y: number[] = [];
  const t: number[] = [];
  const userIds: string[] = [];
  let unknownUsers = 0;
  for (const a of assignments) {
    if (seen.has(a.userId)) throw new MagpieError('invalid_input', `customer ${a.userId} is assigned twice`, { location: { field: 'userId' }, hint: 'give each customer one row' });
    seen.add(a.userId);
    const r = row.get(a.userId);
    if (r === undefined) {
      unknownUsers++;
      continue;
    }
    rows.push(r);
    y.push(a.converted ? 1 : 0);
    t.push(a.treated ? 1 : 0);
    userIds.push(a.userId);
  }
  const values = new Float64Array(rows.length * table.d);
  rows.forEach((r, k) => values.set(table.values.subarray(r * table.d, (r + 1) * table.d), k * table.d));
  return { x: { values, n: rows.length, d: table.d }, names: table.names, y: Uint8Array.from(y), t: Uint8Array.from(t), cutoff, userIds, unknownUsers };
}

/** The stated rule of the simulated effect, in numbers. */
export const SIMULATED_EFFECT = {
  /** Lapsing regulars: 2+ orders, last one 30–180 days before the cut-off. A treated non-buyer buys with this probability. */
  lapsing: 0.3,
  /** Recent one-time buyers: exactly 1 order in the 90 days before the cut-off. A treated non-buyer buys with this probability. */
  recentOneTime: 0.15,
  /** "Sleeping dogs": 10+ orders, the last within 14 days. A treated buyer does not buy with this probability. */
  sleepingDogs: 0.15,
} as const;

/** The rule as sentences, for reports. */
export const SIMULATED_EFFECT_RULE = [
  'SEMI-SYNTHETIC: real customers, real features and real purchases in the window; the campaign itself is simulated.',
  'Treatment is assigned 50/50 by a seeded hash of the customer id.',
  `Lapsing regulars (2+ orders, last 30–180 days before the cut-off): a treated customer who did not buy does with probability ${SIMULATED_EFFECT.lapsing}.`,
  `Recent one-time buyers (1 order, within 90 days): a treated customer who did not buy does with probability ${SIMULATED_EFFECT.recentOneTime}.`,
  `Sleeping dogs (10+ orders, last within 14 days): a treated customer who bought does not with probability ${SIMULATED_EFFECT.sleepingDogs}.`,
  'Everyone else: no effect. True uplift per customer = gain × (1 − real outcome) − loss × real outcome.',
] as const;

/** A semi-synthetic campaign, clearly labelled as such. */
export interface SemiSyntheticCampaign extends UpliftData {
  kind: 'semi-synthetic';
  rule: readonly string[];
  cutoff: number;
  horizonDays: number;
  userIds: string[];
  /** What each customer really did in [cutoff, cutoff + horizon): the untreated outcome. */
  realOutcome: Uint8Array;
  trueUplift: Float64Array;
  /** Which part of the rule applies: 'lapsing', 'recent-one-time', 'sleeping-dogs' or 'none'. */
  segment: string[];
}

/** Options of {@link semiSyntheticCampaign}. */
export interface SemiSyntheticOptions {
  /** When the simulated campaign starts. Default: one horizon before the data's end, at midnight. */
  cutoff?: number | string;
  /** Outcome window in days. Default 30. */
  horizonDays?: number;
  /** Seed of the assignment and of the simulated responses. Default 1. */
  seed?: number;
}

/**
 * Builds the semi-synthetic campaign described by {@link SIMULATED_EFFECT_RULE} on the store's
 * real customers. It is a test bed for uplift estimators, never evidence about a real campaign.
 *
 * @example
 * const campaign = await semiSyntheticCampaign(store, { seed: 1 });
 * const result = upliftAnalysis(campaign, { seed: 1 });
 */
export async function semiSyntheticCampaign(store: Store, options: SemiSyntheticOptions = {}): Promise<SemiSyntheticCampaign> {
  const { log, dataEnd } = await loadAll(store);
  return semiSyntheticFromLog(log, dataEnd, options);
}

/** {@link semiSyntheticCampaign} on an activity log already loaded (to draw many seeds from one load). */
export function semiSyntheticFromLog(log: ActivityLog, dataEnd: number, options: SemiSyntheticOptions = {}): SemiSyntheticCampaign {
  const horizonDays = options.horizonDays ?? 30;
  const seed = options.seed ?? 1;
  const cutoff = options.cutoff === undefined ? Math.floor((dataEnd - horizonDays * DAY) / DAY) * DAY : parseTime(options.cutoff, 'cutoff');
  if (cutoff + horizonDays * DAY > dataEnd) {
    throw new MagpieError('invalid_input', `the outcome window after ${new Date(cutoff).toISOString().slice(0, 10)} runs past the data's end`, {
      location: { field: 'cutoff' },
      hint: `use a cut-off at least ${horizonDays} days before ${new Date(dataEnd).toISOString().slice(0, 10)}`,
    });
  }
  const table = featuresAt(log, cutoff);
  const realOutcome = labelsAt(log, table.userIndex, cutoff, horizonDays, 'purchase');
  const col = (name: string): number => table.names.indexOf(name);
  const recencyCol = col('recencyDays');
  const ordersCol = col('ordersTotal');
  const n = table.n;
  const t = new Uint8Array(n);
  const y = new Uint8Array(n);
  const trueUplift = new Float64Array(n);
  const segment: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = table.userIds[i]!;
    const recency = table.values[i * table.d + recencyCol]!;
    const orders = table.values[i * table.d + ordersCol]!;
    let gain = 0;
    let loss = 0;
    let name = 'none';
    if (orders >= 10 && recency <= 14) {
      loss = SIMULATED_EFFECT.sleepingDogs;
      name = 'sleeping-dogs';
    } else if (orders >= 2 && recency >= 30 && recency <= 180) {
      gain = SIMULATED_EFFECT.lapsing;
      name = 'lapsing';
    } else if (orders === 1 && recency <= 90) {
      gain = SIMULATED_EFFECT.recentOneTime;
      name = 'recent-one-time';
    }
    segment.push(name);
    t[i] = hashUniform(seed, 'treatment', id) < 0.5 ? 1 : 0;
    const y0 = realOutcome[i]!;
    const u = hashUniform(seed, 'effect', id);
    y[i] = t[i] === 1 ? (y0 === 0 ? Number(u < gain) : Number(u >= loss)) : y0;
    trueUplift[i] = gain * (1 - y0) - loss * y0;
  }
  return { kind: 'semi-synthetic', rule: SIMULATED_EFFECT_RULE, cutoff, horizonDays, x: table, names: table.names, y, t, userIds: table.userIds, realOutcome, trueUplift, segment };
}
