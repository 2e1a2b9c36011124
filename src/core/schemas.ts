import { z } from 'zod';
import { EVENT_TYPES, type Event, type Item, type Order, type User } from './types.js';
import { MagpieError, type ErrorLocation } from './errors.js';

/** Longest id accepted anywhere. */
export const MAX_ID_LENGTH = 256;

/** An id: a non-empty string (numbers are accepted and turned into strings), no control characters. */
export const idSchema = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v).trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
  );

/**
 * A point in time: milliseconds since the epoch, seconds since the epoch (numbers below 1e11),
 * or an ISO-8601 / "YYYY-MM-DD HH:MM:SS" string (read as UTC when it names no zone).
 */
export const timestampSchema = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = toEpochMillis(v);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${String(v)}" is not a time; use ISO-8601 (2011-03-01T10:00:00Z) or epoch seconds/milliseconds` });
    return z.NEVER;
  }
  return ms;
});

/** Parses the time forms of {@link timestampSchema}; null when it is none of them. */
export function toEpochMillis(v: number | string): number | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    return Math.round(Math.abs(v) < 1e11 ? v * 1000 : v);
  }
  const s = v.trim();
  if (s === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return toEpochMillis(Number(s));
  // "YYYY-MM-DD HH:MM[:SS]" without a zone: UTC, as stored by most exports.
  const plain = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(s);
  if (plain) {
    const [, y, mo, d, h, mi, se, frac] = plain;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(se ?? 0), frac ? Math.round(Number(`0.${frac}`) * 1000) : 0);
    return Number.isNaN(ms) ? null : ms;
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

const optionalNumber = z.union([z.number().finite(), z.null()]).optional();
const attributesSchema = z.record(z.string(), z.unknown());

/** What a client sends for one event (the HTTP API, events-jsonl, and mapped events-csv rows). */
export const eventInputSchema = z
  .object({
    id: idSchema.optional(),
    userId: idSchema.nullish(),
    sessionId: idSchema.nullish(),
    itemId: idSchema.nullish(),
    type: z.enum(EVENT_TYPES, { error: () => ({ message: `must be one of ${EVENT_TYPES.join(', ')}` }) }),
    value: optionalNumber,
    quantity: optionalNumber,
    price: optionalNumber,
    query: z.string().max(2000).nullish(),
    orderId: idSchema.nullish(),
    recId: idSchema.nullish(),
    timestamp: timestampSchema.optional(),
    context: attributesSchema.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.userId == null && e.sessionId == null) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'an event needs a userId or a sessionId' });
    }
    if (e.itemId == null && e.type !== 'search' && e.type !== 'impression') {
      ctx.addIssue({ code: 'custom', path: ['itemId'], message: `a ${e.type} event needs an itemId (only search and impression events may omit it)` });
    }
  });

/** The input form of an event, before ids and defaults are filled in. */
export type EventInput = z.input<typeof eventInputSchema>;

/** What a client sends for one item. */
export const itemInputSchema = z
  .object({
    id: idSchema,
    title: z.string().max(1000).nullish(),
    description: z.string().max(100_000).nullish(),
    categories: z.array(z.string().min(1).max(200)).max(20).optional(),
    brand: z.string().max(200).nullish(),
    price: z.number().finite().nonnegative().nullish(),
    currency: z.string().length(3).nullish(),
    stock: z.number().finite().nullish(),
    attributes: attributesSchema.optional(),
    createdAt: timestampSchema.nullish(),
    hidden: z.boolean().optional(),
  })
  .strict();

/** What a client sends for one user. */
export const userInputSchema = z
  .object({ id: idSchema, attributes: attributesSchema.optional(), createdAt: timestampSchema.nullish() })
  .strict();

