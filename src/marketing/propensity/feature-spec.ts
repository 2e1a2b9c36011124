import type { Attributes } from '../../core/types.js';
import type { ActivityLog } from './activity.js';

// Which columns a feature table has: fixed once on the training population (engagement types
// present, top categories by spend, common attribute values) and reused unchanged at later cut-offs,
// so train and test tables line up column for column.

/** Which customers a feature table holds at a cut-off. */
export type Population = 'any-activity' | 'purchasers';

/** A column built from user profile attributes: a numeric attribute, or one value of a text one. */
export interface AttributeColumn {
  name: string;
  key: string;
  /** Set for one-hot columns: the value this column is 1 for. */
  value?: string;
}

/** The columns of a feature table, fixed on the training cut-off and reused at later ones. */
export interface FeatureSpec {
  names: string[];
  /** Engagement types (views, carts, …) that have columns, in log order. */
  engagementTypes: string[];
  /** Categories with a spend-share column: the most bought before the training cut-off. */
  shareCategories: string[];
  attributeColumns: AttributeColumn[];
}

/** The behaviour columns every table has, in order. */
export const CORE_FEATURES = [
  'recencyDays',
  'daysSinceLastEvent',
  'tenureDays',
  'daysSinceFirstPurchase',
  'orders7',
  'orders30',
  'orders90',
  'orders365',
  'ordersTotal',
  'lines30',
  'lines90',
  'revenue90',
  'revenue365',
  'revenueTotal',
  'meanBasket',
  'unitsPerOrder',
  'purchaseRate30',
  'activePeriods12',
  'activeWeeks13',
  'activeShare',
  'decayedOrders30',
  'decayedOrders90',
  'interPurchaseMeanDays',
  'interPurchaseStdDays',
  'recencyOverCycle',
  'ordersTrend30',
  'revenueTrend30',
  'distinctItems',
  'distinctCategories',
  'itemsPerLine',
  'returnsShare',
  'returnOrders',
] as const;

/** Windows (days) of the engagement counts. */
export const ENGAGEMENT_WINDOWS = [7, 30, 90] as const;
/** At most this many one-hot columns per text attribute; rarer values share none (all zeros). */
const MAX_ATTRIBUTE_VALUES = 8;
/** A value gets a column when at least this share of training customers has it. */
const MIN_ATTRIBUTE_SHARE = 0.01;
/** Spend-share columns for this many top categories. */
const SHARE_CATEGORIES = 8;

/** Users in the population at `cutoff`, ascending index in the log. */
export function populationAt(log: ActivityLog, cutoff: number, population: Population): Int32Array {
  const users = log.userIds.length;
  const seen = new Uint8Array(users);
  const { orders, engagement } = log;
  for (let i = 0; i < orders.user.length; i++) {
    if (orders.ts[i]! < cutoff && (population === 'any-activity' || orders.kind[i] === 0)) seen[orders.user[i]!] = 1;
  }
  if (population === 'any-activity') for (let i = 0; i < engagement.user.length; i++) if (engagement.ts[i]! < cutoff) seen[engagement.user[i]!] = 1;
  const out: number[] = [];
  for (let u = 0; u < users; u++) if (seen[u]) out.push(u);
  return Int32Array.from(out);
}

function attributeValue(attrs: Attributes, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(attrs, key) ? attrs[key] : undefined;
}

/**
 * Chooses the columns from the training population: the core behaviour columns, window counts of
 * each engagement type present before the cut-off, numeric attributes as they are, and one-hot
 * columns for the most common values of text attributes.
 */
export function fitFeatureSpec(log: ActivityLog, cutoff: number, users: Int32Array): FeatureSpec {
  const present = new Set<number>();
  for (let i = 0; i < log.engagement.user.length; i++) if (log.engagement.ts[i]! < cutoff) present.add(log.engagement.type[i]!);
  const engagementTypes = log.engagementTypes.filter((_, i) => present.has(i));

  const inPopulation = new Uint8Array(log.userIds.length);
  for (const u of users) inPopulation[u] = 1;
  const spend = new Float64Array(log.categoryNames.length);
  const cs = log.categorySpend;
  for (let i = 0; i < cs.user.length; i++) if (cs.ts[i]! < cutoff && inPopulation[cs.user[i]!]) spend[cs.category[i]!]! += cs.amount[i]!;
  const shareCategories = log.categoryNames
    .map((name, c) => ({ name, spend: spend[c]! }))
    .filter((c) => c.spend > 0)
    .sort((a, b) => b.spend - a.spend || (a.name < b.name ? -1 : 1))
    .slice(0, SHARE_CATEGORIES)
    .map((c) => c.name);

  const numeric = new Map<string, number>();
  const text = new Map<string, Map<string, number>>();
  for (const u of users) {
    for (const [key, value] of Object.entries(log.attributes[u] ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value)) numeric.set(key, (numeric.get(key) ?? 0) + 1);
      else if (typeof value === 'boolean') numeric.set(key, (numeric.get(key) ?? 0) + 1);
      else if (typeof value === 'string' && value !== '') {
        let counts = text.get(key);
        if (!counts) text.set(key, (counts = new Map()));
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
  }
  const minCount = Math.max(1, MIN_ATTRIBUTE_SHARE * users.length);
  const attributeColumns: AttributeColumn[] = [];
  for (const key of [...numeric.keys()].sort()) if (numeric.get(key)! >= minCount) attributeColumns.push({ name: `attr:${key}`, key });
  for (const key of [...text.keys()].sort()) {
    const values = [...text.get(key)!.entries()]
      .filter(([, c]) => c >= minCount)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .slice(0, MAX_ATTRIBUTE_VALUES);
    // A value every customer shares carries nothing.
    if (values.length === 1 && values[0]![1] === users.length) continue;
    for (const [value] of values) attributeColumns.push({ name: `${key}=${value}`, key, value });
  }
  const engagementNames = engagementTypes.flatMap((t) => ENGAGEMENT_WINDOWS.map((w) => `${t}${w}`));
  return {
    names: [...CORE_FEATURES, ...engagementNames, ...shareCategories.map((c) => `share:${c}`), ...attributeColumns.map((c) => c.name)],
    engagementTypes,
    shareCategories,
    attributeColumns,
  };
}
