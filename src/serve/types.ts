/**
 * The contracts of the serving layer: what the HTTP API (`server/`), the Gorse-compatible routes,
 * the CLI and the library call. Implementations live beside this file; routes stay thin and only
 * validate, call one of these services and serialise.
 */
import type { EventInput } from '../core/schemas.js';
import type { Event, Item, User } from '../core/types.js';
import type { Store } from '../store/store.js';

/** Which kind of list a response is; also the first part of every `recId`. */
export type Surface = 'feed' | 'session' | 'similar' | 'bought-together' | 'cart' | 'trending' | 'latest';

/** Keeps only items that pass every filter given. Hidden items are never returned. */
export interface Filters {
  /** Only items whose `stock` is null (unknown) or > 0. Default true. */
  inStock?: boolean;
  /** Only items in at least one of these categories (any level of `categories`). */
  categories?: string[];
  /** Only items of one of these brands. */
  brands?: string[];
  priceMin?: number;
  priceMax?: number;
  /** Never these items. */
  excludeItems?: string[];
  /**
   * Drop items the shopper already bought, unless the item's attributes say `rebuyable: true`.
   * Default true for `feed`, `session` and `cart`.
   */
  excludePurchased?: boolean;
  /** Only items whose attribute equals the value (or is one of the values when an array is given). */
  attributes?: Record<string, string | number | boolean | (string | number | boolean)[]>;
}

/** Multiplies the score of matching items by `factor` (> 1 promotes, < 1 demotes). */
export type Boost =
  | { kind: 'new'; withinDays: number; factor: number }
  | { kind: 'promotion'; factor: number } // items whose attributes have `promotion: true`
  | { kind: 'attribute'; attribute: string; equals: string | number | boolean; factor: number }
  | { kind: 'category'; category: string; factor: number }
  | { kind: 'brand'; brand: string; factor: number };

/** Spreads a list: at most `maxPerCategory` items per first-level category, and/or MMR re-ranking. */
export interface Diversity {
  maxPerCategory?: number;
  /** MMR trade-off in [0, 1]: 1 = relevance only, 0 = diversity only. */
  mmrLambda?: number;
}

/** Business rules, given per request or saved under a name (see {@link RuleSetService}). */
export interface Rules {
  filters?: Filters;
  boosts?: Boost[];
  /** Items placed at fixed 0-based positions of the first page, whatever the model says. */
  pinned?: { itemId: string; position: number }[];
  diversity?: Diversity;
}

/** Options every list request accepts. */
export interface ListRequest {
  /** Page size, 1–100, default 10. */
  n?: number;
  /** Opaque token from a previous page's `nextCursor`: the next page, never repeating an item. */
  cursor?: string;
  /** Rules for this request; merged over the saved rule set `ruleSet` when both are given. */
  rules?: Rules;
  /** Name of a saved rule set. */
  ruleSet?: string;
  /** Add an `explanation` to each item. */
  explain?: boolean;
  /** Add the catalog row (`item`) to each item. */
  includeItems?: boolean;
  /** Free-form request context (device, page, …), kept for analytics. */
  context?: Record<string, unknown>;
}

/** Why an item is in a list, for people. */
export interface Explanation {
  kind: 'history' | 'similar' | 'bought-together' | 'cart' | 'trending' | 'popular' | 'latest' | 'pinned';
  /** E.g. "Because you viewed Red Mug", "Often bought with Blue Plate". */
  text: string;
  /** The items the reason refers to. */
  itemIds: string[];
}

/** One item of a list. */
export interface RecommendedItem {
  itemId: string;
  /** Comparable within one response only. */
  score: number;
  explanation?: Explanation;
  item?: Item;
}

/** Every recommendation response. */
export interface RecommendationList {
  /**
   * Identifies this response; events that carry it (`recId`) are attributed to it.
   * Format: `<surface>.<source>.<random>` where source is the model version id, `rules`, or
   * `<experiment>:<variant>` — see {@link parseRecId}.
   */
  recId: string;
  surface: Surface;
  /** Model id (`ease`, …) and version that produced the candidates; null for pure fallbacks. */
  model: string | null;
  modelVersion: string | null;
  /** Set when an experiment assigned this request to a variant. */
  experiment: { name: string; variant: string } | null;
  /** Set when the model had nothing for this target and a fallback filled the list. */
  fallback: null | 'trending-in-category' | 'trending' | 'latest';
  items: RecommendedItem[];
  /** Null on the last page. */
  nextCursor: string | null;
}

/** Who a personal list is for: a known user, an anonymous session, or both. */
export interface Target {
  userId?: string;
  sessionId?: string;
}

/** Every list the shop can ask for. */
export interface RecommendationService {
  /** Personal home feed; a user with no history gets trending (within their favourite category, then global). */
  feed(target: Target, request?: ListRequest): Promise<RecommendationList>;
  /** Next items for an anonymous (or known) session, from the session's own events. */
  session(sessionId: string, request?: ListRequest): Promise<RecommendationList>;
  /** Items similar to one item. */
  similar(itemId: string, request?: ListRequest): Promise<RecommendationList>;
  /** Items frequently bought together with one item. */
  boughtTogether(itemId: string, request?: ListRequest): Promise<RecommendationList>;
  /** Completes a cart: items for a list of cart items (not already in it). */
  cart(itemIds: string[], target?: Target, request?: ListRequest): Promise<RecommendationList>;
  /** Trending (time-decayed popularity) overall or within a category. */
  trending(options?: { category?: string }, request?: ListRequest): Promise<RecommendationList>;
  /** Newest items of the catalog (by `createdAt`). */
  latest(options?: { category?: string }, request?: ListRequest): Promise<RecommendationList>;
}

