/**
 * Schemas every route shares: the error body, query-string scalars and the registry that names
 * schemas as OpenAPI components. The same zod objects validate requests and generate `/docs/json`.
 */
import { z } from 'zod';

/**
 * The registry the OpenAPI document reads names and descriptions from. It is zod's global one,
 * because `.describe()` writes there; schemas named by {@link named} become components.
 */
export const apiRegistry = z.globalRegistry;

/** Names `schema` as the OpenAPI component `id` (referenced by `$ref`) and returns it unchanged. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  apiRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/** Every error code the API answers with: the library's codes plus the two that exist only over HTTP. */
export const API_ERROR_CODES = [
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'unsupported',
  'rate_limited',
  'corrupt',
  'internal',
] as const;

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The body of every error response. Never carries a stack trace. */
export const errorSchema = named(
  'Error',
  z.object({
    code: z.enum(API_ERROR_CODES),
    message: z.string(),
    location: z.object({ file: z.string().optional(), line: z.number().optional(), field: z.string().optional() }).optional(),
    hint: z.string().optional(),
  }),
  'What went wrong (message), where (location.field names the offending field, e.g. events[3].type) and how to fix it (hint).',
);

const ERROR_MEANING: Record<number, string> = {
  400: 'Invalid input: location.field names the offending field',
  401: 'No API key, or one that matches no key',
  403: 'The key lacks the scope this route needs',
  404: 'Not found',
  409: 'Conflicts with what is stored',
  413: 'Too large: body over the size limit, or too many records in one batch',
  422: 'Not supported by this engine',
  429: 'Rate limit reached: retry after Retry-After seconds',
  500: 'Internal error: details are in the server log under the request id',
  503: 'Not ready',
};

/** A documented error response: what the status means here, and the error body. */
export interface ErrorResponse {
  description: string;
  content: { 'application/json': { schema: typeof errorSchema } };
}

/** The error statuses a route may answer with (400, 401, 403, 429 and 500 always), for the OpenAPI document. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503)[]): Record<number, ErrorResponse> {
  const out: Record<number, ErrorResponse> = {};
  for (const status of [400, 401, 403, 429, 500, ...statuses]) {
    out[status] = { description: ERROR_MEANING[status] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
  }
  return out;
}

/** A boolean in a query string: true/false, 1/0, yes/no, on/off. */
export const queryBoolean = z.stringbool();

/** A comma-separated list in a query string (`category=Home,Garden`). */
export const queryList = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part !== ''));

/** An id in a path. */
export const pathId = z.string().min(1).max(256);

/** `{ id }` path parameters. */
export const idParams = z.object({ id: pathId }).strict();

/** `{ name }` path parameters (rule sets, experiments, keys, analyses). */
export const nameParams = z.object({ name: z.string().min(1).max(128) }).strict();

/** A body for POST routes that take no input: absent, null or `{}`. */
export const emptyBody = z.object({}).strict().nullish();

/** `{ deleted: true }`: what a successful DELETE answers. */
export const deletedSchema = z.object({ deleted: z.literal(true) });
