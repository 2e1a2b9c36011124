import { MagpieError } from '../core/errors.js';
import { DEFAULT_DB_URL, type Store } from './store.js';

export * from './store.js';

/**
 * Opens a store by URL: `sqlite:<path>` (or `sqlite://<path>`, `:memory:`), or `postgres://…` / `postgresql://…`.
 * Creates the schema on first use.
 *
 * @example
 * const store = await openStore('sqlite:./data/magpie.db');
 * await store.write({ events: [...] });
 */
export async function openStore(url: string = process.env.MAGPIE_DB ?? DEFAULT_DB_URL): Promise<Store> {
  if (url === ':memory:' || url.startsWith('sqlite:')) {
    const { SqliteStore } = await import('./sqlite/index.js');
    return SqliteStore.open(url);
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresStore } = await import('./postgres/index.js');
    return PostgresStore.open(url);
  }
  throw new MagpieError('invalid_input', `unknown store URL "${url}"`, {
    location: { field: 'db' },
    hint: 'use sqlite:./data/magpie.db or postgres://user@host:5432/database',
  });
}
