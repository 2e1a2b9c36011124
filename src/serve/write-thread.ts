/**
 * Event writes (ingested events and impressions) that move to a thread of their own once traffic
 * makes it worth one. The embedded store writes synchronously: on the thread answering requests,
 * every row (four B-trees, log pages, now and then a checkpoint) is time no request gets. A busy
 * server therefore hands these writes to a worker with its own connection to the same database
 * file, which commits the batches waiting together; a caller still gets its answer only once its
 * events are committed. A quiet server (and an in-memory store, which cannot be shared) keeps
 * writing in-thread. Nothing is lost when the worker fails: its unconfirmed batches are written
 * in-thread again (event ids make that safe).
 */
import { Worker } from 'node:worker_threads';
import type { Event } from '../core/types.js';
import type { Store, WriteBatch, WriteResult } from '../store/store.js';
import { impressionEvent, type ImpressionRow } from './impressions.js';
import type { WriteRequest } from './write-worker.js';

/** Options of {@link WriteThread}. */
export interface WriteThreadOptions {
  /** URL the worker opens the store with (default `store.url`). */
  storeUrl?: string;
  /** Events written in-thread before the worker starts (default 2,000; 0 = at the first write; Infinity = never). */
  threshold?: number;
  warn: (message: string, error?: unknown) => void;
}

type Reply = { type: 'ready' } | { type: 'failed'; error: string } | { id: number; result: WriteResult | null; error: string | null };

/** What one write carries to the worker: events, or impression rows that become events there. */
export type WriteBody = { events: Event[] } | { impressions: readonly ImpressionRow[] };

/** The events of a write. */
export function bodyEvents(body: WriteBody): Event[] {
  return 'events' in body ? body.events : body.impressions.map(impressionEvent);
}

/** How many events a write holds. */
export function bodySize(body: WriteBody): number {
  return 'events' in body ? body.events.length : body.impressions.length;
}

interface Pending {
  body: WriteBody;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

/** Starts the worker; under tsx (tests) the worker is TypeScript and needs tsx's loader registered in its thread. */
function startWorker(storeUrl: string): Worker {
  const here = import.meta.url;
  const typescript = here.endsWith('.ts');
  const entry = new URL(`./write-worker.${typescript ? 'ts' : 'js'}`, here);
  if (!typescript) return new Worker(entry, { workerData: { storeUrl } });
  // Node 20 applies loader hooks per thread, and tsx registers its own only on the main thread.
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true, workerData: { storeUrl } });
}

/** Writes event batches in-thread, then through a worker thread once `threshold` events went by. */
export class WriteThread {
  private worker: Worker | null = null;
  private ready = false;
  private inThread = 0;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly options: WriteThreadOptions,
  ) {}

  /** Whether writes currently go through the worker. */
  get offThread(): boolean {
    return this.ready;
  }

  /** Writes the batch's events; resolves with the store's counts once they are committed (by either thread). */
  async write(batch: WriteBatch): Promise<WriteResult> {
    const events = batch.events ?? [];
    if (this.ready && this.worker) return this.post({ events });
    const result = await this.store.write({ events });
    this.inThread += events.length;
    if (this.worker === null && !this.closed && this.inThread >= (this.options.threshold ?? 2000) && this.shareable()) this.start();
    return result;
  }

  /**
   * Writes queued impressions: off-thread they are posted as rows, which cost a third as much to
   * copy as their events, and become events in the worker.
   */
  writeImpressions(rows: readonly ImpressionRow[]): Promise<WriteResult> {
    if (this.ready && this.worker) return this.post({ impressions: rows });
    return this.write({ events: rows.map(impressionEvent) });
  }

  private post(body: WriteBody): Promise<WriteResult> {
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Keeps the process alive while a batch is unconfirmed, never while the worker idles.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { body, resolve, reject });
      worker.postMessage({ id, ...body } satisfies WriteRequest);
    });
  }

  /** Waits for the worker's unconfirmed batches (writing them in-thread if it stops answering), then stops it. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker === null) return;
    const deadline = Date.now() + 10_000;
    while (this.pending.size > 0 && this.worker === worker && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.worker === worker && this.pending.size > 0) this.fail(worker, 'no answer for 10 s');
    this.ready = false;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ type: 'close' });
    // The worker closes its connection and exits; one that hangs is stopped.
    const stop = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(stop);
  }

  private shareable(): boolean {
    const url = this.options.storeUrl ?? this.store.url;
    return this.store.kind === 'sqlite' && url !== ':memory:' && !url.endsWith(':memory:');
  }

  private start(): void {
    const worker = startWorker(this.options.storeUrl ?? this.store.url);
    this.worker = worker;
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if ('type' in reply) {
        if (reply.type === 'ready') this.ready = !this.closed && this.worker === worker;
        else this.fail(worker, reply.error);
        return;
      }
      const entry = this.pending.get(reply.id);
      if (entry === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error === null && reply.result !== null) entry.resolve(reply.result);
      else {
        this.options.warn(`the write thread could not store ${bodySize(entry.body)} events; writing them here`, new Error(reply.error ?? 'no result'));
        void this.rewrite(entry);
      }
    });
    worker.on('error', (error) => this.fail(worker, error.message));
    worker.on('exit', () => this.fail(worker, null));
  }

  /** The worker is gone: write what it had not confirmed in-thread, and stay in-thread. */
  private fail(worker: Worker, why: string | null): void {
    if (this.worker !== worker) return;
    if (why !== null && !this.closed) this.options.warn(`the write thread stopped (${why}); writing in-thread`);
    this.worker = null;
    this.ready = false;
    this.inThread = Number.NEGATIVE_INFINITY;
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const entry of left) void this.rewrite(entry);
  }

  /** Writes a batch the worker did not confirm here; its caller gets this write's answer (or error). */
  private async rewrite(entry: Pending): Promise<void> {
    try {
      entry.resolve(await this.store.write({ events: bodyEvents(entry.body) }));
    } catch (error) {
      entry.reject(error);
    }
  }
}
