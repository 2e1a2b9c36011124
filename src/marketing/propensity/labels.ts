import { lowerBound, userOffsets, type ActivityLog } from './activity.js';
import type { Population } from './feature-spec.js';

/** What a propensity model predicts for the window after the cut-off. */
export type PropensityTarget = 'purchase' | 'churn';

/** Every {@link PropensityTarget}, for option parsing. */
export const PROPENSITY_TARGETS: readonly PropensityTarget[] = ['purchase', 'churn'];

/** Default horizon (days) of each target. */
export const DEFAULT_HORIZON_DAYS: Record<PropensityTarget, number> = { purchase: 30, churn: 90 };

/**
 * Who is scored for a target: anyone seen before the cut-off may buy; only customers who bought
 * before it can churn.
 */
export function populationOf(target: PropensityTarget): Population {
  return target === 'purchase' ? 'any-activity' : 'purchasers';
}

/**
 * Labels of `users` for the window [cutoff, cutoff + horizon): 1 when the user made a purchase in it
 * (target 'purchase'), or 1 when the user made none (target 'churn'). The window starts exactly
 * where the features stop, so every event belongs to one side.
 */
export function labelsAt(log: ActivityLog, users: Int32Array, cutoff: number, horizonDays: number, target: PropensityTarget): Uint8Array {
  const end = cutoff + horizonDays * 86_400_000;
  const { orders } = log;
  const start = userOffsets(orders.user, log.userIds.length);
  const out = new Uint8Array(users.length);
  users.forEach((u, r) => {
    let bought = false;
    const hi = start[u + 1]!;
    for (let i = lowerBound(orders.ts, start[u]!, hi, cutoff); i < hi && orders.ts[i]! < end; i++) {
      if (orders.kind[i] === 0) {
        bought = true;
        break;
      }
    }
    out[r] = target === 'purchase' ? Number(bought) : Number(!bought);
  });
  return out;
}
