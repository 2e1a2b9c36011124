/** A/B experiments: create, list, stop and report. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import type { Surface } from '../../serve/types.js';
import type { RouteContext } from '../context.js';
import { finiteOrNull } from '../json.js';
import { emptyBody, errorResponses, nameParams } from '../schemas/common.js';
import { createExperimentSchema, experimentReportSchema, experimentSchema } from '../schemas/admin.js';

const tags = ['experiments'];

/** Surfaces an experiment applies to when it names none: the personal ones. */
export const DEFAULT_EXPERIMENT_SURFACES: Surface[] = ['feed', 'session', 'cart'];

/** The experiment routes. */
export const experimentRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  const experiments = engine.experiments;

  app.get('/v1/experiments', {
    config: { scope: 'admin' },
    schema: { operationId: 'listExperiments', tags, summary: 'Every experiment', response: { 200: z.object({ experiments: z.array(experimentSchema) }), ...errorResponses() } },
    handler: async () => ({ experiments: await experiments.list() }),
  });

  app.post('/v1/experiments', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'createExperiment',
      tags,
      summary: 'Start an experiment',
      description: 'Users and sessions are assigned to variants by a stable hash; the first variant is the control.',
      body: createExperimentSchema,
      response: { 201: experimentSchema, ...errorResponses(409) },
    },
    handler: async (request, reply) => {
      const { name, surfaces, variants } = request.body;
      const created = await experiments.create({ name, surfaces: surfaces ?? DEFAULT_EXPERIMENT_SURFACES, variants });
      return reply.code(201).send(created);
    },
  });

  app.get('/v1/experiments/:name', {
    config: { scope: 'admin' },
    schema: { operationId: 'getExperiment', tags, summary: 'One experiment', params: nameParams, response: { 200: experimentSchema, ...errorResponses(404) } },
    handler: async (request) => {
      const found = await experiments.get(request.params.name);
      if (!found) throw new MagpieError('not_found', `no experiment "${request.params.name}"`, { location: { field: 'name' }, hint: 'GET /v1/experiments lists them' });
      return found;
    },
  });

  app.post('/v1/experiments/:name/stop', {
    config: { scope: 'admin' },
    schema: { operationId: 'stopExperiment', tags, summary: 'Stop an experiment', params: nameParams, body: emptyBody, response: { 200: experimentSchema, ...errorResponses(404) } },
    handler: async (request) => experiments.stop(request.params.name),
  });

  app.get('/v1/experiments/:name/report', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'experimentReport',
      tags,
      summary: 'Per-variant outcome with confidence intervals',
      params: nameParams,
      response: { 200: experimentReportSchema, ...errorResponses(404) },
    },
    handler: async (request) => finiteOrNull(await experiments.report(request.params.name)),
  });
};
