/**
 * Trending: time-decayed popularity per item, kept current event by event. Each event adds
 * weight · 2^((t − landmark) / halfLife); the common factor 2^(−now/halfLife) is left out because
 * it scales every item alike, so the ranking is exact without touching old counts as time passes.
 * When the exponents grow large the landmark moves forward and every score is rescaled once.
 */
import type { Event } from '../core/types.js';
import { DEFAULT_EVENT_WEIGHTS } from '../dataset/weights.js';
import type { Store } from '../store/store.js';
import type { Catalog } from './catalog.js';

const DAY_MS = 86_400_000;
/** Rescale before 2^exponent nears Float64's range (2^1023). */
const MAX_EXPONENT = 600;

/** Decayed popularity per catalogue index. */
export class Trending {
  /** Decayed score of each catalogue index (relative to the landmark). */
  scores = new Float64Array(64);
  private landmark = Number.NaN;
  private readonly halfLifeMs: number;

  /** `halfLifeDays`: an event this old counts half as much as one happening now. */
  constructor(
    private readonly catalog: Catalog,
    halfLifeDays = 7,
  ) {
    this.halfLifeMs = halfLifeDays * DAY_MS;
  }

  /**
   * Fills the counters from the store: events within `windowHalfLives` half-lives of the newest
   * one (older ones would weigh under 1/2^window anyway), at most `maxEvents` of them.
   */
  async load(store: Store, options: { windowHalfLives?: number; maxEvents?: number } = {}): Promise<void> {
    const newest = (await store.events({ order: 'desc', limit: 1 }))[0];
    if (!newest) return;
    const from = newest.timestamp - (options.windowHalfLives ?? 8) * this.halfLifeMs;
    const max = options.maxEvents ?? 2_000_000;
    let seen = 0;
    for await (const event of store.iterateEvents({ from, batchSize: 20_000 })) {
      this.add(event);
      if (++seen >= max) break;
    }
  }

  /** Counts one event (types that weigh nothing, such as impressions, are ignored). */
  add(event: Event): void {
    if (event.itemId === null) return;
    const weight = DEFAULT_EVENT_WEIGHTS[event.type];
    if (!(weight > 0)) return;
    const c = this.catalog.intern(event.itemId);
    if (this.scores.length < this.catalog.size) this.grow();
    if (Number.isNaN(this.landmark)) this.landmark = event.timestamp;
    let exponent = (event.timestamp - this.landmark) / this.halfLifeMs;
    if (exponent > MAX_EXPONENT) {
      this.rebase(event.timestamp);
      exponent = 0;
    }
    this.scores[c]! += weight * Math.pow(2, exponent);
  }

  /** The score of catalogue index `c` (0 when it has none). */
  score(c: number): number {
    return c >= 0 && c < this.scores.length ? this.scores[c]! : 0;
  }

  /** Makes room for every catalogue index (call before reading `scores` directly). */
  sync(): Float64Array {
    if (this.scores.length < this.catalog.size) this.grow();
    return this.scores;
  }

  private rebase(landmark: number): void {
    const factor = Math.pow(2, -(landmark - this.landmark) / this.halfLifeMs);
    for (let c = 0; c < this.scores.length; c++) this.scores[c]! *= factor;
    this.landmark = landmark;
  }

  private grow(): void {
    let size = this.scores.length;
    while (size < this.catalog.size) size *= 2;
    const out = new Float64Array(size);
    out.set(this.scores);
    this.scores = out;
  }
}
