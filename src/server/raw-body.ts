/**
 * The body as the client sent it, before the route schema's transforms. Routes validate with the
 * schema (for the error and the docs) and hand the original to core's parsers, which fill in
 * defaults; re-parsing transformed values would read a 1970s millisecond time as seconds.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const sent = new WeakMap<FastifyRequest, unknown>();

/** Keeps each request's parsed JSON body before validation replaces it. */
export function keepRawBodies(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined) sent.set(request, request.body);
  });
}

/** The request's body before validation (undefined when it had none). */
export function rawBody(request: FastifyRequest): unknown {
  return sent.get(request);
}
