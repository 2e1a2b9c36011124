/**
 * Response schemas of the domain types (core/types.ts). The input schemas live in core/schemas.ts;
 * these describe what the API sends back, after ids and defaults are filled in. The type checks at
 * the bottom fail to compile when a core type and its schema drift apart.
 */
import { z } from 'zod';
import { eventInputSchema, itemInputSchema, userInputSchema } from '../../core/schemas.js';
import { EVENT_TYPES, type Event, type Item, type User } from '../../core/types.js';
import { named } from './common.js';

const attributes = z.record(z.string(), z.unknown());
const epochMs = z.number().describe('milliseconds since the epoch');

// The input schemas are core's own (core/schemas.ts), used as they are. They are not named as
// components: the OpenAPI generator names every input-side component `<id>Input`, which would
// collide with the output-side names below.
/** What a client sends for one event. */
export const eventInput = eventInputSchema;
/** What a client sends for one item. */
export const itemInput = itemInputSchema;
/** What a client sends for one user. */
export const userInput = userInputSchema;

/** A stored item. */
export const itemSchema = named(
  'Item',
  z.object({
    id: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    categories: z.array(z.string()),
    brand: z.string().nullable(),
    price: z.number().nullable(),
    currency: z.string().nullable(),
    stock: z.number().nullable(),
    attributes,
    createdAt: epochMs.nullable(),
    hidden: z.boolean(),
  }),
);

/** A stored user. */
export const userSchema = named('User', z.object({ id: z.string(), attributes, createdAt: epochMs.nullable() }));

/** A stored event. */
export const eventSchema = named(
  'Event',
  z.object({
    id: z.string(),
    userId: z.string().nullable(),
    sessionId: z.string().nullable(),
    itemId: z.string().nullable(),
    type: z.enum(EVENT_TYPES),
    value: z.number().nullable(),
    quantity: z.number().nullable(),
    price: z.number().nullable(),
    query: z.string().nullable(),
    orderId: z.string().nullable(),
    recId: z.string().nullable(),
    timestamp: epochMs,
    context: attributes,
  }),
);

/** True when A and B are assignable both ways; used to pin a schema to its TypeScript type. */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only when `T` is `true`. */
export function assertType<T extends true>(): T | undefined {
  return undefined;
}

assertType<SameShape<z.output<typeof itemSchema>, Item>>();
assertType<SameShape<z.output<typeof userSchema>, User>>();
assertType<SameShape<z.output<typeof eventSchema>, Event>>();
