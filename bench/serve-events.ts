// Behaviour events the serving benchmark sends: views, clicks, carts and purchases of the bench's
// customers on its products, with ids unique to one run so nothing is a duplicate.
import { makeEvent, type Event } from '../src/core/types.js';

/** Where a batch's events come from. */
export interface EventSpec {
  batch: number;
  /** Prefix of every id, unique per run and per consumer (HTTP, direct). */
  prefix: string;
  users: string[];
  items: string[];
}

const TYPES = ['view', 'view', 'view', 'click', 'add_to_cart', 'purchase'] as const;

/** Batch number `batchNo` as the client sends it (JSON of `{ events }`). */
export function eventBatchInput(spec: EventSpec, batchNo: number): { events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = [];
  for (let k = 0; k < spec.batch; k++) {
    const n = batchNo * spec.batch + k;
    const type = TYPES[n % TYPES.length]!;
    events.push({
      id: `${spec.prefix}:${n}`,
      userId: spec.users[(n * 7919) % spec.users.length],
      itemId: spec.items[(n * 104_729) % spec.items.length],
      type,
      ...(type === 'purchase' ? { quantity: 1, price: 2.5 } : {}),
    });
  }
  return { events };
}

/** The same batch as stored events (for direct store writes), stamped `timestamp`. */
export function eventBatch(spec: EventSpec, batchNo: number, timestamp: number): Event[] {
  return eventBatchInput(spec, batchNo).events.map((e) =>
    makeEvent({ ...(e as Pick<Event, 'id' | 'type' | 'userId' | 'itemId'>), timestamp }),
  );
}
