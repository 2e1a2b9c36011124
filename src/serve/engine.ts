/**
 * `openEngine`: the serving core over one store — recommendations, model versions, saved rules,
 * experiments, event ingestion — everything the HTTP API, the Gorse-compatible routes and the
 * CLI call, with nothing HTTP-specific in it.
 */
import { parseItem, parseUser, type EventInput } from '../core/schemas.js';
import type { Event, Item, User } from '../core/types.js';
import { parseModelSpec } from '../models/registry.js';
import type { Store } from '../store/store.js';
import { Catalog } from './catalog.js';
import { HistoryCache } from './history.js';
import { ImpressionWriter } from './impressions.js';
import { validateEvents } from './ingest.js';
import { Lru } from './lru.js';
import { ModelManager } from './models/manager.js';
import { DEFAULT_MODELS_DIR } from './models/versions.js';
import { noExperiments } from './no-experiments.js';
import { CandidateCache, DEFAULT_CANDIDATES } from './recommend/candidates.js';
import { EvidenceBoard } from './recommend/evidence.js';
import { CandidateWarmer } from './recommend/precompute.js';
import { createRecommendationService } from './recommend/service.js';
import type { CachedList, ResultEntry, ServeState } from './recommend/state.js';
import { StoredRuleSets } from './rules/rule-sets.js';
import { Trending } from './trending.js';
import { WriteThread } from './write-thread.js';
import type { Engine, ExperimentService, IngestResult, RecommendationService } from './types.js';

/** Where the engine reports problems it survives (a model that failed to load, impressions not stored). */
export interface EngineLogger {
  warn(message: string, error?: unknown): void;
  info?(message: string): void;
}

/** Options of {@link openEngine}. */
export interface EngineOptions {
  store: Store;
  /** URL the training worker opens the store with; default `store.url` (which carries no password). */
  storeUrl?: string;
  /** Directory of model versions (default `./data/models`). Server processes sharing a database must share it. */
  modelsDir?: string;
  /** Model spec trained by default: `auto` (EASE up to 15,000 interacted items, else item-kNN), or e.g. `ease:lambda=400`. */
  model?: string;
  /** Retrain in the background this often (ms); default never. */
  retrainEveryMs?: number;
  /** A/B experiments; default none (nothing is ever assigned). */
  experiments?: ExperimentService;
  /** Train a first version in the background when there is none and there are events (default true). */
  trainOnStart?: boolean;
  logger?: EngineLogger;
  /** How long a user's cached latest events are trusted before the store is read again (default 1000 ms; 0 = always read). */
  historyTtlMs?: number;
  /** How often to look for a version activated by another process (default 5000 ms; 0 = never). */
  pollMs?: number;
  /** Half-life of trending scores in days (default 7). */
  trendingHalfLifeDays?: number;
  /**
   * How long an identical first-page request may reuse a ranked list (default: historyTtlMs, 1000 ms;
   * 0 = never). A new event of the shopper, a model swap or a catalogue change invalidates at once;
   * only trending counters may be this much behind. Feeds and sessions rank from the shopper's
   * candidate list instead, which is about as cheap.
   */
  resultTtlMs?: number;
  /** Lists kept for paging, and first pages kept for reuse (default 10,000 each). */
  listCacheSize?: number;
  /** How often queued impression events are written (default 250 ms). */
  impressionFlushMs?: number;
  /**
   * Events (ingested and impressions) written on the request thread before writes move to a
   * thread of their own (embedded file stores only; default 2,000; Infinity = never).
   */
  writeThreadAfter?: number;
  /** Candidate items kept per shopper for the feed (default 200). */
  candidatesPerShopper?: number;
  /** Shoppers whose candidate lists are kept (default 20,000). */
  candidateCacheSize?: number;
  /** Score every known customer's candidates in the background when a version becomes active (default true). */
  warmCandidates?: boolean;
}

function defaultLogger(): EngineLogger {
  const silent = process.env.MAGPIE_LOG === 'silent';
  return {
    warn: (message, error) => {
      if (!silent) console.warn(`magpie: ${message}${error ? `: ${(error as Error).message ?? String(error)}` : ''}`);
    },
  };
}

/** Ids of recently ingested events, so a half-duplicate batch counts only its new events in trending. */
class RecentIds {
  private readonly ids = new Set<string>();
  /** Kept across evictions: a fresh iterator would walk every hole earlier evictions left (see Lru). */
  private oldest: IterableIterator<string> | null = null;
  constructor(private readonly capacity = 200_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size <= this.capacity) return;
    this.oldest ??= this.ids.values();
    let next = this.oldest.next();
    if (next.done) {
      this.oldest = this.ids.values();
      next = this.oldest.next();
    }
    if (!next.done) this.ids.delete(next.value);
  }
}

class ServingEngine implements Engine {
  readonly recommendations: RecommendationService;
  private readonly recent = new RecentIds();

  constructor(
    readonly store: Store,
    private readonly state: ServeState,
    readonly models: ModelManager,
    private readonly warmer: CandidateWarmer | null,
    private readonly writes: WriteThread,
  ) {
    this.recommendations = createRecommendationService(state);
  }

  /**
   * Resolves when the background scoring of the active version's candidate lists is done (starting
   * it now if that version was just activated): the number of shoppers scored.
   */
  candidatesWarmed(): Promise<number> {
    this.warmer?.check();
    return this.warmer?.done ?? Promise.resolve(0);
  }

  get rules(): StoredRuleSets {
    return this.state.ruleSets;
  }

  get experiments(): ExperimentService {
    return this.state.experiments;
  }

