/**
 * The HTTP API of Magpie: thin routes over an {@link Engine}, OpenAPI from the same zod schemas
 * that validate requests, API keys with scopes, rate limits, Prometheus metrics and health checks.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Engine } from '../serve/types.js';
import { authHooks, decorateAuth, rateLimitKey } from './auth.js';
import type { RouteContext } from './context.js';
import { DOCS_PREFIX, registerDocs } from './docs.js';
import { ApiError, installErrorHandling } from './errors.js';
import { registerCompatRoutes } from './compat.js';
import { responseSerializerCompiler } from './serialize.js';
import { ApiKeys } from './keys.js';
import { installMetrics } from './metrics.js';
import { keepRawBodies } from './raw-body.js';
import { analyticsRoutes } from './routes/analytics.js';
import { eventRoutes } from './routes/events.js';
import { experimentRoutes } from './routes/experiments.js';
import { healthRoutes } from './routes/health.js';
import { itemRoutes } from './routes/items.js';
import { keyRoutes } from './routes/keys.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { ruleSetRoutes } from './routes/rules.js';
import { userRoutes } from './routes/users.js';
import { validatorCompiler } from './validation.js';

export { ApiKeys, type ApiKeyInfo, type Principal, type Scope } from './keys.js';
export type { RouteScope } from './auth.js';
export type { RouteContext } from './context.js';
export { COMPAT_PREFIX } from './compat.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  engine: Engine;
  /** Admin key with every scope (MAGPIE_API_KEY). Without it and without stored keys, every route is open. */
  apiKey?: string;
  /** Origins allowed by CORS (`*` for any); none by default. */
  corsOrigins?: string[];
  /** Largest request body, bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Requests per minute per key (per IP without one); 0 turns the limit off (default 1,200). */
  rateLimitPerMinute?: number;
  /** Fastify's pino logger: true/false, or pino options (default JSON at MAGPIE_LOG's level, else info). */
  logger?: boolean | object;
}

/** Default largest request body: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Default requests per minute per key or IP. */
export const DEFAULT_RATE_LIMIT = 1200;

function loggerOptions(logger: boolean | object | undefined): FastifyServerOptions['logger'] {
  const level = process.env.MAGPIE_LOG ?? 'info';
  const defaults = { level, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] };
  if (logger === false) return false;
  if (logger === undefined || logger === true) return level === 'silent' ? false : defaults;
  return logger as FastifyServerOptions['logger'];
}

/**
 * Builds the server (not listening yet): call `listen` on the result.
 *
 * @example
 * const engine = await openEngine({ store: await openStore('sqlite:./data/magpie.db') });
 * const app = await buildServer({ engine, apiKey: process.env.MAGPIE_API_KEY });
 * await app.listen({ port: 8080, host: '0.0.0.0' });
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: loggerOptions(options.logger),
    bodyLimit,
    requestIdHeader: 'x-request-id',
    // The API is JSON; query strings carry only scalars and comma-separated lists.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  installErrorHandling(app, bodyLimit);

  const keys = new ApiKeys(options.engine.store, options.apiKey);
  const metrics = installMetrics(app, options.engine);
  decorateAuth(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Before the key checks, so refusals carry CORS headers too and a browser can read them.
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    const origins = options.corsOrigins;
    await app.register(cors, {
      origin: origins.includes('*') ? true : origins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  // Order matters: find the caller, count the request against its limit, then check its scope.
  const auth = authHooks(keys);
  app.addHook('onRequest', auth.identify);
  const perMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT;
  if (perMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) =>
        new ApiError(429, 'rate_limited', `more than ${context.max} requests per minute`, { hint: `retry after ${context.after} (see the Retry-After header)` }),
    });
    const limiter = app.rateLimit();
    app.addHook('onRequest', async function (request, reply) {
      // Health checks and the docs are never limited: probes must not fail because of traffic.
      if (!request.is404 && request.routeOptions.config.scope === 'public') return;
      await limiter.call(this, request, reply);
    });
  }
  app.addHook('onRequest', auth.authorize);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(DOCS_PREFIX)) route.config = { ...route.config, scope: 'public' };
  });

  keepRawBodies(app);
  await registerDocs(app, await keys.enabled());

  const context: RouteContext = { engine: options.engine, keys, metrics };
  for (const routes of [healthRoutes, metricsRoutes, eventRoutes, itemRoutes, userRoutes, recommendationRoutes, modelRoutes, ruleSetRoutes, experimentRoutes, keyRoutes, analyticsRoutes]) {
    await app.register(routes, context);
  }
  await registerCompatRoutes(app, options.engine);
  return app;
}
