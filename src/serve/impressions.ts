/**
 * Impression events ("this list was shown"), written in the background: a response only queues
 * its impression; the queue goes to the store every `flushMs` or once `maxBatch` are waiting, and
 * on close. The request path never waits on the database.
 *
 * How often depends on where the writes run. On the request thread, small and frequent batches,
 * each a short transaction, so no request waits long behind one. On the write thread under load
 * (400 impressions a second and up), one batch a second in one transaction: an impression
 * adds an entry at its user's place in the events' user index — a random page of it — and a commit
 * writes every page it changed once, so one large commit writes far fewer pages per impression
 * than many small ones (on the serving bench, 37 → 21 µs of write-thread CPU per impression). An
 * impression is stored at most about a second after its list was served; a crash loses at most
 * that second of impressions, never an event a client sent.
 */
import type { Event } from '../core/types.js';
import type { RecommendationList, Target } from './types.js';

/**
 * One impression as queued: a flat tuple rather than its event, so that queuing it allocates two
 * arrays instead of a dozen objects, and posting a second's worth to the write thread copies a
 * third as much (structured clone pays per object and per property).
 */
export type ImpressionRow = readonly [
  recId: string,
  offset: number,
  userId: string | null,
  sessionId: string | null,
  timestamp: number,
  surface: string,
  model: string | null,
  modelVersion: string | null,
  experiment: string | null,
  variant: string | null,
  items: readonly string[],
  request: Record<string, unknown> | null,
];

/**
 * The impression event of a queued row.
 *
 * @example
 * impressionEvent(['feed.rules.x', 0, 'u1', null, 0, 'feed', null, null, null, null, ['i1'], null]).id; // 'imp:feed.rules.x:0'
 */
export function impressionEvent(row: ImpressionRow): Event {
  const [recId, offset, userId, sessionId, timestamp, surface, model, modelVersion, experiment, variant, items, request] = row;
  return {
    id: `imp:${recId}:${offset}`,
    userId,
    sessionId,
    itemId: null,
    type: 'impression',
    value: items.length,
    quantity: null,
    price: null,
    query: null,
    orderId: null,
    recId,
    timestamp,
    context: { surface, model, modelVersion, experiment, variant, items, ...(request === null ? {} : { request }) },
  };
}

/** Where impressions go: the store, or a write thread that takes queued rows as they are. */
export interface ImpressionSink {
  write(batch: { events: Event[] }): Promise<unknown>;
  /** True while writes run on another thread and never hold up requests. */
  readonly offThread?: boolean;
  /** Writes queued rows (off-thread: converted to events there). */
  writeImpressions?(rows: readonly ImpressionRow[]): Promise<unknown>;
}

/** Impressions wait at most this long before they are written… */
const FLUSH_MS = 250;
/** …and in-thread at most this many, written in transactions of `SLICE`, small enough that one blocks an embedded store for about a millisecond. */
const IN_THREAD_BATCH = 500;
const SLICE = 50;
/**
 * Off-thread (the write thread) each flush is one transaction, of at most `OFF_THREAD_BATCH`. A
 * first wait that saw `BUSY` or more queue (400 a second and up, where larger transactions start
 * to pay) is stretched to `BUSY_FLUSH_MS`.
 */
const OFF_THREAD_BATCH = 10_000;
const BUSY = 100;
const BUSY_FLUSH_MS = 1000;

/** Something that reports failures without throwing (the engine's logger). */
export type WarnFn = (message: string, error?: unknown) => void;

/** Batches impression events into the store. */
export class ImpressionWriter {
  private queue: ImpressionRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    /**
     * Where batches go: the store, or anything writing to it (a write thread, whose writes never
     * hold up requests while `offThread` is true).
     */
    private readonly store: ImpressionSink,
    private readonly warn: WarnFn,
    /** Overrides of the flush interval and queue size, in both modes (tests flush quickly). */
    private readonly options: { flushMs?: number; maxBatch?: number } = {},
  ) {}

  /** Queues the impression of a list shown to `target` (nothing when the target is anonymous and session-less). */
  record(list: RecommendationList, target: Target, context: Record<string, unknown> | undefined, offset: number): void {
    if (this.closed || (target.userId === undefined && target.sessionId === undefined)) return;
    const items = list.items.map((i) => i.itemId);
    const experiment = list.experiment;
    this.queue.push([
      list.recId,
      offset,
      target.userId ?? null,
      target.sessionId ?? null,
      Date.now(),
      list.surface,
      list.model,
      list.modelVersion,
      experiment?.name ?? null,
      experiment?.variant ?? null,
      items,
      context ?? null,
    ]);
    const maxBatch = this.options.maxBatch ?? (this.store.offThread === true ? OFF_THREAD_BATCH : IN_THREAD_BATCH);
    if (this.queue.length >= maxBatch) void this.flush();
    else if (this.timer === null) this.wait(this.options.flushMs ?? FLUSH_MS, true);
  }

  /** Flushes in `ms`; off-thread, a busy first wait is stretched to {@link BUSY_FLUSH_MS}. */
  private wait(ms: number, first: boolean): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      const stretch = first && this.options.flushMs === undefined && this.store.offThread === true && this.queue.length >= BUSY;
      if (stretch) this.wait(BUSY_FLUSH_MS - ms, false);
      else void this.flush();
    }, ms);
    this.timer.unref();
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
   * Off-thread, hands the rows to the write thread whole, as one transaction.
   */
  private async write(batch: ImpressionRow[]): Promise<void> {
    if (this.store.offThread === true && this.store.writeImpressions !== undefined) {
      try {
        await this.store.writeImpressions(batch);
      } catch (error) {
        this.warn(`could not store ${batch.length} impression events`, error);
      }
      return;
    }
    for (let start = 0; start < batch.length; start += SLICE) {
      const slice = batch.slice(start, start + SLICE).map(impressionEvent);
      try {
        await this.store.write({ events: slice });
      } catch (error) {
        this.warn(`could not store ${slice.length} impression events`, error);
      }
      if (start + SLICE < batch.length) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Flushes and stops accepting impressions. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
