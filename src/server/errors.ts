/**
 * Error handling: every failure leaves as JSON `{ code, message, location?, hint? }` with the
 * status its code maps to. Stack traces and internal messages stay in the log, never in a response.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MagpieError, type ErrorCode } from '../core/errors.js';
import type { ApiErrorCode } from './schemas/common.js';

/** HTTP status of each library error code. */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 422,
  corrupt: 500,
  internal: 500,
};

/** An error that exists only over HTTP (403, 429), or one with a status other than its code's default. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  readonly hint: string | undefined;
  readonly field: string | undefined;

  constructor(statusCode: number, code: ApiErrorCode, message: string, options: { hint?: string; field?: string } = {}) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.hint = options.hint;
    this.field = options.field;
  }
}

/** The JSON body of an error response. */
export interface ErrorBody {
  code: ApiErrorCode;
  message: string;
  location?: { file?: string; line?: number; field?: string };
  hint?: string;
}

// Fastify's own client errors, turned into the API's codes and hints.
function fromFastify(error: FastifyError, bodyLimit: number): { status: number; body: ErrorBody } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: { code: 'too_large', message: `the request body is larger than the limit of ${bodyLimit.toLocaleString('en-US')} bytes`, hint: 'send smaller batches (at most 1,000 events per request) or raise the server body limit' },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { code: 'invalid_input', message: `the body is not valid JSON: ${error.message}`, hint: 'send a JSON document with Content-Type: application/json' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { code: 'unsupported', message: error.message, hint: 'send JSON with Content-Type: application/json' } };
    default:
      break;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code: ApiErrorCode = status === 404 ? 'not_found' : status === 413 ? 'too_large' : status === 401 ? 'unauthorized' : 'invalid_input';
    return { status, body: { code, message: error.message } };
  }
  return null;
}

/** Status and body for any thrown value; unknown errors become an opaque 500. */
export function errorResponse(error: unknown, request: FastifyRequest, bodyLimit: number): { status: number; body: ErrorBody } {
  if (error instanceof MagpieError) return { status: STATUS_OF[error.code], body: error.toJSON() };
  if (error instanceof ApiError) {
    return {
      status: error.statusCode,
      body: { code: error.code, message: error.message, ...(error.field ? { location: { field: error.field } } : {}), ...(error.hint ? { hint: error.hint } : {}) },
    };
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('FST_')) {
    const mapped = fromFastify(error as FastifyError, bodyLimit);
    if (mapped) return mapped;
  }
  return {
    status: 500,
    body: { code: 'internal', message: `internal error (request ${request.id}); the server log has the details`, hint: 'retry later; report it with the request id if it persists' },
  };
}

/** Installs the error and not-found handlers on the root instance. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorResponse(error, request, bodyLimit);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status }, body.message);
    return reply.code(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const body: ErrorBody = { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, hint: 'the routes are listed at /docs' };
    return reply.code(404).send(body);
  });
}
