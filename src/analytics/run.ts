import { MagpieError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { activeUsers, type ActiveUsersRow } from './active-users.js';
import { learnEngagementNetwork, type EngagementNetwork, type EngagementNetworkOptions } from './bayes-net/index.js';
import { funnel, type FunnelOptions, type FunnelRow } from './funnel.js';
import { orders, type OrdersRow } from './orders.js';
import { recommendationImpact, type RecImpactRow } from './rec-impact.js';
import { repeatPurchase, type RepeatPurchaseRow } from './repeat-purchase.js';
import { retention, type RetentionRow } from './retention.js';
import { analyzeUserStates, type UserStateModel, type UserStateOptions } from './user-states/index.js';

/** Names of the analyses, as `magpie analytics <name>` (and the API) take them. */
export const ANALYSES = ['active-users', 'retention', 'funnel', 'repeat-purchase', 'orders', 'recommendation-impact', 'user-states', 'bayes-net'] as const;

/** One of {@link ANALYSES}. */
export type AnalysisName = (typeof ANALYSES)[number];

/** What each analysis returns, by name: rows for the tabular ones, a model object for user-states and bayes-net. */
export interface AnalysisRows {
  'active-users': ActiveUsersRow[];
  retention: RetentionRow[];
  funnel: FunnelRow[];
  'repeat-purchase': RepeatPurchaseRow[];
  orders: OrdersRow[];
  'recommendation-impact': RecImpactRow[];
  'user-states': UserStateModel;
  'bayes-net': EngagementNetwork;
}

/**
 * Options of every analysis together; each reads its own. `by` defaults per analysis (week for
 * user-states, month elsewhere); bayes-net takes `from` as the start of the history and its own
 * cut-off `asOf`, not `to`.
 */
export type AnalysisOptions = FunnelOptions & UserStateOptions & Omit<EngagementNetworkOptions, 'from' | 'segment'>;

/** Checks an analysis name; the error lists the valid ones. */
export function analysisName(name: string): AnalysisName {
  if ((ANALYSES as readonly string[]).includes(name)) return name as AnalysisName;
  throw new MagpieError('invalid_input', `unknown analysis "${name}"`, { location: { field: 'name' }, hint: `use one of ${ANALYSES.join(', ')}` });
}

/**
 * Runs an analysis by name, so the CLI and the HTTP API share one dispatch. Options an analysis
 * does not take (funnel steps for orders, churnAfter for funnel, …) are ignored.
 *
 * @example
 * const rows = await runAnalysis(store, 'orders', { by: 'week', from: '2011-09' });
 * rows[0]?.period; // '2011-08-29': the ISO week holding 1 September, counted from that day on
 */
export async function runAnalysis<N extends AnalysisName>(store: Store, name: N, options: AnalysisOptions = {}): Promise<AnalysisRows[N]> {
  const run: { [K in AnalysisName]: () => Promise<AnalysisRows[K]> } = {
    'active-users': () => activeUsers(store, options),
    retention: () => retention(store, options),
    funnel: () => funnel(store, options),
    'repeat-purchase': () => repeatPurchase(store, options),
    orders: () => orders(store, options),
    'recommendation-impact': () => recommendationImpact(store, options),
    'user-states': () => analyzeUserStates(store, options),
    'bayes-net': () => learnEngagementNetwork(store, options),
  };
  return run[name]();
}
