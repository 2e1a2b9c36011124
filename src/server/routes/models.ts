/** Model routes: versions, background training, activation, rollback and deletion. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import type { RouteContext } from '../context.js';
import { finiteOrNull } from '../json.js';
import { deletedSchema, emptyBody, errorResponses, idParams } from '../schemas/common.js';
import { modelVersionSchema, trainBodySchema, trainingJobSchema } from '../schemas/admin.js';

const versionParams = z.object({ version: z.string().min(1).max(200) }).strict();
const tags = ['models'];

/** The model routes. */
export const modelRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  const models = engine.models;

  app.get('/v1/models', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'listModels',
      tags,
      summary: 'Trained model versions, newest first, and the active one',
      response: { 200: z.object({ active: z.string().nullable(), versions: z.array(modelVersionSchema) }), ...errorResponses() },
    },
    handler: async () => ({ active: models.active()?.id ?? null, versions: finiteOrNull(await models.list()) }),
  });

  app.post('/v1/models/train', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'trainModel',
      tags,
      summary: 'Start training a model in the background',
      description: 'Answers 202 at once with the job; poll GET /v1/models/jobs/{id}.',
      body: trainBodySchema,
      response: { 202: trainingJobSchema, ...errorResponses() },
    },
    handler: async (request, reply) => {
      const body = request.body ?? {};
      const job = await models.train(body.model, body.activate === undefined ? {} : { activate: body.activate });
      return reply.code(202).send(job);
    },
  });

  app.get('/v1/models/jobs', {
    config: { scope: 'admin' },
    schema: { operationId: 'listTrainingJobs', tags, summary: 'Training jobs of this server', response: { 200: z.object({ jobs: z.array(trainingJobSchema) }), ...errorResponses() } },
    handler: async () => ({ jobs: models.jobs() }),
  });

  app.get('/v1/models/jobs/:id', {
    config: { scope: 'admin' },
    schema: { operationId: 'getTrainingJob', tags, summary: 'One training job', params: idParams, response: { 200: trainingJobSchema, ...errorResponses(404) } },
    handler: async (request) => {
      const job = models.job(request.params.id);
      if (!job) throw new MagpieError('not_found', `no training job "${request.params.id}"`, { location: { field: 'id' }, hint: 'GET /v1/models/jobs lists the jobs of this server' });
      return job;
    },
  });

  app.post('/v1/models/:version/activate', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'activateModel',
      tags,
      summary: 'Serve a version from now on',
      description: 'The version is loaded completely before it is swapped in; requests in flight finish on the old one.',
      params: versionParams,
      body: emptyBody,
      response: { 200: modelVersionSchema, ...errorResponses(404) },
    },
    handler: async (request) => finiteOrNull(await models.activate(request.params.version)),
  });

  app.post('/v1/models/rollback', {
    config: { scope: 'admin' },
    schema: { operationId: 'rollbackModel', tags, summary: 'Go back to the previously active version', body: emptyBody, response: { 200: modelVersionSchema, ...errorResponses(404, 409) } },
    handler: async () => finiteOrNull(await models.rollback()),
  });

  app.delete('/v1/models/:version', {
    config: { scope: 'admin' },
    schema: { operationId: 'deleteModel', tags, summary: 'Delete a version', params: versionParams, response: { 200: deletedSchema, ...errorResponses(404, 409) } },
    handler: async (request) => {
      await models.delete(request.params.version);
      return { deleted: true as const };
    },
  });
};
