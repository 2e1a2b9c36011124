/** Saved rule sets: named business rules that list requests refer to by `ruleSet`. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MagpieError } from '../../core/errors.js';
import type { RouteContext } from '../context.js';
import { deletedSchema, errorResponses, nameParams } from '../schemas/common.js';
import { resourceName, ruleSetSchema } from '../schemas/admin.js';
import { rulesSchema } from '../schemas/recommendations.js';

const tags = ['rule sets'];

/** The rule-set routes. */
export const ruleSetRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  const rules = engine.rules;

  app.get('/v1/rule-sets', {
    config: { scope: 'admin' },
    schema: { operationId: 'listRuleSets', tags, summary: 'Every saved rule set', response: { 200: z.object({ ruleSets: z.array(ruleSetSchema) }), ...errorResponses() } },
    handler: async () => ({ ruleSets: await rules.list() }),
  });

  app.get('/v1/rule-sets/:name', {
    config: { scope: 'admin' },
    schema: { operationId: 'getRuleSet', tags, summary: 'One rule set', params: nameParams, response: { 200: ruleSetSchema, ...errorResponses(404) } },
    handler: async (request) => {
      const found = await rules.get(request.params.name);
      if (!found) throw new MagpieError('not_found', `no rule set "${request.params.name}"`, { location: { field: 'name' }, hint: 'GET /v1/rule-sets lists them' });
      return { name: request.params.name, rules: found };
    },
  });

  app.put('/v1/rule-sets/:name', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'putRuleSet',
      tags,
      summary: 'Create or replace a rule set',
      params: z.object({ name: resourceName }).strict(),
      body: rulesSchema,
      response: { 200: ruleSetSchema, ...errorResponses() },
    },
    handler: async (request) => {
      await rules.put(request.params.name, request.body);
      return { name: request.params.name, rules: request.body };
    },
  });

  app.delete('/v1/rule-sets/:name', {
    config: { scope: 'admin' },
    schema: { operationId: 'deleteRuleSet', tags, summary: 'Delete a rule set', params: nameParams, response: { 200: deletedSchema, ...errorResponses(404) } },
    handler: async (request) => {
      if (!(await rules.delete(request.params.name))) throw new MagpieError('not_found', `no rule set "${request.params.name}"`, { location: { field: 'name' } });
      return { deleted: true as const };
    },
  });
};
