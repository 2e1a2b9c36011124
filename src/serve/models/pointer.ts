/**
 * Which version is active, kept in the store's meta table so every server process over one
 * database (and `magpie train`) agrees: `serve:active-model` holds the id, `serve:model-history`
 * the ids activated before it (oldest first) for rollback.
 */
import type { Store } from '../../store/store.js';

/** Meta key of the active version id. */
export const ACTIVE_KEY = 'serve:active-model';
/** Meta key of the activation history. */
export const HISTORY_KEY = 'serve:model-history';
const HISTORY_LIMIT = 50;

/** The active version id, or null. */
export async function readActive(store: Store): Promise<string | null> {
  const id = await store.getMeta(ACTIVE_KEY);
  return id === null || id === '' ? null : id;
}

/** Ids activated before the current one, oldest first. */
export async function readHistory(store: Store): Promise<string[]> {
  const text = await store.getMeta(HISTORY_KEY);
  if (text === null) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Makes `id` the active version. The one it replaces goes on the history (unless `rollback`,
 * which instead drops `id` from the history's end).
 */
export async function writeActive(store: Store, id: string, options: { rollback?: boolean } = {}): Promise<void> {
  const previous = await readActive(store);
  let history = await readHistory(store);
  if (options.rollback) {
    while (history.length > 0 && history[history.length - 1] !== id) history.pop();
    history.pop();
  } else if (previous !== null && previous !== id) {
    history = [...history.filter((h) => h !== previous), previous].slice(-HISTORY_LIMIT);
  }
  await store.setMeta(HISTORY_KEY, JSON.stringify(history));
  await store.setMeta(ACTIVE_KEY, id);
}

/** Drops a deleted version from the history. */
export async function forgetInHistory(store: Store, id: string): Promise<void> {
  const history = await readHistory(store);
  if (history.includes(id)) await store.setMeta(HISTORY_KEY, JSON.stringify(history.filter((h) => h !== id)));
}