/** What a client sends for one order. */
export const orderInputSchema = z
  .object({
    id: idSchema,
    userId: idSchema.nullish(),
    status: z.enum(['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'returned']),
    lines: z.array(z.object({ itemId: idSchema, quantity: z.number().finite(), price: z.number().finite().nullish() }).strict()),
    currency: z.string().length(3).nullish(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema.optional(),
  })
  .strict();

/** Turns the first zod issue into a MagpieError naming the field and the fix. */
export function validationError(error: z.ZodError, location: ErrorLocation = {}): MagpieError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : location.field;
  const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid input';
  return new MagpieError('invalid_input', message, {
    location: { ...location, ...(field ? { field } : {}) },
    hint: issue?.code === 'unrecognized_keys' ? 'remove the unknown field or put it under "context"' : 'correct the value and send it again',
  });
}

function parseWith<S extends z.ZodType>(schema: S, input: unknown, location?: ErrorLocation): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(result.error, location);
  return result.data;
}

/**
 * Validates one event and fills in defaults. Without an id, one is derived from its content,
 * so the same event sent twice is still stored once.
 *
 * @example
 * const e = parseEvent({ userId: 'u1', itemId: 'sku-9', type: 'view', timestamp: '2024-01-02T10:00:00Z' });
 */
export function parseEvent(input: unknown, location?: ErrorLocation, now: () => number = Date.now): Event {
  const e = parseWith(eventInputSchema, input, location);
  const timestamp = e.timestamp ?? now();
  const event: Event = {
    id: '',
    userId: e.userId ?? null,
    sessionId: e.sessionId ?? null,
    itemId: e.itemId ?? null,
    type: e.type,
    value: e.value ?? null,
    quantity: e.quantity ?? null,
    price: e.price ?? null,
    query: e.query ?? null,
    orderId: e.orderId ?? null,
    recId: e.recId ?? null,
    timestamp,
    context: e.context ?? {},
  };
  event.id = e.id ?? deriveEventId(event);
  return event;
}

/** Validates one item and fills in defaults. */
export function parseItem(input: unknown, location?: ErrorLocation): Item {
  const i = parseWith(itemInputSchema, input, location);
  return {
    id: i.id,
    title: i.title ?? null,
    description: i.description ?? null,
    categories: i.categories ?? [],
    brand: i.brand ?? null,
    price: i.price ?? null,
    currency: i.currency ?? null,
    stock: i.stock ?? null,
    attributes: i.attributes ?? {},
    createdAt: i.createdAt ?? null,
    hidden: i.hidden ?? false,
  };
}

/** Validates one user and fills in defaults. */
export function parseUser(input: unknown, location?: ErrorLocation): User {
  const u = parseWith(userInputSchema, input, location);
  return { id: u.id, attributes: u.attributes ?? {}, createdAt: u.createdAt ?? null };
}

/** Validates one order and fills in defaults. */
export function parseOrder(input: unknown, location?: ErrorLocation): Order {
  const o = parseWith(orderInputSchema, input, location);
  return {
    id: o.id,
    userId: o.userId ?? null,
    status: o.status,
    lines: o.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, price: l.price ?? null })),
    currency: o.currency ?? null,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt ?? o.createdAt,
  };
}

/** A stable id from the fields that make an event what it is (FNV-1a 64-bit over them, hex). */
export function deriveEventId(e: Omit<Event, 'id'>): string {
  return `h:${fnv1a64([e.userId, e.sessionId, e.itemId, e.type, e.timestamp, e.value, e.quantity, e.orderId, e.query].join('\u0001'))}`;
}

/** FNV-1a 64-bit hash of a string, as 16 hex digits. Fast, stable across runs and machines. */
export function fnv1a64(s: string): string {
  // Two 32-bit halves keep the arithmetic in integers (BigInt is ~20x slower here).
  let h1 = 0x84222325;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    h1 = (h1 ^ s.charCodeAt(i)) >>> 0;
    // (h2:h1) * (2^40 + 0x1b3) mod 2^64; every intermediate stays below 2^53.
    const lo = h1 * 0x1b3;
    const hi = h2 * 0x1b3 + ((h1 << 8) >>> 0) + Math.floor(lo / 0x100000000);
    h1 = lo >>> 0;
    h2 = hi >>> 0;
  }
  return h2.toString(16).padStart(8, '0') + h1.toString(16).padStart(8, '0');
}
