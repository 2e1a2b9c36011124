/**
 * Authentication and authorisation. Each route declares the scope it needs in its config
 * (`config: { scope: 'read' }`); the hooks below find the caller's key (`Authorization: Bearer`
 * or `X-API-Key`) and check it. With no key configured anywhere, every route is open.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { ALL_SCOPES, type ApiKeys, type Principal, type Scope } from './keys.js';

/** What a route needs: a scope, or nothing (`public`: health checks and the docs). */
export type RouteScope = Scope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a caller's key must hold; see {@link RouteScope}. Undeclared: GET read, DELETE admin, else write. */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    /** The key the request authenticated with; null when none (or an invalid one) was sent. */
    principal: Principal | null;
    /** True when the key sent (if any) matched no key. */
    badKey: boolean;
  }
}

/** The secret a request carries, from `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1]!;
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return null;
}

/** The scope a request needs: the route's declared one, else one derived from its method. */
export function requiredScope(request: FastifyRequest): RouteScope {
  // CORS preflights carry no credentials by design; the request that follows does.
  if (request.is404 || request.method === 'OPTIONS') return 'public';
  const declared = request.routeOptions.config.scope;
  if (declared) return declared;
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return 'read';
  return method === 'DELETE' ? 'admin' : 'write';
}

/** True when `principal` may use a route needing `scope`; admin implies every scope. */
export function allows(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

/** The caller of a server with no key configured: anyone, with every scope. */
export const OPEN_ACCESS: Principal = Object.freeze({ name: 'anonymous (no keys configured)', scopes: ALL_SCOPES });

/** What the rate limit counts a request against: its key, else its address (always so when no keys exist). */
export function rateLimitKey(request: FastifyRequest): string {
  return request.principal && request.principal !== OPEN_ACCESS ? `key:${request.principal.name}` : `ip:${request.ip}`;
}

/**
 * The two onRequest hooks: `identify` finds the caller (so the rate limiter can key on it) and
 * `authorize` refuses what the caller may not do. Installed in that order with the limiter between.
 */
export function authHooks(keys: ApiKeys): {
  identify: (request: FastifyRequest) => Promise<void>;
  authorize: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
} {
  return {
    async identify(request) {
      request.principal = null;
      request.badKey = false;
      if (!(await keys.enabled())) {
        request.principal = OPEN_ACCESS;
        return;
      }
      const secret = presentedKey(request);
      if (secret !== null) {
        request.principal = await keys.authenticate(secret);
        request.badKey = request.principal === null;
      }
    },
    async authorize(request) {
      const scope = requiredScope(request);
      if (scope === 'public') return;
      const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
      if (request.principal === null) {
        if (request.badKey) throw new ApiError(401, 'unauthorized', 'the API key sent matches no key', { hint: 'check the key; keys are listed (without secrets) by GET /v1/keys' });
        throw new ApiError(401, 'unauthorized', `${route} needs an API key`, { hint: 'send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"' });
      }
      if (!allows(request.principal, scope)) {
        throw new ApiError(403, 'forbidden', `the key "${request.principal.name}" lacks the "${scope}" scope that ${route} needs`, {
          hint: `use a key with the "${scope}" scope (an admin can create one with POST /v1/keys)`,
        });
      }
    },
  };
}

/** Adds the request fields the hooks fill in. */
export function decorateAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('badKey', false);
}
