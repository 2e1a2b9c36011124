import type { Rules } from '../types.js';

/**
 * Request rules over a saved rule set: filters and diversity merge field by field (the request
 * wins), boosts add up, and pins given by the request replace the saved ones.
 *
 * @example
 * mergeRules({ filters: { inStock: true, brands: ['Acme'] } }, { filters: { brands: ['Zed'] } });
 * // { filters: { inStock: true, brands: ['Zed'] }, boosts: [], … }
 */
export function mergeRules(saved: Rules | null | undefined, request: Rules | null | undefined): Rules {
  if (!saved) return request ?? {};
  if (!request) return saved;
  const out: Rules = {};
  if (saved.filters || request.filters) out.filters = { ...saved.filters, ...request.filters };
  if (saved.boosts || request.boosts) out.boosts = [...(saved.boosts ?? []), ...(request.boosts ?? [])];
  const pinned = request.pinned ?? saved.pinned;
  if (pinned) out.pinned = pinned;
  if (saved.diversity || request.diversity) out.diversity = { ...saved.diversity, ...request.diversity };
  return out;
}
