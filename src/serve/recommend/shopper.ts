/**
 * What the personal lists know about a shopper: their latest events, where they sit in a model
 * version (training row, history as model items), what they bought and their favourite category.
 */
import type { Catalog } from '../catalog.js';
import type { HistoryEntry } from '../history.js';
import type { LoadedVersion } from '../models/loaded.js';
import type { Target } from '../types.js';
import type { ServeState } from './state.js';

/** The target's latest events (user's and session's merged), most recent first. */
export async function targetHistory(state: ServeState, target: Target): Promise<readonly HistoryEntry[]> {
  const user = target.userId !== undefined ? await state.history.forUser(target.userId) : [];
  const session = target.sessionId !== undefined ? await state.history.forSession(target.sessionId) : [];
  if (session.length === 0) return user;
  if (user.length === 0) return session;
  return [...user, ...session].sort((a, b) => b.timestamp - a.timestamp);
}

/** The key a shopper's cached lists are kept under. */
export function shopperKey(target: Target): string {
  return `${target.userId ?? ''}\u0002${target.sessionId ?? ''}`;
}

/** The model's user index for a target (`session:<id>` for sessions, as the dataset names them). */
export function modelUser(version: LoadedVersion, target: Target): number | undefined {
  if (target.userId !== undefined) {
    const u = version.userIndex.get(target.userId);
    if (u !== undefined) return u;
  }
  return target.sessionId !== undefined ? version.userIndex.get(`session:${target.sessionId}`) : undefined;
}

/** Distinct model item indices of the history, oldest first (as models expect). */
export function modelHistory(version: LoadedVersion, entries: readonly HistoryEntry[]): number[] {
  const toModel = version.catToModel();
  const seen = new Set<number>();
  const out: number[] = [];
  for (let k = entries.length - 1; k >= 0; k--) {
    const m = toModel[entries[k]!.item] ?? -1;
    if (m >= 0 && !seen.has(m)) {
      seen.add(m);
      out.push(m);
    }
  }
  return out;
}

/** Catalogue indices the shopper bought: the version's record plus purchases since. */
export function purchasedBy(version: LoadedVersion | null, user: number | undefined, entries: readonly HistoryEntry[]): Set<number> {
  const out = new Set<number>();
  for (const e of entries) if (e.type === 'purchase') out.add(e.item);
  if (version && user !== undefined) {
    const { indptr, items } = version.serving.purchased;
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) out.add(version.modelToCat[items[p]!]!);
  }
  return out;
}

/** {@link purchasedBy} as a compact array of distinct catalogue indices (what candidate lists keep). */
export function purchasedArray(version: LoadedVersion | null, user: number | undefined, entries: readonly HistoryEntry[]): Int32Array {
  return Int32Array.from(purchasedBy(version, user, entries));
}

/** The first-level category the shopper's recent events point at most (weighted by intent), or -1. */
export function favouriteCategory(catalog: Catalog, entries: readonly HistoryEntry[]): number {
  const weight = new Map<number, number>();
  for (const e of entries) {
    const category = catalog.firstCategory[e.item]!;
    if (category < 0) continue;
    const w = e.type === 'purchase' ? 3 : e.type === 'add_to_cart' ? 2 : 1;
    weight.set(category, (weight.get(category) ?? 0) + w);
  }
  let best = -1;
  let bestWeight = 0;
  for (const [category, w] of weight) if (w > bestWeight) [best, bestWeight] = [category, w];
  return best;
}
