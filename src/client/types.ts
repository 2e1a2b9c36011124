/** What the SDK's methods take and return, beyond the serving and core types they reuse. */
import type { EventType } from '../core/types.js';
import type { Rules, Surface, Variant } from '../serve/types.js';

export type { EventInput } from '../core/schemas.js';
export type { Event, Item, User } from '../core/types.js';
export type {
  Experiment,
  IngestResult,
  ModelVersion,
  RecommendationList,
  RecommendedItem,
  Rules,
  TrainingJob,
} from '../serve/types.js';

/** Options of {@link MagpieClient}. */
export interface ClientOptions {
  /** Where the server listens, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Abort a request after this many milliseconds (default 30,000). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** An item as sent: only `id` is required; times as epoch ms/s or ISO strings. */
export interface ItemInput {
  id: string | number;
  title?: string | null;
  description?: string | null;
  categories?: string[];
  brand?: string | null;
  price?: number | null;
  currency?: string | null;
  stock?: number | null;
  attributes?: Record<string, unknown>;
  createdAt?: number | string | null;
  hidden?: boolean;
}

/** A user as sent. */
export interface UserInput {
  id: string | number;
  attributes?: Record<string, unknown>;
  createdAt?: number | string | null;
}

/** Filters a GET list request can state as query parameters. */
export interface CompactFilters {
  categories?: string[];
  brands?: string[];
  priceMin?: number;
  priceMax?: number;
  inStock?: boolean;
}

/**
 * Options of every list. Given `rules` or `context`, the SDK uses the POST form of the route;
 * otherwise the GET form, with `filters` as query parameters.
 */
export interface ListOptions {
  /** Page size, 1–100 (default 10). */
  n?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  ruleSet?: string;
  explain?: boolean;
  includeItems?: boolean;
  filters?: CompactFilters;
  rules?: Rules;
  context?: Record<string, unknown>;
}

/** What DELETE /v1/users/{id} removed. */
export interface DeletedUser {
  users: number;
  events: number;
  orders: number;
}

/** An API key as listed. */
export interface ApiKey {
  name: string;
  scopes: ('read' | 'write' | 'admin')[];
  createdAt: string;
}

/** A new key: the secret appears here only. */
export interface CreatedApiKey extends ApiKey {
  secret: string;
}

/** A new experiment. */
export interface ExperimentInput {
  name: string;
  /** Default feed, session and cart. */
  surfaces?: Surface[];
  /** The first is the control. */
  variants: Variant[];
}

/** Options of the analytics route, as `magpie analytics` takes them. */
export interface AnalyticsOptions {
  from?: string;
  to?: string;
  by?: 'day' | 'week' | 'month';
  /** `attribute=value`. */
  segment?: string;
  /** Funnel steps in order. */
  steps?: EventType[];
  /** Funnel window in days. */
  window?: number;
  byCategory?: boolean;
  /** user-states: quiet periods after which a user counts as churned. */
  churnAfter?: number;
  /** bayes-net: cut-off between the drivers and the outcome. */
  asOf?: string;
  /** bayes-net: outcome window after the cut-off, in days. */
  horizon?: number;
}

/** Result of the readiness check. */
export interface Readiness {
  ready: boolean;
  checks: {
    store: { ok: boolean; ms: number; error?: string };
    model: { ok: boolean; version: string | null };
    fallback: { ok: boolean; detail: string };
  };
}

/** A 95% interval; null while not defined (no exposures yet). */
export interface Interval {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** One variant's outcome, as the API sends it: figures not defined yet are null. */
export interface VariantReport {
  variant: string;
  users: number;
  exposures: number;
  clicks: number;
  addToCarts: number;
  conversions: number;
  revenue: number;
  clickRate: Interval;
  conversionRate: Interval;
  revenuePerUser: Interval;
  /** Against the first (control) variant; null for the control itself. */
  versusControl: null | {
    conversionLift: number | null;
    conversionPValue: number | null;
    revenuePerUserDiff: number | null;
    revenuePValue: number | null;
    significant: boolean;
  };
}
