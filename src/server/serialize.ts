/**
 * Response serialization. Every response is checked against its zod schema before it is written
 * (fastify-type-provider-zod's serializer), except those whose schema is marked with
 * {@link builtToSchema}: the values of these are built by Magpie's own code, from types that a
 * compile-time assertion (`assertType<SameShape<…>>`) ties to the schema, on routes hot enough that
 * checking every response again costs more than writing it (a recommendation list: ~5 µs to
 * check, ~3 µs to write).
 */
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { $ZodType } from 'zod/v4/core';
import type { z } from 'zod';

const built = new WeakSet<object>();

/**
 * Marks a response schema whose values are built to its type by Magpie itself: such responses are
 * written with JSON.stringify, without a check. Returns the schema.
 *
 * @example
 * export const listSchema = builtToSchema(z.object({ ids: z.array(z.string()) }));
 */
export function builtToSchema<S extends z.ZodType>(schema: S): S {
  built.add(schema);
  return schema;
}

/** The route's serializer: JSON.stringify for schemas marked {@link builtToSchema}, the zod check and write for the rest. */
export const responseSerializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  const schema = route.schema as unknown;
  if (schema instanceof $ZodType && built.has(schema)) return (data: unknown) => JSON.stringify(data);
  return serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
};
