/**
 * Impression events ("this list was shown"), written in the background: a response only queues
 * its impression; the queue goes to the store every `flushMs` or once `maxBatch` are waiting, and
 * on close. The request path never waits on the database.
 *
 * How often depends on where the writes run. On the request thread, small and frequent batches,
 * each a short transaction, so no request waits long behind one. On the write thread, one batch a
 * second in one transaction: an impression adds an entry at its user's place in the events' user
 * index — a random page of it — and a commit writes every page it changed once, so one large
 * commit writes far fewer pages per impression than many small ones (on the serving bench, 37 →
 * 21 µs of write-thread CPU per impression). An impression is stored at most about a second
 * after its list was served; a crash loses at most that second of impressions, never an event a
 * client sent.
 */
import type { Event } from '../core/types.js';
import type { RecommendationList, Target } from './types.js';

/** In-thread: impressions per transaction, small enough that one write blocks an embedded store for about a millisecond… */
const SLICE = 50;
/** …queued for at most this long, or until this many wait. */
const IN_THREAD = { flushMs: 250, maxBatch: 500 };
/** Off-thread (the write thread): one transaction per flush. */
const OFF_THREAD = { flushMs: 1000, maxBatch: 10_000 };

/** Something that reports failures without throwing (the engine's logger). */
export type WarnFn = (message: string, error?: unknown) => void;

/** Batches impression events into the store. */
export class ImpressionWriter {
  private queue: Event[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    /**
     * Where batches go: the store, or anything writing to it (a write thread, whose writes never
     * hold up requests while `offThread` is true).
     */
    private readonly store: { write(batch: { events: Event[] }): Promise<unknown>; readonly offThread?: boolean },
    private readonly warn: WarnFn,
    /** Overrides of the flush interval and queue size, in both modes (tests flush quickly). */
    private readonly options: { flushMs?: number; maxBatch?: number } = {},
  ) {}

  /** Queues the impression of a list shown to `target` (nothing when the target is anonymous and session-less). */
  record(list: RecommendationList, target: Target, context: Record<string, unknown> | undefined, offset: number): void {
    if (this.closed || (target.userId === undefined && target.sessionId === undefined)) return;
    const items = list.items.map((i) => i.itemId);
    this.queue.push({
      id: `imp:${list.recId}:${offset}`,
      userId: target.userId ?? null,
      sessionId: target.sessionId ?? null,
      itemId: null,
      type: 'impression',
      value: items.length,
      quantity: null,
      price: null,
      query: null,
      orderId: null,
      recId: list.recId,
      timestamp: Date.now(),
      context: {
        surface: list.surface,
        model: list.model,
        modelVersion: list.modelVersion,
        experiment: list.experiment?.name ?? null,
        variant: list.experiment?.variant ?? null,
        items,
        ...(context === undefined ? {} : { request: context }),
      },
    });
    const mode = this.store.offThread === true ? OFF_THREAD : IN_THREAD;
    if (this.queue.length >= (this.options.maxBatch ?? mode.maxBatch)) void this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? mode.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is queued; resolves once it (and any earlier flush) is stored. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /**
   * In-thread, writes in slices, yielding to the event loop between them: an embedded store writes
   * synchronously, and one large transaction would hold up every request waiting behind it.
   * Off-thread, writes the batch whole.
   */
  private async write(batch: Event[]): Promise<void> {
    const size = this.store.offThread === true ? batch.length : SLICE;
    for (let start = 0; start < batch.length; start += size) {
      const slice = batch.slice(start, start + size);
      try {
        await this.store.write({ events: slice });
      } catch (error) {
        this.warn(`could not store ${slice.length} impression events`, error);
      }
      if (start + size < batch.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Flushes and stops accepting impressions. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
