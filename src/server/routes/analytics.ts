/** GET /v1/analytics/{name}: the analyses of `magpie analytics`, through the same service. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANALYSES, GRANULARITIES, parseSegment, parseSteps, runAnalysis, type AnalysisName, type AnalysisOptions } from '../../analytics/index.js';
import { MagpieError } from '../../core/errors.js';
import type { RouteContext } from '../context.js';
import { finiteOrNull } from '../json.js';
import { errorResponses, nameParams, queryBoolean } from '../schemas/common.js';

const query = z
  .object({
    from: z.string().min(1).max(40).optional().describe('start of the range, inclusive: 2011-03, 2011-03-07 or an ISO time (UTC)'),
    to: z.string().min(1).max(40).optional().describe('end of the range, exclusive'),
    by: z.enum(GRANULARITIES as [string, ...string[]]).optional().describe('day, week (ISO, from Monday) or month'),
    segment: z.string().min(3).max(300).optional().describe('only users whose profile attribute has this value: attribute=value'),
    steps: z.string().min(1).max(500).optional().describe('funnel: event types in order, comma-separated (default view,add_to_cart,purchase)'),
    window: z.coerce.number().positive().optional().describe('funnel: longest time from the first step to the last, in days (default 30)'),
    byCategory: queryBoolean.optional().describe("funnel: also one funnel per category (the item's first)"),
    churnAfter: z.coerce.number().int().min(1).optional().describe('user-states: quiet periods after which a user counts as churned (default 8 weeks)'),
    asOf: z.string().min(1).max(40).optional().describe('bayes-net: cut-off between the drivers and the outcome (default: the horizon before the data ends)'),
    horizon: z.coerce.number().int().min(1).optional().describe('bayes-net: outcome window after the cut-off, in days (default 30)'),
  })
  .strict();

/** The options of `magpie analytics` from the query string. */
export function analyticsOptions(q: z.output<typeof query>): AnalysisOptions {
  const options: AnalysisOptions = {};
  if (q.from !== undefined) options.from = q.from;
  if (q.to !== undefined) options.to = q.to;
  if (q.by !== undefined) options.by = q.by as AnalysisOptions['by'];
  if (q.segment !== undefined) options.segment = parseSegment(q.segment);
  if (q.steps !== undefined) options.steps = parseSteps(q.steps);
  if (q.window !== undefined) options.windowDays = q.window;
  if (q.byCategory) options.byCategory = true;
  if (q.churnAfter !== undefined) options.churnAfter = q.churnAfter;
  if (q.asOf !== undefined) options.asOf = q.asOf;
  if (q.horizon !== undefined) options.horizonDays = q.horizon;
  return options;
}

/** The analytics route. */
export const analyticsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { engine }) => {
  app.get('/v1/analytics/:name', {
    config: { scope: 'read' },
    schema: {
      operationId: 'analytics',
      tags: ['analytics'],
      summary: 'Engagement analytics',
      description: `name: one of ${ANALYSES.join(', ')}. result is what \`magpie analytics <name> --json\` writes: rows for the tabular analyses, a model object for user-states and bayes-net; camelCase keys, periods as ISO strings, rates as fractions.`,
      params: nameParams,
      querystring: query,
      response: {
        200: z.object({
          name: z.enum(ANALYSES),
          result: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).describe('rows, or the model object of user-states and bayes-net'),
        }),
        ...errorResponses(404),
      },
    },
    handler: async (request) => {
      const name = request.params.name;
      if (!(ANALYSES as readonly string[]).includes(name)) {
        throw new MagpieError('not_found', `no analysis "${name}"`, { location: { field: 'name' }, hint: `use one of ${ANALYSES.join(', ')}` });
      }
      const result = await runAnalysis(engine.store, name as AnalysisName, analyticsOptions(request.query));
      return { name: name as AnalysisName, result: finiteOrNull(result) as unknown as Record<string, unknown> };
    },
  });
};
