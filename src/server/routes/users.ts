/** User routes: upsert, read, events, and deletion of every trace of a user. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import { parseUser } from '../../core/schemas.js';
import { batchLimit, MAX_BATCH, type RouteContext } from '../context.js';
import { errorResponses, idParams } from '../schemas/common.js';
import { eventSchema, userInput, userSchema } from '../schemas/domain.js';
import { rawBody } from '../raw-body.js';

const userFields = userInput.omit({ id: true }).extend({ id: z.unknown().optional().describe('optional; must equal the id in the path') }).strict();

/** The user routes. */
export const userRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  app.put('/v1/users', {
    config: { scope: 'write' },
    schema: {
      operationId: 'upsertUsers',
      tags: ['users'],
      summary: 'Create or replace users',
      body: z.object({ users: z.array(userInput).min(1).max(MAX_BATCH) }).strict(),
      response: { 200: z.object({ upserted: z.number().int() }), ...errorResponses(413) },
    },
    preValidation: batchLimit('users', MAX_BATCH),
    handler: async (request) => {
      const sent = (rawBody(request) as { users: unknown[] }).users;
      return { upserted: await engine.upsertUsers(sent.map((user, i) => parseUser(user, { field: `users[${i}]` }))) };
    },
  });

  app.put('/v1/users/:id', {
    config: { scope: 'write' },
    schema: { operationId: 'upsertUser', tags: ['users'], summary: 'Create or replace one user', params: idParams, body: userFields, response: { 200: userSchema, ...errorResponses() } },
    handler: async (request) => {
      const sent = rawBody(request) as Record<string, unknown>;
      if (sent.id !== undefined && String(sent.id).trim() !== request.params.id) {
        throw new MagpieError('invalid_input', `the body's id "${String(sent.id)}" differs from the id in the path "${request.params.id}"`, { location: { field: 'id' }, hint: 'leave id out of the body or make it equal the path' });
      }
      const user = parseUser({ ...sent, id: request.params.id });
      await engine.upsertUsers([user]);
      return user;
    },
  });

  app.get('/v1/users/:id', {
    config: { scope: 'read' },
    schema: { operationId: 'getUser', tags: ['users'], summary: 'One user', params: idParams, response: { 200: userSchema, ...errorResponses(404) } },
    handler: async (request) => {
      const user = await engine.store.getUser(request.params.id);
      if (!user) throw new MagpieError('not_found', `no user "${request.params.id}"`, { location: { field: 'id' }, hint: 'create it with PUT /v1/users/{id}' });
      return user;
    },
  });

  app.delete('/v1/users/:id', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'deleteUser',
      tags: ['users'],
      summary: 'Delete every trace of a user',
      description: "Profile, events (also those of the user's sessions), orders, cached lists and the user's row in loaded models. Safe to repeat.",
      params: idParams,
      response: { 200: z.object({ deleted: z.object({ users: z.number().int(), events: z.number().int(), orders: z.number().int() }) }), ...errorResponses() },
    },
    handler: async (request) => ({ deleted: await engine.deleteUser(request.params.id) }),
  });

  app.get('/v1/users/:id/events', {
    config: { scope: 'read' },
    schema: {
      operationId: 'userEvents',
      tags: ['users'],
      summary: "A user's events, most recent first",
      params: idParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).optional().describe('default 100') }).strict(),
      response: { 200: z.object({ events: z.array(eventSchema) }), ...errorResponses() },
    },
    handler: async (request) => ({ events: await engine.userEvents(request.params.id, { limit: request.query.limit ?? 100 }) }),
  });
};
