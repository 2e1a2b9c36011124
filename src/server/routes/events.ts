/** POST /v1/events: one event or a batch, stored idempotently by id. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventInput } from '../../core/schemas.js';
import { batchLimit, MAX_EVENTS_PER_REQUEST, type RouteContext } from '../context.js';
import { errorResponses, named } from '../schemas/common.js';
import { eventInput } from '../schemas/domain.js';
import { rawBody } from '../raw-body.js';

const batchSchema = z.object({ events: z.array(eventInput).min(1).max(MAX_EVENTS_PER_REQUEST) }).strict();

const ingestResultSchema = named(
  'IngestResult',
  z.object({
    stored: z.number().int().describe('events newly stored'),
    duplicates: z.number().int().describe('events whose id was already stored (sending twice is safe)'),
    ids: z.array(z.string()).describe('the id of each input event, in order'),
  }),
);

/** The event routes. */
export const eventRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine, metrics }) => {
  app.post('/v1/events', {
    config: { scope: 'write' },
    schema: {
      operationId: 'sendEvents',
      tags: ['events'],
      summary: 'Send behaviour events',
      description: `One event object, or { events: [...] } with up to ${MAX_EVENTS_PER_REQUEST} events (more → 413). Idempotent by id: resending stores nothing twice.`,
      body: z.union([eventInput, batchSchema]),
      response: { 200: ingestResultSchema, ...errorResponses(413) },
    },
    preValidation: batchLimit('events', MAX_EVENTS_PER_REQUEST),
    handler: async (request) => {
      // The engine validates and fills in events itself, so it gets them as sent (see raw-body.ts).
      const sent = rawBody(request) as EventInput | { events: EventInput[] };
      const result = await engine.ingest('events' in sent ? sent.events : [sent]);
      metrics.eventsIngested.inc({ outcome: 'stored' }, result.stored);
      metrics.eventsIngested.inc({ outcome: 'duplicate' }, result.duplicates);
      return result;
    },
  });
};