/** A trained model kept on disk. */
export interface ModelVersion {
  /** `v<yyyymmddHHMMss>-<model>`, sortable by time. */
  id: string;
  model: string;
  params: Record<string, unknown>;
  /** ISO time. */
  trainedAt: string;
  trainSeconds: number;
  users: number;
  items: number;
  events: number;
  /** Offline metrics measured at training time on a held-out split, when computed. */
  metrics: Record<string, number> | null;
  active: boolean;
}

/** State of a background training job. */
export interface TrainingJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  model: string;
  params: Record<string, unknown>;
  startedAt: string | null;
  finishedAt: string | null;
  /** Fraction done, 0–1, when known. */
  progress: number | null;
  /** The version produced (status done). */
  version: string | null;
  /** Why it failed (status failed). */
  error: string | null;
}

/**
 * Trained model versions: training in the background, atomic activation, rollback. The active
 * version is swapped in only after it has loaded completely; requests in flight finish on the old one.
 */
export interface ModelService {
  list(): Promise<ModelVersion[]>;
  active(): ModelVersion | null;
  /** Starts training (model spec like `ease:lambda=400`, default the configured model); returns at once. */
  train(spec?: string, options?: { activate?: boolean }): Promise<TrainingJob>;
  job(id: string): TrainingJob | null;
  jobs(): TrainingJob[];
  activate(versionId: string): Promise<ModelVersion>;
  /** Activates the version that was active before the current one. */
  rollback(): Promise<ModelVersion>;
  delete(versionId: string): Promise<void>;
}

/** Named, saved business rules. */
export interface RuleSetService {
  list(): Promise<{ name: string; rules: Rules }[]>;
  get(name: string): Promise<Rules | null>;
  put(name: string, rules: Rules): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** One arm of an experiment: a model version (or the active one) and/or a saved rule set. */
export interface Variant {
  name: string;
  /** Share of traffic, > 0; weights are normalised over the variants. */
  weight: number;
  /** Model version id, or omitted for the active version. */
  modelVersion?: string;
  ruleSet?: string;
}

/** A named A/B test. */
export interface Experiment {
  name: string;
  /** Surfaces it applies to (default all personal ones: feed, session, cart). */
  surfaces: Surface[];
  variants: Variant[];
  status: 'running' | 'stopped';
  /** ISO times. */
  startedAt: string;
  stoppedAt: string | null;
}

/** Per-variant outcome of an experiment, from impressions and events attributed by `recId`. */
export interface VariantReport {
  variant: string;
  /** Distinct users/sessions exposed, and responses served. */
  users: number;
  exposures: number;
  clicks: number;
  addToCarts: number;
  conversions: number;
  revenue: number;
  /** Rates per exposed user, each with a 95% confidence interval. */
  clickRate: { value: number; low: number; high: number };
  conversionRate: { value: number; low: number; high: number };
  revenuePerUser: { value: number; low: number; high: number };
  /** Against the first (control) variant; null for the control itself. */
  versusControl: null | {
    conversionLift: number;
    conversionPValue: number;
    revenuePerUserDiff: number;
    revenuePValue: number;
    significant: boolean;
  };
}

/** A/B tests: stable assignment by hash, and reports. */
export interface ExperimentService {
  list(): Promise<Experiment[]>;
  get(name: string): Promise<Experiment | null>;
  create(experiment: Omit<Experiment, 'status' | 'startedAt' | 'stoppedAt'>): Promise<Experiment>;
  stop(name: string): Promise<Experiment>;
  /** The variant for a user or session key on a surface; null when no running experiment applies. Pure and stable. */
  assign(surface: Surface, key: string): { experiment: string; variant: Variant } | null;
  report(name: string): Promise<{ experiment: Experiment; variants: VariantReport[]; note: string }>;
}

/** What {@link Engine.ingest} did with a batch of events. */
export interface IngestResult {
  /** Events newly stored. */
  stored: number;
  /** Events whose id was already stored (sending twice is safe). */
  duplicates: number;
  /** The id of each input event, in order (generated when the client sent none). */
  ids: string[];
}

/**
 * Everything the HTTP API, the Gorse-compatible routes and the CLI need, over one store.
 * Created by `openEngine` (serve/engine.ts).
 */
export interface Engine {
  readonly store: Store;
  readonly recommendations: RecommendationService;
  readonly models: ModelService;
  readonly rules: RuleSetService;
  readonly experiments: ExperimentService;
  /** Validates and stores events (idempotent by id); later requests see them at once. */
  ingest(events: EventInput[]): Promise<IngestResult>;
  upsertItems(items: Item[]): Promise<number>;
  /** Hides an item from every list; its events stay for history. */
  deleteItem(id: string): Promise<boolean>;
  upsertUsers(users: User[]): Promise<number>;
  /** Removes every trace of a user: profile, events, orders, cached lists, and the user's row in loaded models. */
  deleteUser(id: string): Promise<{ users: number; events: number; orders: number }>;
  /** Events of a user, most recent first. */
  userEvents(id: string, options?: { limit?: number }): Promise<Event[]>;
  close(): Promise<void>;
}
