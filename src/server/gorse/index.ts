/**
 * Gorse-compatible REST API: shops moving from Gorse keep their clients (gorsejs, gorse-py, the Go
 * client, plain HTTP). Registered by the server under `/api`; answers with Gorse's JSON shapes,
 * reads the key from `X-API-Key`, and reports errors as Gorse does: a status code and a plain-text
 * message (here with where the problem is and how to fix it).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMagpieError, type ErrorCode, type MagpieError } from '../../core/errors.js';
import type { Engine } from '../../serve/types.js';
import { feedbackRoutes } from './feedback.js';
import { itemRoutes } from './items.js';
import { recommendRoutes } from './recommend.js';
import { createRouter, type GorseRouter } from './router.js';
import { userRoutes } from './users.js';

/** Checks an API key for a scope; true lets the request through. */
export type GorseAuthorize = (apiKey: string | undefined, scope: 'read' | 'write' | 'admin') => boolean | Promise<boolean>;

/** Options of {@link gorseRoutes}. */
export interface GorseRoutesOptions {
  engine: Engine;
  /** Without it every request is let through, as Gorse does when no API key is configured. */
  authorize?: GorseAuthorize;
}

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unsupported: 501,
  corrupt: 500,
  too_large: 413,
  unauthorized: 401,
  internal: 500,
};

function sendText(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(message);
}

/** What, where (unless the message already names the field) and how to fix it, on one line. */
function describe(error: MagpieError): string {
  const field = error.location?.field;
  const where = field && !error.message.includes(field) ? ` (field ${field})` : '';
  return `${error.message}${where}${error.hint ? `. Fix: ${error.hint}` : ''}`;
}

function onError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isMagpieError(error)) return sendText(reply, STATUS[error.code], describe(error));
  // Errors with an HTTP status: fastify's own (unparsable or empty JSON, unsupported content type,
  // body too large) and those of the server's hooks (401/403 from its key check, 429 from its limiter).
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendText(reply, status, `request body too large: ${error.message}. Fix: send smaller batches of users, items or feedback`);
    }
    if (error.code?.startsWith('FST_ERR_CTP')) {
      return sendText(reply, status, `invalid request body: ${error.message}. Fix: send a JSON body with Content-Type: application/json`);
    }
    const hint = (error as { hint?: unknown }).hint;
    return sendText(reply, status, `${error.message}${typeof hint === 'string' ? `. Fix: ${hint}` : ''}`);
  }
  request.log.error({ err: error }, 'gorse route failed');
  return sendText(reply, 500, 'internal server error');
}

function healthRoutes(router: GorseRouter): void {
  const healthy = { Ready: true, DataStoreError: null, CacheStoreError: null, DataStoreConnected: true, CacheStoreConnected: true };
  router.route('GET', '/health/live', null, async () => healthy);
  router.route('GET', '/health/ready', null, async (_request, reply) => {
    try {
      await router.engine.store.getMeta('gorse:ready');
      return healthy;
    } catch (error) {
      const status = { ...healthy, Ready: false, DataStoreConnected: false, DataStoreError: String(error instanceof Error ? error.message : error) };
      return sendText(reply, 503, JSON.stringify(status));
    }
  });
}

/**
 * The Gorse REST API subset as a fastify plugin: users, items, categories, feedback,
 * recommendations, neighbors, popular, latest, session recommendations and health probes.
 *
 * @example
 * await app.register(gorseRoutes, { prefix: '/api', engine, authorize: (key, scope) => keys.allows(key, scope) });
 * // then, from a shop's existing code: new Gorse({ endpoint: 'http://localhost:8080', secret: key })
 */
export async function gorseRoutes(app: FastifyInstance, options: GorseRoutesOptions): Promise<void> {
  const { engine, authorize } = options;
  app.setErrorHandler(onError);
  app.setNotFoundHandler((request, reply) => sendText(reply, 404, `404: Page Not Found (${request.method} ${request.url} is not a Gorse API route)`));
  // gorsejs (axios) sends a form content type on a PUT without a body (adding a category); nothing to parse.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      if (body === '') done(null, undefined);
      else done(Object.assign(new Error('form bodies are not accepted'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), undefined);
    });
  }
  if (authorize) {
    app.addHook('onRequest', async (request, reply) => {
      const scope = request.routeOptions.config.gorseScope;
      if (!scope) return;
      const header = request.headers['x-api-key'];
      const key = Array.isArray(header) ? header[0] : header;
      if (!(await authorize(key, scope))) return sendText(reply, 401, 'unauthorized');
    });
  }
  const router = createRouter(app, engine);
  healthRoutes(router);
  userRoutes(router);
  itemRoutes(router);
  feedbackRoutes(router);
  recommendRoutes(router);
}
