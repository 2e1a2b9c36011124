// Tests that run on the bundled Online Retail sample share this: a store with the sample imported,
// and optionally every stored event for the test's own naive reference computation.
import { DEMO_SAMPLE } from '../cli/commands/demo.js';
import type { Event } from '../core/types.js';
import { openStore, type Store } from '../store/index.js';
import { importSource } from './importer.js';
import { onlineRetailSource } from './online-retail.js';

/** A store (in memory unless `url` is given) holding the bundled sample. */
export async function openSampleStore(url = ':memory:'): Promise<Store> {
  const store = await openStore(url);
  await importSource(store, onlineRetailSource(DEMO_SAMPLE));
  return store;
}

/** Every event of `store`, in time order. */
export async function allEvents(store: Store): Promise<Event[]> {
  const events: Event[] = [];
  for await (const e of store.iterateEvents({ batchSize: 20_000 })) events.push(e);
  return events;
}
