/**
 * Route registration for the Gorse plugin: every path also answers with a trailing slash (gorsejs
 * calls `/popular/` and `/recommend/bob/` when no category is given), unless the server already
 * ignores trailing slashes, and each route names the key scope it needs.
 */
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Engine } from '../../serve/types.js';
import type { Query } from './params.js';

/** The scope an `X-API-Key` needs for a route; health probes need none. */
export type GorseScope = 'read' | 'write' | 'admin';

/** A request to a Gorse route. */
export type GorseRequest = FastifyRequest<{ Params: Record<string, string | undefined>; Querystring: Query; Body: unknown }>;

/** A Gorse route handler: returns the JSON body (or sends the reply itself). */
export type GorseHandler = (request: GorseRequest, reply: FastifyReply) => Promise<unknown>;

/** Adds Gorse routes to one fastify scope. */
export interface GorseRouter {
  readonly engine: Engine;
  route(method: HTTPMethods, path: string, scope: GorseScope | null, handler: GorseHandler): void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The key scope a Gorse route needs; null for routes open to all (health probes). */
    gorseScope?: GorseScope | null;
  }
}

function ignoresTrailingSlash(app: FastifyInstance): boolean {
  const config = app.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
  return config.routerOptions?.ignoreTrailingSlash === true || config.ignoreTrailingSlash === true;
}

/** A router over `app` that registers each path with and without a trailing slash. */
export function createRouter(app: FastifyInstance, engine: Engine): GorseRouter {
  const slashFree = ignoresTrailingSlash(app);
  return {
    engine,
    route(method, path, scope, handler) {
      const paths = slashFree || path.endsWith('/') ? [path] : [path, `${path}/`];
      // `scope` is what the Magpie server's own key check reads (src/server/auth.ts); `public` opens a route.
      const config: Record<string, unknown> = { gorseScope: scope, scope: scope ?? 'public' };
      for (const url of paths) {
        app.route({ method, url, handler, config: config as FastifyContextConfig });
      }
    },
  };
}
