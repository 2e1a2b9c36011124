// Event ingestion figures of the serving benchmark: HTTP against direct store writes, and
// durability of acknowledged events across a kill -9 of the server.
import { randomBytes } from 'node:crypto';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { openStore } from '../src/store/index.js';
import type { ServeData } from './serve-data.js';
import { eventBatch, eventBatchInput, type EventSpec } from './serve-events.js';
import type { LoadResult } from './serve-load.js';
import { runLoad, type BenchServer } from './serve-process.js';

const BATCH = 100;

function spec(data: ServeData, prefix: string): EventSpec {
  return { batch: BATCH, prefix: `${prefix}-${randomBytes(4).toString('hex')}`, users: data.users, items: data.itemIds };
}

/**
 * Events/s over HTTP (autocannon, batches of 100, every batch new events), then events/s of
 * `store.write` with batches of the same events (other ids) into the same store file, in this
 * process, while the server is idle.
 */
export async function ingestionFigures(options: { server: BenchServer; apiKey: string; data: ServeData; seconds: number; connections: number }): Promise<{
  http: { eventsPerSecond: number; load: LoadResult };
  direct: { eventsPerSecond: number; events: number };
}> {
  const { server, apiKey, data, seconds, connections } = options;
  const load = await runLoad({ url: server.url, apiKey, connections, seconds, events: spec(data, 'http') });
  const http = { eventsPerSecond: load.events / load.seconds, load };
  const store = await openStore(data.url);
  try {
    const direct = spec(data, 'direct');
    const batches = Math.max(200, Math.round(load.events / BATCH));
    const now = Date.now();
    const started = performance.now();
    for (let b = 0; b < batches; b++) await store.write({ events: eventBatch(direct, b, now) });
    const elapsed = (performance.now() - started) / 1000;
    return { http, direct: { eventsPerSecond: (batches * BATCH) / elapsed, events: batches * BATCH } };
  } finally {
    await store.close();
  }
}

/**
 * Sends batches of 100 events from `parallel` concurrent clients for `seconds`, then kills the
 * server with SIGKILL while they are still sending. `verify` (after a restart) counts how many of
 * the acknowledged events (2xx answers) are in the store.
 */
export async function ingestUntilKilled(options: { server: BenchServer; apiKey: string; data: ServeData; seconds: number; parallel?: number }): Promise<{
  sent: number;
  acknowledged: number;
  verify: () => Promise<number>;
}> {
  const { server, apiKey, data, seconds } = options;
  const events = spec(data, 'durable');
  const acked: number[] = [];
  let next = 0;
  let sent = 0;
  let stop = false;
  async function client(): Promise<void> {
    while (!stop) {
      const batchNo = next++;
      sent += BATCH;
      try {
        const response = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify(eventBatchInput(events, batchNo)),
        });
        await response.arrayBuffer();
        if (response.status === 200) acked.push(batchNo);
      } catch {
        // The server is gone: this batch is not acknowledged, and nothing more can be sent.
        return;
      }
    }
  }
  const clients = Array.from({ length: options.parallel ?? 8 }, () => client());
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const died = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGKILL');
  await died;
  stop = true;
  await Promise.all(clients);
  return {
    sent,
    acknowledged: acked.length * BATCH,
    async verify() {
      const store = SqliteStore.open(data.url);
      try {
        const lookup = store.db.prepare('SELECT 1 FROM events WHERE id = ?').pluck();
        let found = 0;
        for (const batchNo of acked) for (const e of eventBatchInput(events, batchNo).events) if (lookup.get(e.id) !== undefined) found++;
        return found;
      } finally {
        await store.close();
      }
    },
  };
}
