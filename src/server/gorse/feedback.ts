/**
 * Gorse feedback routes. Feedback is stored as Magpie events (see feedback-types.ts for the type
 * mapping); as in Gorse with its default `auto_insert_user`/`auto_insert_item`, feedback about
 * unknown users and items creates them.
 */
import { MagpieError } from '../../core/errors.js';
import { makeItem, makeUser, type Event } from '../../core/types.js';
import type { Engine } from '../../serve/types.js';
import type { EventQuery } from '../../store/store.js';
import { bodyList } from './body.js';
import { gorseFeedbackType, magpieEventType } from './feedback-types.js';
import { decodeCursor, encodeCursor, queryInt, queryString, DEFAULT_N, MAX_LIST } from './params.js';
import type { GorseRequest, GorseRouter } from './router.js';
import { eventToFeedback, feedbackToEvent, gorseFeedbackSchema, latestFeedback, parseGorse, type GorseFeedback } from './shapes.js';

/** Most recent events read for one user's or one item's feedback list. */
const LIST_LIMIT = 10_000;

/** Where a feedback page resumes: events at time `t` or later, skipping the first `s` of those at exactly `t`. */
interface FeedbackCursor {
  t: number;
  s: number;
}

const isFeedbackCursor = (v: unknown): v is FeedbackCursor =>
  typeof v === 'object' && v !== null && Number.isInteger((v as FeedbackCursor).t) && Number.isInteger((v as FeedbackCursor).s) && (v as FeedbackCursor).s >= 0;

/** Validates a feedback body and stores it; returns Gorse's RowAffected (the number of feedback sent). */
async function insertFeedback(engine: Engine, body: unknown, overwrite: boolean): Promise<{ RowAffected: number }> {
  const now = Date.now();
  const inputs = bodyList(body, ['Feedback', 'Feedbacks'], 'feedback').map((f, i) => parseGorse(gorseFeedbackSchema, f, `feedback ${i}`));
  const events = inputs.map((f, i) => feedbackToEvent(f, overwrite, `feedback ${i}`, now));
  if (events.length === 0) return { RowAffected: 0 };
  const itemIds = [...new Set(events.map((e) => e.itemId as string))];
  const known = await engine.store.getItems(itemIds);
  const newItems = itemIds.filter((id) => !known.has(id)).map((id) => makeItem(id));
  const newUsers = [];
  for (const id of new Set(events.map((e) => e.userId as string))) if (!(await engine.store.getUser(id))) newUsers.push(makeUser(id));
  if (newItems.length > 0) await engine.upsertItems(newItems);
  if (newUsers.length > 0) await engine.upsertUsers(newUsers);
  await engine.ingest(events);
  return { RowAffected: inputs.length };
}

/** A page of all feedback (of one Gorse type when given), in time order, resuming at `cursor`. */
async function feedbackPage(engine: Engine, type: string | undefined, cursor: FeedbackCursor | null, n: number): Promise<{ Cursor: string; Feedback: GorseFeedback[] }> {
  const out: GorseFeedback[] = [];
  let { t, s } = cursor ?? { t: Number.MIN_SAFE_INTEGER, s: 0 };
  const base: EventQuery = { to: Date.now() + 1, ...(type === undefined ? {} : { types: [magpieEventType(type)] }) };
  const batch = Math.max(100, 2 * n);
  for (;;) {
    const limit = s + batch;
    const events = await engine.store.events({ ...base, from: t, limit });
    const fresh = events.slice(s);
    for (const event of fresh) {
      if (event.timestamp === t) s += 1;
      else [t, s] = [event.timestamp, 1];
      const feedback = type === undefined || gorseFeedbackType(event) === type ? eventToFeedback(event) : null;
      if (feedback) out.push(feedback);
      if (out.length === n) return { Cursor: encodeCursor({ t, s }), Feedback: out };
    }
    if (events.length < limit || fresh.length === 0) return { Cursor: '', Feedback: out };
  }
}

/** Feedback of a user or an item, one per key, in time order, optionally of one Gorse type. */
async function feedbackOf(events: Promise<Event[]>, type: string | undefined, itemId?: string): Promise<GorseFeedback[]> {
  const matching = (await events).filter((e) => (type === undefined || gorseFeedbackType(e) === type) && (itemId === undefined || e.itemId === itemId));
  // Read most recent first (to keep the newest when capped); listed oldest first, in stored order.
  return latestFeedback(matching.reverse());
}

function recent(type: string | undefined): EventQuery {
  return { order: 'desc', limit: LIST_LIMIT, to: Date.now() + 1, ...(type === undefined ? {} : { types: [magpieEventType(type)] }) };
}

function notDeletable(): never {
  throw new MagpieError('unsupported', 'deleting feedback is not supported: Magpie keeps behaviour events in an append-only log', {
    hint: 'send the opposite feedback instead (e.g. remove_from_cart), or DELETE /api/user/{user-id} to erase everything about a user',
  });
}

/** Registers the feedback routes. */
export function feedbackRoutes(router: GorseRouter): void {
  const { engine } = router;
  const store = engine.store;

  router.route('POST', '/feedback', 'write', async (request) => insertFeedback(engine, request.body, false));
  router.route('PUT', '/feedback', 'write', async (request) => insertFeedback(engine, request.body, true));

  const listAll = (type?: string) => async (request: GorseRequest) => {
    const n = queryInt(request.query, 'n', DEFAULT_N, 1, MAX_LIST);
    const raw = queryString(request.query, 'cursor', 'Cursor');
    const page = await feedbackPage(engine, type ?? request.params['type'], raw === undefined ? null : decodeCursor(raw, isFeedbackCursor), n);
    // Gorse's server names the list `Feedback`; gorsejs' typings read `Feedbacks`.
    return { Cursor: page.Cursor, Feedback: page.Feedback, Feedbacks: page.Feedback };
  };
  router.route('GET', '/feedback', 'read', listAll());
  router.route('GET', '/feedback/:type', 'read', listAll());

  router.route('GET', '/feedback/:user/:item', 'read', async (request) =>
    feedbackOf(store.eventsByUser(request.params['user'] ?? '', recent(undefined)), undefined, request.params['item']),
  );
  router.route('GET', '/feedback/:type/:user/:item', 'read', async (request) => {
    const type = request.params['type'];
    const found = await feedbackOf(store.eventsByUser(request.params['user'] ?? '', recent(type)), type, request.params['item']);
    const feedback = found[found.length - 1];
    if (!feedback) throw new MagpieError('not_found', 'feedback not found', { hint: 'insert it first with POST /api/feedback' });
    return feedback;
  });
  router.route('DELETE', '/feedback/:user/:item', 'write', async () => notDeletable());
  router.route('DELETE', '/feedback/:type/:user/:item', 'write', async () => notDeletable());

  router.route('GET', '/user/:id/feedback', 'read', async (request) => feedbackOf(store.eventsByUser(request.params['id'] ?? '', recent(undefined)), undefined));
  router.route('GET', '/user/:id/feedback/:type', 'read', async (request) =>
    feedbackOf(store.eventsByUser(request.params['id'] ?? '', recent(request.params['type'])), request.params['type']),
  );
  router.route('GET', '/item/:id/feedback', 'read', async (request) => feedbackOf(store.eventsByItem(request.params['id'] ?? '', recent(undefined)), undefined));
  router.route('GET', '/item/:id/feedback/:type', 'read', async (request) =>
    feedbackOf(store.eventsByItem(request.params['id'] ?? '', recent(request.params['type'])), request.params['type']),
  );
}
