/**
 * Gorse's JSON shapes (User, Item, Feedback, Score) and their mapping onto Magpie's domain types.
 * Labels become attributes (an object's keys are spread so rules can filter on them; the raw value
 * stays in `attributes.labels`), Comment becomes `attributes.comment`, Categories the item's
 * categories, IsHidden `hidden`, Timestamp the item's `createdAt`.
 */
import { z } from 'zod';
import { MagpieError, isMagpieError } from '../../core/errors.js';
import { fnv1a64, idSchema, parseEvent, parseItem } from '../../core/schemas.js';
import { makeUser, type Attributes, type Event, type Item, type User } from '../../core/types.js';
import { gorseFeedbackType, magpieEventType } from './feedback-types.js';
import { formatGorseTime, parseGorseTime } from './params.js';

/** A user as Gorse returns it. */
export interface GorseUser {
  UserId: string;
  Labels: unknown;
  Subscribe: string[] | null;
  Comment: string;
}

/** An item as Gorse returns it; Timestamp is RFC 3339 (Go's zero time when unknown). */
export interface GorseItem {
  ItemId: string;
  IsHidden: boolean;
  Categories: string[];
  Timestamp: string;
  Labels: unknown;
  Comment: string;
}

/** A feedback as Gorse returns it. `Value` is only present when the event carries one. */
export interface GorseFeedback {
  FeedbackType: string;
  UserId: string;
  ItemId: string;
  Timestamp: string;
  Comment: string;
  Value?: number;
}

/** One entry of Gorse's ranked lists (neighbors, popular, latest, session recommendations). */
export interface GorseScore {
  Id: string;
  Score: number;
}

const labelsSchema = z.union([z.array(z.union([z.string(), z.number(), z.boolean()])), z.record(z.string(), z.unknown()), z.null()], {
  error: () => ({ message: 'must be a list of strings or a JSON object' }),
});
const timeSchema = z.union([z.string(), z.number()]).nullish();
const commentSchema = z.string().max(100_000).nullish();

const userFields = { Labels: labelsSchema.optional(), Subscribe: z.array(z.string()).nullish(), Comment: commentSchema };
const itemFields = {
  IsHidden: z.boolean().nullish(),
  Categories: z.array(z.string()).nullish(),
  Timestamp: timeSchema,
  Labels: labelsSchema.optional(),
  Comment: commentSchema,
};

/** Body of POST /user and each element of POST /users. */
export const gorseUserSchema = z.object({ UserId: idSchema, ...userFields });
/** Body of PATCH /user/{id}. */
export const gorseUserPatchSchema = z.object(userFields);
/** Body of POST /item and each element of POST /items. */
export const gorseItemSchema = z.object({ ItemId: idSchema, ...itemFields });
/** Body of PATCH /item/{id}. */
export const gorseItemPatchSchema = z.object(itemFields);
/** Each element of POST/PUT /feedback and POST /session/recommend. */
export const gorseFeedbackSchema = z.object({
  FeedbackType: z.string().trim().min(1, 'must not be empty').max(100),
  UserId: idSchema,
  ItemId: idSchema,
  Timestamp: timeSchema,
  Comment: commentSchema,
  Value: z.number().finite().nullish(),
});

type UserFields = z.output<typeof gorseUserPatchSchema>;
type ItemFields = z.output<typeof gorseItemPatchSchema>;
/** A validated feedback body. */
export type GorseFeedbackInput = z.output<typeof gorseFeedbackSchema>;

const EXAMPLES: Record<string, string> = {
  user: '{"UserId": "bob", "Labels": ["premium"], "Comment": ""}',
  item: '{"ItemId": "sku-1", "IsHidden": false, "Categories": ["Home"], "Timestamp": "2022-02-24T00:00:00Z", "Labels": ["red"], "Comment": "Red mug"}',
  feedback: '{"FeedbackType": "star", "UserId": "bob", "ItemId": "sku-1", "Timestamp": "2022-02-24T00:00:00Z"}',
};

/**
 * Go's JSON decoder matches field names case-insensitively (an exact match wins), so Gorse clients
 * may send `userId` or `itemid`; rename such keys to the schema's spelling.
 */
