/** What every route plugin is given: the engine and the server's own services. */
import type { FastifyRequest } from 'fastify';
import type { Engine } from '../serve/types.js';
import { ApiError } from './errors.js';
import type { ApiKeys } from './keys.js';
import type { ServerMetrics } from './metrics.js';

/** Options of each route plugin. */
export interface RouteContext {
  engine: Engine;
  keys: ApiKeys;
  metrics: ServerMetrics;
}

/** Most events one POST /v1/events may carry. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/** Most items or users one batch upsert may carry. */
export const MAX_BATCH = 1000;

/**
 * A preValidation hook answering 413 (not 400) when the body's array `field` holds more than
 * `max` records: the request is fine, only too big, and the fix is to split it.
 */
export function batchLimit(field: string, max: number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    const body = request.body as Record<string, unknown> | null | undefined;
    const list = body && typeof body === 'object' ? body[field] : undefined;
    if (Array.isArray(list) && list.length > max) {
      throw new ApiError(413, 'too_large', `${list.length.toLocaleString('en-US')} ${field} in one request; at most ${max.toLocaleString('en-US')} are accepted`, {
        field,
        hint: `split the batch into requests of at most ${max} ${field}`,
      });
    }
  };
}
