/** GET /metrics: Prometheus text exposition of the server's registry. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from '../context.js';
import { errorResponses } from '../schemas/common.js';

/** The metrics route; needs the read scope when keys are configured (Prometheus can send a bearer token). */
export const metricsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { metrics }) => {
  app.get('/metrics', {
    config: { scope: 'read' },
    schema: {
      operationId: 'metrics',
      tags: ['health'],
      summary: 'Prometheus metrics',
      description: 'Request duration and count by route pattern, events ingested, the active model version, process metrics.',
      response: { 200: z.string().describe('Prometheus text format 0.0.4'), ...errorResponses() },
    },
    handler: async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  });
};
