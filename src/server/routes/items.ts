/** Catalog routes: batch and single upsert, read, and delete (hide) of items. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import { parseItem } from '../../core/schemas.js';
import { batchLimit, MAX_BATCH, type RouteContext } from '../context.js';
import { deletedSchema, errorResponses, idParams } from '../schemas/common.js';
import { itemInput, itemSchema } from '../schemas/domain.js';
import { rawBody } from '../raw-body.js';

const itemFields = itemInput.omit({ id: true }).extend({ id: z.unknown().optional().describe('optional; must equal the id in the path') }).strict();

/** The item routes. */
export const itemRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  app.put('/v1/items', {
    config: { scope: 'write' },
    schema: {
      operationId: 'upsertItems',
      tags: ['items'],
      summary: 'Create or replace items',
      description: `Up to ${MAX_BATCH} items; each replaces the stored item of the same id.`,
      body: z.object({ items: z.array(itemInput).min(1).max(MAX_BATCH) }).strict(),
      response: { 200: z.object({ upserted: z.number().int() }), ...errorResponses(413) },
    },
    preValidation: batchLimit('items', MAX_BATCH),
    handler: async (request) => {
      const sent = (rawBody(request) as { items: unknown[] }).items;
      const items = sent.map((item, i) => parseItem(item, { field: `items[${i}]` }));
      return { upserted: await engine.upsertItems(items) };
    },
  });

  app.put('/v1/items/:id', {
    config: { scope: 'write' },
    schema: {
      operationId: 'upsertItem',
      tags: ['items'],
      summary: 'Create or replace one item',
      params: idParams,
      body: itemFields,
      response: { 200: itemSchema, ...errorResponses() },
    },
    handler: async (request) => {
      const sent = rawBody(request) as Record<string, unknown>;
      if (sent.id !== undefined && String(sent.id).trim() !== request.params.id) {
        throw new MagpieError('invalid_input', `the body's id "${String(sent.id)}" differs from the id in the path "${request.params.id}"`, { location: { field: 'id' }, hint: 'leave id out of the body or make it equal the path' });
      }
      const item = parseItem({ ...sent, id: request.params.id });
      await engine.upsertItems([item]);
      return item;
    },
  });

  app.get('/v1/items/:id', {
    config: { scope: 'read' },
    schema: { operationId: 'getItem', tags: ['items'], summary: 'One item', params: idParams, response: { 200: itemSchema, ...errorResponses(404) } },
    handler: async (request) => {
      const item = await engine.store.getItem(request.params.id);
      if (!item) throw new MagpieError('not_found', `no item "${request.params.id}"`, { location: { field: 'id' }, hint: 'create it with PUT /v1/items/{id}' });
      return item;
    },
  });

  app.delete('/v1/items/:id', {
    config: { scope: 'write' },
    schema: {
      operationId: 'deleteItem',
      tags: ['items'],
      summary: 'Remove an item from every list',
      description: 'The item is hidden from every recommendation; its events stay for history.',
      params: idParams,
      response: { 200: deletedSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      if (!(await engine.deleteItem(request.params.id))) throw new MagpieError('not_found', `no item "${request.params.id}"`, { location: { field: 'id' } });
      return { deleted: true as const };
    },
  });
};
