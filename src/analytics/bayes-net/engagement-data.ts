import type { FeatureTable, UserFeatures } from './engagement-features.js';
import type { DiscreteData } from './network.js';

// Turns per-user features into the discrete variables of the engagement network. Which variables
// exist depends on the data: each driver says why it is left out when the data cannot support it.
//
//   variable   built from                                   Online Retail   a shop streaming events
//   country    the users' `country` attribute               yes (proxy)     when profiles carry it
//   device     `context.device` on events                   no              when the client sends it
//   discount   purchase prices against catalogue prices     yes             yes
//   basket     purchases (order lines per order)            yes             yes
//   cart       add_to_cart events in the recent window      no              yes
//   browsing   view / click / search in the recent window   no              yes
//   recency    any activity (impressions aside)             yes             yes
//   frequency  purchases (distinct orders)                  yes             yes
//   purchase   the outcome: a purchase after the cut-off    yes             yes

/** The outcome variable: a purchase in the window after the cut-off. */
export const OUTCOME = 'purchase';

/** A variable of the engagement network, with what it means and how many users fall in each state. */
export interface EngagementVariable {
  name: string;
  states: string[];
  description: string;
  /** Users per state. */
  counts: number[];
  /** 0: who the user is (country, device); 1: behaviour before the cut-off; 2: the outcome. Edges only go from a tier to the same or a later one. */
  tier: number;
}

/** A driver the data could not support, and why. */
export interface UnavailableVariable {
  name: string;
  reason: string;
}

/** Settings of {@link engagementVariables}. */
export interface VariableSettings {
  asOf: number;
  horizonDays: number;
  recentDays: number;
  /** The shop's home country; default the most common country among the users. */
  homeCountry?: string;
}

/** The discrete data set of the network: one row per user, in `userIds` order. */
export interface EngagementData {
  userIds: string[];
  data: DiscreteData;
  variables: EngagementVariable[];
  unavailable: UnavailableVariable[];
}

const DAY_MS = 86_400_000;

/** A candidate variable: its states in order, one state per user, or the reason it cannot be built. */
type Candidate = { name: string; tier: number; description: string; states: string[]; values: string[] } | { name: string; reason: string };

