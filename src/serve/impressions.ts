/**
 * Impression events ("this list was shown"), written in the background: a response only queues
 * its impression; the queue goes to the store every `flushMs` or once `maxBatch` are waiting, and
 * on close. The request path never waits on the database.
 */
import type { Event } from '../core/types.js';
import type { RecommendationList, Target } from './types.js';

/** Impressions per transaction: small enough that one write blocks an embedded store for about a millisecond. */
const SLICE = 50;

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
     * Where batches go: the store, or anything writing to it (a write thread, which may ask for
     * larger transactions: its writes never hold up requests).
     */
    private readonly store: { write(batch: { events: Event[] }): Promise<unknown>; readonly sliceSize?: number },
    private readonly warn: WarnFn,
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
    if (this.queue.length >= (this.options.maxBatch ?? 500)) void this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs ?? 250);
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
   * Writes in slices, yielding to the event loop between them: an embedded store writes
   * synchronously, and one large transaction would hold up every request waiting behind it.
   */
  private async write(batch: Event[]): Promise<void> {
    const size = this.store.sliceSize ?? SLICE;
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
