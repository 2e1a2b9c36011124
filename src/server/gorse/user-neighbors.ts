/**
 * Similar users for Gorse's `/user/{id}/neighbors`: cosine similarity of the binary sets of items
 * two users interacted with, over the user's recent history. Magpie's services have no user-user
 * list, so it is computed here from the store, with every read bounded.
 */
import type { Event } from '../../core/types.js';
import type { Store } from '../../store/store.js';
import { NEGATIVE_EVENT_TYPES } from './feedback-types.js';
import type { GorseScore } from './shapes.js';

/** Recent events read per user and per item, and items of the user's history used as seeds. */
const HISTORY = 500;
const PER_ITEM = 1000;
const SEED_ITEMS = 50;

function positiveItems(events: readonly Event[]): Set<string> {
  const items = new Set<string>();
  for (const e of events) if (e.itemId !== null && !NEGATIVE_EVENT_TYPES.has(e.type)) items.add(e.itemId);
  return items;
}

/**
 * The `k` users most similar to `userId`, best first; empty for a user without history.
 *
 * @example
 * await similarUsers(store, 'bob', 10); // [{ Id: 'alice', Score: 0.71 }, …]
 */
export async function similarUsers(store: Store, userId: string, k: number): Promise<GorseScore[]> {
  const now = Date.now() + 1;
  const own = positiveItems(await store.eventsByUser(userId, { order: 'desc', limit: HISTORY, to: now }));
  if (own.size === 0) return [];
  const overlap = new Map<string, number>();
  for (const itemId of [...own].slice(0, SEED_ITEMS)) {
    const users = new Set<string>();
    for (const e of await store.eventsByItem(itemId, { order: 'desc', limit: PER_ITEM, to: now })) {
      if (e.userId !== null && e.userId !== userId && !NEGATIVE_EVENT_TYPES.has(e.type)) users.add(e.userId);
    }
    for (const u of users) overlap.set(u, (overlap.get(u) ?? 0) + 1);
  }
  // Only the users sharing the most items can rank high; their history sizes are read one by one.
  const candidates = [...overlap.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, Math.max(3 * k, 30));
  const scored: GorseScore[] = [];
  for (const [other, shared] of candidates) {
    const theirs = positiveItems(await store.eventsByUser(other, { order: 'desc', limit: HISTORY, to: now }));
    scored.push({ Id: other, Score: shared / Math.sqrt(own.size * Math.max(theirs.size, shared)) });
  }
  return scored.sort((a, b) => b.Score - a.Score || (a.Id < b.Id ? -1 : 1)).slice(0, k);
}
