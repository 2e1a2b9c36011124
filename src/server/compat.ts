/**
 * The Gorse-compatible routes (src/server/gorse/, written separately), mounted under
 * {@link COMPAT_PREFIX} over the same engine. Each of their routes declares its scope in
 * `config.scope`, so the server's own key check (auth.ts: Bearer or X-API-Key, 401/403), rate
 * limit and metrics cover them like every other route; their errors are answered in Gorse's
 * plain-text form by their own handler.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../serve/types.js';
import { gorseRoutes } from './gorse/index.js';

/** Where the Gorse-compatible API lives. */
export const COMPAT_PREFIX = '/api';

/** Registers the Gorse-compatible routes under /api. */
export async function registerCompatRoutes(app: FastifyInstance, engine: Engine): Promise<void> {
  await app.register(gorseRoutes, { prefix: COMPAT_PREFIX, engine });
}