function canonicalKeys(value: unknown, names: readonly string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(source)) {
    const name = names.find((n) => n.toLowerCase() === key.toLowerCase()) ?? key;
    if (name === key || !(name in source)) out[name] = v;
  }
  return out;
}

/**
 * Validates one Gorse payload; a 400 naming the element, the field and a correct example otherwise.
 *
 * @example
 * parseGorse(gorseUserSchema, { userId: 'bob' }, 'user'); // { UserId: 'bob' }
 */
export function parseGorse<S extends z.ZodObject>(schema: S, value: unknown, what: string): z.output<S> {
  const input = canonicalKeys(value, Object.keys(schema.shape));
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const field = path.join('.');
  const missing = path.length > 0 && path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), input) === undefined;
  const kind = what.split(' ')[0] ?? what;
  return fail(`${what}${field ? ` field ${field}` : ''}: ${missing ? 'is required' : (issue?.message ?? 'invalid')}`, field || what, `send JSON like ${EXAMPLES[kind] ?? '{}'}`);
}

function fail(message: string, field: string, hint: string): never {
  throw new MagpieError('invalid_input', message, { location: { field }, hint });
}

const RESERVED = new Set(['labels', 'comment', 'subscribe']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Attributes with new Labels/Comment/Subscribe applied; `undefined` leaves a field as it was. */
function applyGorseFields(attributes: Attributes, fields: { Labels?: unknown; Comment?: string | null; Subscribe?: string[] | null }): Attributes {
  const out: Attributes = { ...attributes };
  if (fields.Labels !== undefined) {
    const old = out['labels'];
    if (isObject(old)) for (const key of Object.keys(old)) if (!RESERVED.has(key)) delete out[key];
    delete out['labels'];
    if (fields.Labels !== null) {
      if (isObject(fields.Labels)) for (const [key, v] of Object.entries(fields.Labels)) if (!RESERVED.has(key)) out[key] = v;
      out['labels'] = fields.Labels;
    }
  }
  if (fields.Comment !== undefined) {
    if (fields.Comment === null || fields.Comment === '') delete out['comment'];
    else out['comment'] = fields.Comment;
  }
  if (fields.Subscribe !== undefined) {
    if (fields.Subscribe === null) delete out['subscribe'];
    else out['subscribe'] = fields.Subscribe;
  }
  return out;
}

/** Fields absent from a full (POST) body are cleared, as Gorse overwrites the whole record. */
function fullFields<T extends Record<string, unknown>>(fields: T, names: readonly string[]): T {
  const out: Record<string, unknown> = { ...fields };
  for (const name of names) if (out[name] === undefined) out[name] = null;
  return out as T;
}

/**
 * The Magpie user for a Gorse user body. `replace` (POST) overwrites every Gorse field; otherwise
 * (PATCH) only the fields sent change. Attributes Gorse does not know stay as they were.
 */
export function toMagpieUser(id: string, existing: User | null, fields: UserFields, replace: boolean): User {
  const given = replace ? fullFields(fields, ['Labels', 'Comment', 'Subscribe']) : fields;
  const base = existing ?? makeUser(id);
  return { ...base, attributes: applyGorseFields(base.attributes, given) };
}

/** The Gorse view of a Magpie user. */
export function toGorseUser(user: User): GorseUser {
  const subscribe = user.attributes['subscribe'];
  const comment = user.attributes['comment'];
  return {
    UserId: user.id,
    Labels: user.attributes['labels'] ?? null,
    Subscribe: Array.isArray(subscribe) ? (subscribe as string[]) : null,
    Comment: typeof comment === 'string' ? comment : '',
  };
}

const ITEM_FIELD_NAMES: Record<string, string> = { id: 'ItemId', categories: 'Categories', attributes: 'Labels', createdAt: 'Timestamp', hidden: 'IsHidden' };

/**
 * The Magpie item for a Gorse item body, validated by Magpie's item rules (at most 20 categories
 * of 200 characters, …). Title, price, stock and other Magpie-only fields of an existing item stay.
 */
export function toMagpieItem(id: string, existing: Item | null, fields: ItemFields, replace: boolean, what = 'item'): Item {
  const given = replace ? fullFields(fields, ['IsHidden', 'Categories', 'Timestamp', 'Labels', 'Comment']) : fields;
  const base: Item = existing ?? parseItem({ id });
  const next: Item = {
    ...base,
    categories: given.Categories === undefined ? base.categories : [...new Set(given.Categories ?? [])],
    hidden: given.IsHidden === undefined ? base.hidden : given.IsHidden === true,
    createdAt: given.Timestamp === undefined ? base.createdAt : parseGorseTime(given.Timestamp, `${what} field Timestamp`),
    attributes: applyGorseFields(base.attributes, given),
  };
  try {
    // parseItem reads small numbers as epoch seconds; createdAt is already milliseconds.
    return { ...parseItem(next), createdAt: next.createdAt };
  } catch (error) {
    if (!isMagpieError(error, 'invalid_input')) throw error;
    const field = error.location?.field ?? '';
    const head = field.split('.')[0] ?? '';
    const gorseField = (ITEM_FIELD_NAMES[head] ?? head) + field.slice(head.length);
    const detail = error.message.slice(error.message.indexOf(':') + 1).trim();
    return fail(`${what} field ${gorseField}: ${detail}`, gorseField, `send JSON like ${EXAMPLES['item']}`);
  }
}

/** The Gorse view of a Magpie item. */
export function toGorseItem(item: Item): GorseItem {
  const comment = item.attributes['comment'];
  return {
    ItemId: item.id,
    IsHidden: item.hidden,
    Categories: item.categories,
    Timestamp: formatGorseTime(item.createdAt),
    Labels: item.attributes['labels'] ?? null,
    Comment: typeof comment === 'string' ? comment : '',
  };
}

/**
 * The event stored for a Gorse feedback. Inserts (POST, `overwrite` false) get an id from the
 * feedback key (type, user, item), so a second insert of the same key is ignored as in Gorse;
 * upserts (PUT) also hash the time, comment and value, so a changed feedback is appended and reads
 * return its latest version.
 */
export function feedbackToEvent(feedback: GorseFeedbackInput, overwrite: boolean, what: string, now: number = Date.now()): Event {
  const timestamp = parseGorseTime(feedback.Timestamp, `${what} field Timestamp`) ?? now;
  const key = [feedback.FeedbackType, feedback.UserId, feedback.ItemId];
  const parts = overwrite ? [...key, timestamp, feedback.Comment ?? '', feedback.Value ?? ''] : key;
  const context: Attributes = { gorseType: feedback.FeedbackType };
  if (feedback.Comment) context['comment'] = feedback.Comment;
  return parseEvent(
    {
      id: `gorse:${fnv1a64(parts.join('\u0001'))}`,
      userId: feedback.UserId,
      itemId: feedback.ItemId,
      type: magpieEventType(feedback.FeedbackType),
      value: feedback.Value ?? null,
      timestamp,
      context,
    },
    { field: what },
  );
}

/** The Gorse view of a stored event (null for events without both a user and an item). */
export function eventToFeedback(event: Event): GorseFeedback | null {
  if (event.userId === null || event.itemId === null) return null;
  const comment = event.context['comment'];
  const feedback: GorseFeedback = {
    FeedbackType: gorseFeedbackType(event),
    UserId: event.userId,
    ItemId: event.itemId,
    Timestamp: formatGorseTime(event.timestamp),
    Comment: typeof comment === 'string' ? comment : '',
  };
  if (event.value !== null) feedback.Value = event.value;
  return feedback;
}

/**
 * One feedback per key (type, user, item), the latest, in time order (ties in input order) — Gorse
 * keeps one row per key, while Magpie's event log keeps every version an upsert appended.
 * `events` must be oldest first.
 */
export function latestFeedback(events: readonly Event[]): GorseFeedback[] {
  const byKey = new Map<string, { timestamp: number; feedback: GorseFeedback }>();
  for (const event of events) {
    const feedback = eventToFeedback(event);
    if (!feedback) continue;
    const key = `${feedback.FeedbackType}\u0001${feedback.UserId}\u0001${feedback.ItemId}`;
    const seen = byKey.get(key);
    if (!seen || seen.timestamp <= event.timestamp) byKey.set(key, { timestamp: event.timestamp, feedback });
  }
  return [...byKey.values()].sort((a, b) => a.timestamp - b.timestamp).map((v) => v.feedback);
}
