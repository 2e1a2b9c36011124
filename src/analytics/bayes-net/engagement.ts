import { MagpieError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import type { Segment } from '../options.js';
import { parseTime } from '../periods.js';
import { num, sqlRunner } from '../sql.js';
import { engagementVariables, OUTCOME, type EngagementData, type EngagementVariable, type UnavailableVariable } from './engagement-data.js';
import { userFeatures } from './engagement-features.js';
import { fitNetwork, networkBic } from './fit.js';
import { query } from './inference.js';
import { learnStructure } from './learn.js';
import { configurations, parentsFromNames, type BayesNet } from './network.js';

/** Options of {@link learnEngagementNetwork}. */
export interface EngagementNetworkOptions {
  /** Cut-off (epoch ms or a date): drivers from before it, the outcome after. Default: `horizonDays` before the midnight after the last event. */
  asOf?: number | string;
  /** Length of the outcome window in days (default 30). */
  horizonDays?: number;
  /** Ignore behaviour before this time. */
  from?: number | string;
  /** Only users in this segment. */
  segment?: Segment;
  /** The shop's home country for the `country` driver; default the most common one. */
  homeCountry?: string;
  /** The DAG to use, as parent names by variable name; learned from the data when absent. */
  parents?: Record<string, string[]>;
  /** Most parents per variable in the search (default 3). */
  maxParents?: number;
  /** Seed of the search's restarts (default 1). */
  seed?: number;
  /** Dirichlet smoothing of the CPTs (default 1, Laplace). */
  alpha?: number;
}

/** One parent configuration of the outcome's CPT. */
export interface OutcomeCptRow {
  /** The parents' states. */
  given: Record<string, string>;
  /** Users with this configuration. */
  users: number;
  /** P(purchase = yes | given), smoothed. */
  probability: number;
}

/** P(purchase = yes | one driver in one state), from the network, beside the share observed. */
export interface DriverEffect {
  variable: string;
  state: string;
  users: number;
  /** By exact inference on the network. */
  probability: number;
  /** Share of those users who bought (null when none are in the state). */
  observed: number | null;
}

/** What {@link learnEngagementNetwork} returns: the network and the readings a report needs. */
export interface EngagementNetwork {
  /** ISO time of the cut-off. */
  asOf: string;
  horizonDays: number;
  /** False when the outcome window runs past the last event, so some purchases may be missing from it. */
  windowComplete: boolean;
  /** Users in the data set (known users active before the cut-off) and how many bought in the window. */
  users: number;
  purchasers: number;
  /** purchasers ÷ users. */
  baseRate: number;
  /** The outcome variable's name. */
  outcome: typeof OUTCOME;
  /** The variables built from this data, with meanings and counts. */
  variables: EngagementVariable[];
  /** Drivers this data cannot support, and why. */
  unavailable: UnavailableVariable[];
  /** The DAG's edges, parent to child. */
  edges: { from: string; to: string }[];
  /** True when the DAG was learned (hill climbing on BIC), false when given. */
  learned: boolean;
  /** BIC of the DAG on the data. */
  bic: number;
  /** The outcome's CPT: one row per configuration of its parents. */
  outcomeCpt: { parents: string[]; rows: OutcomeCptRow[] };
  /** P(purchase | driver = state) for every driver state. */
  drivers: DriverEffect[];
  /** The fitted network, for further queries with `query(network, …)`. */
  network: BayesNet;
}

const DAY_MS = 86_400_000;

/** The cut-off and the data set of the engagement network; exposed for tests and for custom networks. */
export async function engagementDataset(store: Store, options: EngagementNetworkOptions = {}): Promise<EngagementData & { asOf: number; horizonDays: number; lastEvent: number | null }> {
  const horizonDays = options.horizonDays ?? 30;
  if (!(horizonDays > 0)) throw new MagpieError('invalid_input', `horizonDays must be a positive number of days, got ${horizonDays}`, { location: { field: 'horizonDays' }, hint: 'e.g. 30' });
  const sql = sqlRunner(store);
  const [row] = await sql.all(`SELECT MAX(ts) AS last FROM events`);
  const lastEvent = num(row?.last);
  let asOf: number;
  if (options.asOf !== undefined) asOf = parseTime(options.asOf, 'asOf');
  else if (lastEvent === null) asOf = 0;
  // The midnight after the last event, less the window: the latest cut-off whose window the data covers.
  else asOf = (Math.floor(lastEvent / DAY_MS) + 1) * DAY_MS - horizonDays * DAY_MS;
  const from = options.from === undefined ? null : parseTime(options.from, 'from');
  const recentDays = 30;
  const users = lastEvent === null ? { users: [], comparablePrices: false } : await userFeatures(store, { asOf, horizonMs: horizonDays * DAY_MS, recentMs: recentDays * DAY_MS, from, segment: options.segment ?? null });
  const data = engagementVariables(users, { asOf, horizonDays, recentDays, ...(options.homeCountry !== undefined ? { homeCountry: options.homeCountry } : {}) });
  return { ...data, asOf, horizonDays, lastEvent };
}

/**
 * A discrete Bayesian network of engagement drivers per user, before a cut-off, and of a purchase
 * in the `horizonDays` after it. Drivers are built from what the data has (see `unavailable` for
 * the rest): country group (domestic or foreign, a proxy where traffic source is absent), device
 * (from event context), discount seen (paid below the catalogue price), basket size, recent cart
 * and browsing activity, recency and frequency. The DAG is learned by seeded hill climbing on BIC
 * with who-the-user-is variables before behaviour and the outcome last (no arrow points back in
 * time), or given; CPTs are fitted with Dirichlet smoothing; the readings use exact inference.
 *
 * SQL folds the events into one row per user (orders, lines, discount against the catalogue,
 * recent activity, last activity) plus small lookups (countries, devices, buyers after the
 * cut-off); the discretisation, the structure search and inference run in TypeScript over users ×
 * a handful of variables.
 *
 * @example
 * const net = await learnEngagementNetwork(store, { horizonDays: 30 });
 * net.drivers.find((d) => d.variable === 'recency' && d.state === '0-30d')?.probability; // P(purchase | recent)
 * query(net.network, 'purchase', { recency: '91d+', frequency: '1' }).yes;
 */
export async function learnEngagementNetwork(store: Store, options: EngagementNetworkOptions = {}): Promise<EngagementNetwork> {
  const set = await engagementDataset(store, options);
  const { data, variables } = set;
  if (data.rows === 0) {
    throw new MagpieError('invalid_input', `no known user was active before the cut-off ${new Date(set.asOf).toISOString()}`, {
      location: { field: 'asOf' },
      hint: 'import events with user ids, or choose a later --as-of',
    });
  }
  const outcome = variables.findIndex((v) => v.name === OUTCOME);
  const parents = options.parents
    ? parentsFromNames(data.variables, options.parents)
    : learnStructure(data, { maxParents: options.maxParents ?? 3, seed: options.seed ?? 1, tiers: variables.map((v) => v.tier) }).parents;
  const network = fitNetwork(data, parents, options.alpha ?? 1);
  const name = (i: number): string => data.variables[i]!.name;

  const outcomeParents = network.parents[outcome]!;
  const yes = data.variables[outcome]!.states.indexOf('yes');
  const configs = configurations(data.variables, outcomeParents);
  const users = new Float64Array(configs);
  for (let r = 0; r < data.rows; r++) {
    let c = 0;
    for (const p of outcomeParents) c = c * data.variables[p]!.states.length + data.columns[p]![r]!;
    users[c]!++;
  }
  const rows: OutcomeCptRow[] = Array.from({ length: configs }, (_, c) => {
    const given: Record<string, string> = {};
    let rest = c;
    for (let i = outcomeParents.length - 1; i >= 0; i--) {
      const p = outcomeParents[i]!;
      const r = data.variables[p]!.states.length;
      given[name(p)] = data.variables[p]!.states[rest % r]!;
      rest = Math.floor(rest / r);
    }
    return { given: Object.fromEntries(outcomeParents.map((p) => [name(p), given[name(p)]!])), users: users[c]!, probability: network.cpts[outcome]![c * 2 + yes]! };
  });

  const purchased = data.columns[outcome]!;
  const drivers: DriverEffect[] = [];
  variables.forEach((v, i) => {
    if (i === outcome) return;
    v.states.forEach((state, k) => {
      let bought = 0;
      for (let r = 0; r < data.rows; r++) if (data.columns[i]![r] === k && purchased[r] === yes) bought++;
      drivers.push({ variable: v.name, state, users: v.counts[k]!, probability: query(network, OUTCOME, { [v.name]: state }).yes!, observed: v.counts[k]! > 0 ? bought / v.counts[k]! : null });
    });
  });

  const purchasers = variables[outcome]!.counts[yes]!;
  return {
    asOf: new Date(set.asOf).toISOString(),
    horizonDays: set.horizonDays,
    windowComplete: set.lastEvent !== null && set.asOf + set.horizonDays * DAY_MS <= (Math.floor(set.lastEvent / DAY_MS) + 1) * DAY_MS,
    users: data.rows,
    purchasers,
    baseRate: purchasers / data.rows,
    outcome: OUTCOME,
    variables,
    unavailable: set.unavailable,
    edges: network.parents.flatMap((ps, v) => ps.map((p) => ({ from: name(p), to: name(v) }))),
    learned: !options.parents,
    bic: networkBic(data, network.parents),
    outcomeCpt: { parents: outcomeParents.map(name), rows },
    drivers,
    network,
  };
}