/** The value at quantile q (0..1) of sorted values, by the nearest-rank rule. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round1 = (x: number): string => String(Math.round(x * 10) / 10);

function country(users: readonly UserFeatures[], home: string | undefined): Candidate {
  const known = users.filter((u) => u.country !== null);
  if (known.length === 0) return { name: 'country', reason: 'no user has a country attribute' };
  const tally = new Map<string, number>();
  for (const u of known) tally.set(u.country!, (tally.get(u.country!) ?? 0) + 1);
  const domestic = home ?? [...tally.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]![0];
  return {
    name: 'country',
    tier: 0,
    // Traffic source is not in the event log; where the shopper lives is the nearest proxy it has.
    description: `domestic: country ${domestic}; foreign: any other; unknown: no country attribute`,
    states: ['domestic', 'foreign', 'unknown'],
    values: users.map((u) => (u.country === null ? 'unknown' : u.country === domestic ? 'domestic' : 'foreign')),
  };
}

function device(users: readonly UserFeatures[]): Candidate {
  const tally = new Map<string, number>();
  for (const u of users) if (u.device !== null) tally.set(u.device, (tally.get(u.device) ?? 0) + 1);
  if (tally.size === 0) return { name: 'device', reason: 'no event carries context.device' };
  const top = [...tally.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 3).map(([name]) => name);
  return {
    name: 'device',
    tier: 0,
    description: `the device most of the user's events name (top three kept, the rest "other"; "unknown" without any)`,
    states: [...top, 'other', 'unknown'],
    values: users.map((u) => (u.device === null ? 'unknown' : top.includes(u.device) ? u.device : 'other')),
  };
}

function discount(users: readonly UserFeatures[], comparablePrices: boolean): Candidate {
  if (!comparablePrices) return { name: 'discount', reason: 'no purchase has both a price and a catalogue price to compare' };
  return {
    name: 'discount',
    tier: 1,
    description: "yes: some purchase before the cut-off paid under 99% of the item's catalogue price",
    states: ['no', 'yes'],
    values: users.map((u) => (u.discounted ? 'yes' : 'no')),
  };
}

function basket(users: readonly UserFeatures[]): Candidate {
  const sizes = users.filter((u) => u.orders > 0).map((u) => u.lines / u.orders).sort((a, b) => a - b);
  if (sizes.length === 0) return { name: 'basket', reason: 'no purchases before the cut-off' };
  // Terciles of the users' average basket: cut points adapt to the shop (a gift wholesaler's basket is not a fashion shop's).
  const low = quantile(sizes, 1 / 3);
  const high = quantile(sizes, 2 / 3);
  return {
    name: 'basket',
    tier: 1,
    description: `average order lines before the cut-off: small ≤ ${round1(low)}, medium ≤ ${round1(high)}, large above; none without orders`,
    states: ['none', 'small', 'medium', 'large'],
    values: users.map((u) => {
      if (u.orders === 0) return 'none';
      const size = u.lines / u.orders;
      return size <= low ? 'small' : size <= high ? 'medium' : 'large';
    }),
  };
}

function recentFlag(name: 'cart' | 'browsing', users: readonly UserFeatures[], recentDays: number): Candidate {
  const any = name === 'cart' ? users.some((u) => u.cartedRecently) : users.some((u) => u.browsedRecently);
  if (!any) return { name, reason: `no ${name === 'cart' ? 'add_to_cart' : 'view, click or search'} events in the ${recentDays} days before the cut-off` };
  return {
    name,
    tier: 1,
    description: name === 'cart' ? `yes: an add-to-cart in the ${recentDays} days before the cut-off` : `yes: a view, click or search in the ${recentDays} days before the cut-off`,
    states: ['no', 'yes'],
    values: users.map((u) => ((name === 'cart' ? u.cartedRecently : u.browsedRecently) ? 'yes' : 'no')),
  };
}

function recency(users: readonly UserFeatures[], asOf: number): Candidate {
  return {
    name: 'recency',
    tier: 1,
    description: 'days from the last activity to the cut-off',
    states: ['0-30d', '31-90d', '91d+'],
    values: users.map((u) => {
      const days = (asOf - u.lastActivity) / DAY_MS;
      return days <= 30 ? '0-30d' : days <= 90 ? '31-90d' : '91d+';
    }),
  };
}

function frequency(users: readonly UserFeatures[]): Candidate {
  if (!users.some((u) => u.orders > 0)) return { name: 'frequency', reason: 'no purchases before the cut-off' };
  return {
    name: 'frequency',
    tier: 1,
    description: 'distinct orders before the cut-off',
    states: ['0', '1', '2-4', '5+'],
    values: users.map((u) => (u.orders === 0 ? '0' : u.orders === 1 ? '1' : u.orders <= 4 ? '2-4' : '5+')),
  };
}

/**
 * The variables of the engagement network from per-user features: drivers `country`, `device`,
 * `discount`, `basket`, `cart`, `browsing`, `recency`, `frequency` and the outcome `purchase`.
 * A driver the data cannot support goes to `unavailable` with the reason; states no user is in are
 * dropped, and so is a driver left with one state (it could explain nothing).
 */
export function engagementVariables(table: FeatureTable, settings: VariableSettings): EngagementData {
  const users = table.users;
  const candidates: Candidate[] = [
    country(users, settings.homeCountry),
    device(users),
    discount(users, table.comparablePrices),
    basket(users),
    recentFlag('cart', users, settings.recentDays),
    recentFlag('browsing', users, settings.recentDays),
    recency(users, settings.asOf),
    frequency(users),
    {
      name: OUTCOME,
      tier: 2,
      description: `yes: a purchase in the ${settings.horizonDays} days from the cut-off`,
      states: ['no', 'yes'],
      values: users.map((u) => (u.purchasedAfter ? 'yes' : 'no')),
    },
  ];
  const variables: EngagementVariable[] = [];
  const columns: Uint8Array[] = [];
  const unavailable: UnavailableVariable[] = [];
  for (const c of candidates) {
    if ('reason' in c) {
      unavailable.push(c);
      continue;
    }
    const counts = c.states.map((s) => c.values.filter((v) => v === s).length);
    const states = c.states.filter((_, k) => counts[k]! > 0);
    if (states.length < 2 && c.name !== OUTCOME) {
      unavailable.push({ name: c.name, reason: `every user has the same value (${states[0] ?? 'none'})` });
      continue;
    }
    // The outcome keeps both states even when one is empty, so P(purchase = yes) is always defined.
    const kept = c.name === OUTCOME ? c.states : states;
    const index = new Map(kept.map((s, k) => [s, k]));
    variables.push({ name: c.name, states: kept, description: c.description, counts: kept.map((s) => counts[c.states.indexOf(s)]!), tier: c.tier });
    columns.push(Uint8Array.from(c.values, (v) => index.get(v)!));
  }
  return {
    userIds: users.map((u) => u.userId),
    data: { variables: variables.map((v) => ({ name: v.name, states: v.states })), columns, rows: users.length },
    variables,
    unavailable,
  };
}
