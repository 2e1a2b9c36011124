/** Gorse item routes: insert (one or many), get, patch, delete, list with a cursor, categories. */
import { MagpieError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { bodyList, bodyObject } from './body.js';
import { decodeCursor, encodeCursor, queryInt, queryString, DEFAULT_N, MAX_LIST } from './params.js';
import type { GorseRouter } from './router.js';
import { gorseItemPatchSchema, gorseItemSchema, parseGorse, toGorseItem, toMagpieItem } from './shapes.js';

function itemNotFound(id: string): MagpieError {
  return new MagpieError('not_found', 'item not found', { location: { field: 'item-id' }, hint: `insert item "${id}" first with POST /api/item` });
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Registers the item routes. */
export function itemRoutes(router: GorseRouter): void {
  const { engine } = router;
  const store = engine.store;

  async function existingItem(id: string): Promise<Item> {
    const item = await store.getItem(id);
    if (!item) throw itemNotFound(id);
    return item;
  }

  router.route('POST', '/item', 'write', async (request) => {
    const body = parseGorse(gorseItemSchema, bodyObject(request.body, 'item'), 'item');
    await engine.upsertItems([toMagpieItem(body.ItemId, await store.getItem(body.ItemId), body, true)]);
    return { RowAffected: 1 };
  });

  router.route('POST', '/items', 'write', async (request) => {
    const bodies = bodyList(request.body, ['Items'], 'item').map((b, i) => parseGorse(gorseItemSchema, b, `item ${i}`));
    const stored = await store.getItems([...new Set(bodies.map((b) => b.ItemId))]);
    const items = new Map<string, Item>();
    bodies.forEach((body, i) => {
      const base = items.get(body.ItemId) ?? stored.get(body.ItemId) ?? null;
      items.set(body.ItemId, toMagpieItem(body.ItemId, base, body, true, `item ${i}`));
    });
    if (items.size > 0) await engine.upsertItems([...items.values()]);
    return { RowAffected: bodies.length };
  });

  router.route('GET', '/item/:id', 'read', async (request) => toGorseItem(await existingItem(request.params['id'] ?? '')));

  router.route('PATCH', '/item/:id', 'write', async (request) => {
    const id = request.params['id'] ?? '';
    const patch = parseGorse(gorseItemPatchSchema, bodyObject(request.body, 'item patch'), 'item');
    await engine.upsertItems([toMagpieItem(id, await existingItem(id), patch, false)]);
    return { RowAffected: 1 };
  });

  router.route('DELETE', '/item/:id', 'write', async (request) => {
    const deleted = await engine.deleteItem(request.params['id'] ?? '');
    return { RowAffected: deleted ? 1 : 0 };
  });

  router.route('GET', '/items', 'read', async (request) => {
    const n = queryInt(request.query, 'n', DEFAULT_N, 1, MAX_LIST);
    const cursor = queryString(request.query, 'cursor', 'Cursor');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isString);
    const items = await store.listItems({ ...(after === undefined ? {} : { after }), limit: n + 1 });
    const page = items.slice(0, n);
    const last = page[page.length - 1];
    return { Cursor: items.length > n && last ? encodeCursor(last.id) : '', Items: page.map(toGorseItem) };
  });

  router.route('PUT', '/item/:id/category/:category', 'write', async (request) => {
    const id = request.params['id'] ?? '';
    const item = await existingItem(id);
    const category = request.params['category'] ?? '';
    if (!item.categories.includes(category)) {
      await engine.upsertItems([toMagpieItem(id, item, { Categories: [...item.categories, category] }, false)]);
    }
    return { RowAffected: 1 };
  });

  router.route('DELETE', '/item/:id/category/:category', 'write', async (request) => {
    const id = request.params['id'] ?? '';
    const item = await existingItem(id);
    const category = request.params['category'] ?? '';
    if (item.categories.includes(category)) {
      await engine.upsertItems([toMagpieItem(id, item, { Categories: item.categories.filter((c) => c !== category) }, false)]);
    }
    return { RowAffected: 1 };
  });
}
