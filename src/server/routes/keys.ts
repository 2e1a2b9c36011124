/** API key administration: create (the secret is shown once), list (never secrets), delete. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import type { RouteContext } from '../context.js';
import { deletedSchema, errorResponses, nameParams } from '../schemas/common.js';
import { apiKeySchema, createdKeySchema, createKeySchema } from '../schemas/admin.js';

const tags = ['keys'];

/** The key routes. */
export const keyRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { keys }) => {
  app.post('/v1/keys', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'createKey',
      tags,
      summary: 'Create an API key',
      description: 'Scopes: read (lists, items, users, analytics), write (events, items, users), admin (everything). The secret is in this response only; the server keeps its SHA-256 digest.',
      body: createKeySchema,
      response: { 201: createdKeySchema, ...errorResponses(409) },
    },
    handler: async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await keys.create(request.body.name, request.body.scopes)),
  });

  app.get('/v1/keys', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'listKeys',
      tags,
      summary: 'Stored API keys (names, scopes, creation times; never secrets)',
      description: 'The admin key given by MAGPIE_API_KEY / --api-key is not stored and not listed.',
      response: { 200: z.object({ keys: z.array(apiKeySchema) }), ...errorResponses() },
    },
    handler: async () => ({ keys: await keys.list() }),
  });

  app.delete('/v1/keys/:name', {
    config: { scope: 'admin' },
    schema: { operationId: 'deleteKey', tags, summary: 'Revoke an API key', params: nameParams, response: { 200: deletedSchema, ...errorResponses(404) } },
    handler: async (request) => {
      if (!(await keys.delete(request.params.name))) throw new MagpieError('not_found', `no key named "${request.params.name}"`, { location: { field: 'name' }, hint: 'GET /v1/keys lists them' });
      return { deleted: true as const };
    },
  });
};
