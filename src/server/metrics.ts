/**
 * Prometheus metrics: request duration and count by route pattern (never the raw URL, so ids do
 * not explode the label set), events ingested, and the active model version. One registry per
 * server, so several servers in one process (tests) do not collide.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Engine } from '../serve/types.js';

/** The metrics a server records; routes add to `eventsIngested`. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly eventsIngested: Counter<'outcome'>;
}

/** The route label: the pattern (`/v1/items/:id`), or `unmatched` for 404s. */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/** Creates the registry and hooks the request metrics into the root instance. */
export function installMetrics(app: FastifyInstance, engine: Engine): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'magpie_' });
  const duration = new Histogram({
    name: 'magpie_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'magpie_http_requests_total',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const eventsIngested = new Counter({
    name: 'magpie_events_ingested_total',
    help: 'Events received by POST /v1/events: stored, or duplicate (id already stored)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'magpie_active_model',
    help: 'The active model version (1 for the active one)',
    labelNames: ['version', 'model'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const active = engine.models.active();
      if (active) this.set({ version: active.id, model: active.model }, 1);
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = routeLabel(request);
    duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
  });
  return { registry, eventsIngested };
}
