/**
 * Entry of the background write thread (see write-thread.ts): opens the store by URL and writes
 * the batches it is sent. Batches that arrive while a transaction runs are committed together in
 * the next one (group commit: one log write and one commit for many requests), each still
 * answered with its own counts: `{ id, result }` or `{ id, error }`; `{ type: 'ready' }` once open.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/index.js';
import { bodyEvents, bodySize, type WriteBody } from './write-thread.js';
import type { SqliteStore } from '../store/sqlite/index.js';
import type { WriteResult } from '../store/store.js';

/** A batch from the main thread: events, or impression rows (impressions.ts) to turn into events here. */
export type WriteRequest = WriteBody & { id: number };

/** Most events committed in one group. */
const GROUP_LIMIT = 2000;

/**
 * Page cache of this connection, in KiB (SQLite's negative `cache_size`). Appends touch the tail
 * of each index, so a writer needs far less than the 64 MiB a reading connection keeps; a full
 * cache is resident memory for as long as the server runs.
 */
const WRITER_CACHE_KIB = 16_384;

async function run(): Promise<void> {
  const port = parentPort!;
  const store = (await openStore((workerData as { storeUrl: string }).storeUrl)) as SqliteStore;
  store.db.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  let queue: WriteRequest[] = [];
  let scheduled = false;

  const commit = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const group: WriteRequest[] = [];
    let size = 0;
    while (queue.length > 0 && (group.length === 0 || size + bodySize(queue[0]!) <= GROUP_LIMIT)) {
      const next = queue.shift()!;
      group.push(next);
      size += bodySize(next);
    }
    if (queue.length > 0) schedule();
    // The SQLite store writes synchronously: each write below runs (as a savepoint) inside this
    // one transaction, and its promise only reports the counts it already computed.
    const writes: Promise<WriteResult>[] = [];
    try {
      store.db.transaction(() => {
        for (const request of group) writes.push(store.write({ events: bodyEvents(request) }));
      })();
    } catch (error) {
      for (const request of group) port.postMessage({ id: request.id, result: null, error: (error as Error)?.message ?? String(error) });
      return;
    }
    group.forEach((request, k) => {
      writes[k]!.then(
        (result) => port.postMessage({ id: request.id, result, error: null }),
        (error: unknown) => port.postMessage({ id: request.id, result: null, error: (error as Error)?.message ?? String(error) }),
      );
    });
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(commit);
  };

  port.on('message', (message: WriteRequest | { type: 'close' }) => {
    if ('type' in message) {
      while (queue.length > 0) commit();
      void store.close().finally(() => port.close());
      return;
    }
    queue.push(message);
    schedule();
  });
  port.postMessage({ type: 'ready' });
}

run().catch((error: unknown) => parentPort!.postMessage({ type: 'failed', error: (error as Error)?.message ?? String(error) }));
