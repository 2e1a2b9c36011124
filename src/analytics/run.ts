import { MagpieError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { activeUsers, type ActiveUsersRow } from './active-users.js';
import { funnel, type FunnelOptions, type FunnelRow } from './funnel.js';
import { orders, type OrdersRow } from './orders.js';
import { repeatPurchase, type RepeatPurchaseRow } from './repeat-purchase.js';
import { retention, type RetentionRow } from './retention.js';

/** Names of the analyses, as `magpie analytics <name>` (and the API) take them. */
export const ANALYSES = ['active-users', 'retention', 'funnel', 'repeat-purchase', 'orders'] as const;

/** One of {@link ANALYSES}. */
export type AnalysisName = (typeof ANALYSES)[number];

/** The rows each analysis returns, by name. */
export interface AnalysisRows {
  'active-users': ActiveUsersRow[];
  retention: RetentionRow[];
  funnel: FunnelRow[];
  'repeat-purchase': RepeatPurchaseRow[];
  orders: OrdersRow[];
}

/** Checks an analysis name; the error lists the valid ones. */
export function analysisName(name: string): AnalysisName {
  if ((ANALYSES as readonly string[]).includes(name)) return name as AnalysisName;
  throw new MagpieError('invalid_input', `unknown analysis "${name}"`, { location: { field: 'name' }, hint: `use one of ${ANALYSES.join(', ')}` });
}

/**
 * Runs an analysis by name, so the CLI and the HTTP API share one dispatch. Funnel-only options
 * (steps, window, byCategory) are ignored by the others.
 *
 * @example
 * const rows = await runAnalysis(store, 'orders', { by: 'week', from: '2011-09' });
 * rows[0]?.period; // '2011-08-29': the ISO week holding 1 September, counted from that day on
 */
export async function runAnalysis<N extends AnalysisName>(store: Store, name: N, options: FunnelOptions = {}): Promise<AnalysisRows[N]> {
  const run: { [K in AnalysisName]: () => Promise<AnalysisRows[K]> } = {
    'active-users': () => activeUsers(store, options),
    retention: () => retention(store, options),
    funnel: () => funnel(store, options),
    'repeat-purchase': () => repeatPurchase(store, options),
    orders: () => orders(store, options),
  };
  return run[name]();
}
