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

/** Appends every event of `store`, in time order, to `events` (pushed one by one: a spread of 200k would overflow the stack). */
export async function allEvents(store: Store, events: Event[] = []): Promise<Event[]> {
  for await (const e of store.iterateEvents({ batchSize: 20_000 })) events.push(e);
  return events;
}
