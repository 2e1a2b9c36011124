/** Gorse user routes: insert (one or many), get, patch, delete, list with a cursor, neighbors. */
import { MagpieError } from '../../core/errors.js';
import type { User } from '../../core/types.js';
import { bodyList, bodyObject } from './body.js';
import { decodeCursor, encodeCursor, pageParams, queryInt, queryString, DEFAULT_N, MAX_LIST } from './params.js';
import type { GorseRouter } from './router.js';
import { gorseUserPatchSchema, gorseUserSchema, parseGorse, toGorseUser, toMagpieUser } from './shapes.js';
import { similarUsers } from './user-neighbors.js';

function userNotFound(id: string): MagpieError {
  return new MagpieError('not_found', 'user not found', { location: { field: 'user-id' }, hint: `insert user "${id}" first with POST /api/user` });
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Registers the user routes. */
export function userRoutes(router: GorseRouter): void {
  const { engine } = router;
  const store = engine.store;

  router.route('POST', '/user', 'write', async (request) => {
    const body = parseGorse(gorseUserSchema, bodyObject(request.body, 'user'), 'user');
    const user = toMagpieUser(body.UserId, await store.getUser(body.UserId), body, true);
    await engine.upsertUsers([user]);
    return { RowAffected: 1 };
  });

  router.route('POST', '/users', 'write', async (request) => {
    const bodies = bodyList(request.body, ['Users'], 'user').map((u, i) => parseGorse(gorseUserSchema, u, `user ${i}`));
    const users = new Map<string, User>();
    for (const body of bodies) {
      const existing = users.get(body.UserId) ?? (await store.getUser(body.UserId));
      users.set(body.UserId, toMagpieUser(body.UserId, existing, body, true));
    }
    if (users.size > 0) await engine.upsertUsers([...users.values()]);
    return { RowAffected: bodies.length };
  });

  router.route('GET', '/user/:id', 'read', async (request) => {
    const id = request.params['id'] ?? '';
    const user = await store.getUser(id);
    if (!user) throw userNotFound(id);
    return toGorseUser(user);
  });

  router.route('PATCH', '/user/:id', 'write', async (request) => {
    const id = request.params['id'] ?? '';
    const patch = parseGorse(gorseUserPatchSchema, bodyObject(request.body, 'user patch'), 'user');
    const existing = await store.getUser(id);
    if (!existing) throw userNotFound(id);
    await engine.upsertUsers([toMagpieUser(id, existing, patch, false)]);
    return { RowAffected: 1 };
  });

  router.route('DELETE', '/user/:id', 'write', async (request) => {
    const removed = await engine.deleteUser(request.params['id'] ?? '');
    return { RowAffected: removed.users };
  });

  router.route('GET', '/users', 'read', async (request) => {
    const n = queryInt(request.query, 'n', DEFAULT_N, 1, MAX_LIST);
    const cursor = queryString(request.query, 'cursor', 'Cursor');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isString);
    const users = await store.listUsers({ ...(after === undefined ? {} : { after }), limit: n + 1 });
    const page = users.slice(0, n);
    const last = page[page.length - 1];
    return { Cursor: users.length > n && last ? encodeCursor(last.id) : '', Users: page.map(toGorseUser) };
  });

  router.route('GET', '/user/:id/neighbors', 'read', async (request) => {
    const { n, offset } = pageParams(request.query);
    const scores = await similarUsers(store, request.params['id'] ?? '', offset + n);
    return scores.slice(offset);
  });
}
