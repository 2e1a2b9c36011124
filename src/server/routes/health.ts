/**
 * Health checks for load balancers and orchestrators: live (the process answers), ready (the
 * store answers and something can serve: an active model, or catalog items for the fallbacks).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Engine } from '../../serve/types.js';
import type { RouteContext } from '../context.js';
import { named } from '../schemas/common.js';

const readinessSchema = named(
  'Readiness',
  z.object({
    ready: z.boolean(),
    checks: z.object({
      store: z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() }),
      model: z.object({ ok: z.boolean(), version: z.string().nullable() }),
      fallback: z.object({ ok: z.boolean(), detail: z.string() }),
    }),
  }),
);

/** What the readiness check found. */
export type Readiness = z.output<typeof readinessSchema>;

/** Checks the store and what can serve; never throws. */
export async function readiness(engine: Engine): Promise<Readiness> {
  const started = performance.now();
  let storeOk = true;
  let error: string | undefined;
  let hasItems = false;
  try {
    // A one-row read: cheap on any size of store, and proves the connection answers.
    hasItems = (await engine.store.listItems({ limit: 1 })).length > 0;
  } catch (cause) {
    storeOk = false;
    error = cause instanceof Error ? cause.message : String(cause);
  }
  const ms = Math.round((performance.now() - started) * 100) / 100;
  let version: string | null = null;
  try {
    version = engine.models.active()?.id ?? null;
  } catch {
    version = null;
  }
  const fallback = { ok: storeOk && hasItems, detail: hasItems ? 'catalog items available for trending/latest' : 'no catalog items: nothing to fall back on' };
  return {
    ready: storeOk && (version !== null || fallback.ok),
    checks: { store: { ok: storeOk, ms, ...(error ? { error } : {}) }, model: { ok: version !== null, version }, fallback },
  };
}

/** The health routes. */
export const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  const tags = ['health'];
  app.get('/health/live', {
    config: { scope: 'public' },
    schema: { operationId: 'healthLive', tags, security: [], summary: 'Liveness: 200 while the process runs', response: { 200: z.object({ live: z.literal(true) }) } },
    handler: async () => ({ live: true as const }),
  });
  app.get('/health/ready', {
    config: { scope: 'public' },
    schema: {
      operationId: 'healthReady',
      tags,
      security: [],
      summary: 'Readiness: 200 when the store answers and a model or fallback can serve, else 503',
      response: { 200: readinessSchema, 503: readinessSchema },
    },
    handler: async (_request, reply) => {
      const result = await readiness(engine);
      return reply.code(result.ready ? 200 : 503).send(result);
    },
  });
  app.get('/health', {
    config: { scope: 'public' },
    schema: {
      operationId: 'health',
      tags,
      security: [],
      summary: 'Liveness and readiness together (503 when not ready)',
      response: { 200: readinessSchema.extend({ live: z.literal(true) }), 503: readinessSchema.extend({ live: z.literal(true) }) },
    },
    handler: async (_request, reply) => {
      const result = await readiness(engine);
      return reply.code(result.ready ? 200 : 503).send({ live: true as const, ...result });
    },
  });
};