  async ingest(inputs: EventInput[]): Promise<IngestResult> {
    const events = validateEvents(inputs);
    if (events.length === 0) return { stored: 0, duplicates: 0, ids: [] };
    // Committed before the answer either way; on a busy embedded store, by the write thread.
    const result = await this.writes.write({ events });
    let fresh: Event[];
    if (result.duplicateEvents === 0) fresh = events;
    else if (result.events === 0) fresh = [];
    else fresh = events.filter((e) => !this.recent.has(e.id));
    // A batch may repeat an event; it was stored once, so it counts once.
    const counted = new Set<string>();
    const unique: Event[] = [];
    for (const event of fresh) {
      if (counted.has(event.id)) continue;
      counted.add(event.id);
      unique.push(event);
      this.recent.add(event.id);
      this.state.trending.add(event);
    }
    this.state.history.record(unique);
    return { stored: result.events, duplicates: result.duplicateEvents, ids: events.map((e) => e.id) };
  }

  async upsertItems(items: Item[]): Promise<number> {
    const parsed = items.map((item, k) => parseItem(item, { field: `items[${k}]` }));
    const result = await this.store.write({ items: parsed });
    this.state.catalog.upsert(parsed);
    return result.items;
  }

  async deleteItem(id: string): Promise<boolean> {
    const deleted = await this.store.deleteItem(id);
    const known = this.state.catalog.indexOf(id) >= 0;
    if (deleted || known) this.state.catalog.remove(id);
    return deleted;
  }

  async upsertUsers(users: User[]): Promise<number> {
    const parsed = users.map((user, k) => parseUser(user, { field: `users[${k}]` }));
    return (await this.store.write({ users: parsed })).users;
  }

  async deleteUser(id: string): Promise<{ users: number; events: number; orders: number }> {
    const deleted = await this.store.deleteUser(id);
    this.state.history.clear();
    this.state.candidates.deleteUser(id);
    this.state.lists.deleteWhere((_, list) => list.userId === id);
    this.state.results.clear();
    await this.models.forgetUser(id);
    return deleted;
  }

  async userEvents(id: string, options: { limit?: number } = {}): Promise<Event[]> {
    return this.store.eventsByUser(id, { order: 'desc', limit: options.limit ?? 100 });
  }

  /** Flushes impressions and stops background work; the store stays open (it is the caller's). */
  async close(): Promise<void> {
    this.warmer?.stop();
    this.state.history.close();
    await this.models.close();
    await this.state.impressions.close();
    await this.writes.close();
  }
}

/**
 * Opens the serving engine over a store: loads the catalogue, the trending counters and the
 * active model version (training one in the background when there is none and there are events).
 *
 * @example
 * const store = await openStore('sqlite:./data/magpie.db');
 * const engine = await openEngine({ store });
 * await engine.ingest([{ userId: 'u1', itemId: 'sku-1', type: 'view' }]);
 * const feed = await engine.recommendations.feed({ userId: 'u1' }, { n: 10, explain: true });
 * await engine.close();
 */
export async function openEngine(
  options: EngineOptions,
): Promise<Engine & { readonly models: ModelManager; readonly rules: StoredRuleSets; candidatesWarmed(): Promise<number> }> {
  const { store } = options;
  if (options.model !== undefined && options.model.trim() !== 'auto') parseModelSpec(options.model);
  const logger = options.logger ?? defaultLogger();
  const warn = (message: string, error?: unknown): void => logger.warn(message, error);
  const catalog = await Catalog.load(store);
  const trending = new Trending(catalog, options.trendingHalfLifeDays ?? 7);
  await trending.load(store);
  const models = new ModelManager({
    store,
    ...(options.storeUrl === undefined ? {} : { storeUrl: options.storeUrl }),
    modelsDir: options.modelsDir ?? DEFAULT_MODELS_DIR,
    defaultSpec: options.model ?? 'auto',
    catalog,
    warn,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.retrainEveryMs === undefined ? {} : { retrainEveryMs: options.retrainEveryMs }),
  });
  await models.init();
  const writes = new WriteThread(store, {
    ...(options.storeUrl === undefined ? {} : { storeUrl: options.storeUrl }),
    ...(options.writeThreadAfter === undefined ? {} : { threshold: options.writeThreadAfter }),
    warn,
  });
  const state: ServeState = {
    store,
    catalog,
    trending,
    history: new HistoryCache(store, catalog, { ...(options.historyTtlMs === undefined ? {} : { ttlMs: options.historyTtlMs }) }),
    candidates: new CandidateCache(options.candidateCacheSize ?? 20_000, options.candidatesPerShopper ?? DEFAULT_CANDIDATES),
    models,
    ruleSets: new StoredRuleSets(store),
    experiments: options.experiments ?? noExperiments,
    impressions: new ImpressionWriter(writes, warn, { ...(options.impressionFlushMs === undefined ? {} : { flushMs: options.impressionFlushMs }) }),
    lists: new Lru<string, CachedList>(options.listCacheSize ?? 10_000),
    results: new Lru<string, ResultEntry>(options.listCacheSize ?? 10_000),
    resultTtlMs: options.resultTtlMs ?? options.historyTtlMs ?? 1000,
    evidence: new EvidenceBoard(),
    warn,
  };
  if (models.current === null && options.trainOnStart !== false && (await store.events({ limit: 1 })).length > 0) {
    const job = await models.train();
    logger.info?.(`no active model; training ${job.model} in the background (job ${job.id})`);
  }
  const warmer = options.warmCandidates === false ? null : new CandidateWarmer(state);
  warmer?.start();
  return new ServingEngine(store, state, models, warmer, writes);
}
