/**
 * What the list pipeline and the surfaces share: the engine's catalogue, counters, caches and
 * services. One object, built once by the engine.
 */
import type { Store } from '../../store/store.js';
import type { Catalog } from '../catalog.js';
import type { HistoryCache } from '../history.js';
import type { ImpressionWriter } from '../impressions.js';
import type { Lru } from '../lru.js';
import type { ModelManager } from '../models/manager.js';
import type { LoadedVersion } from '../models/loaded.js';
import type { StoredRuleSets } from '../rules/rule-sets.js';
import type { Trending } from '../trending.js';
import type { ExperimentService, Explanation, RecommendationList, Rules, Surface } from '../types.js';
import type { CandidateCache } from './candidates.js';
import type { EvidenceBoard } from './evidence.js';
import type { RankedList, TierValue } from './ranked.js';

/** Everything a build step gets: the version to score with, the merged rules, how deep to rank, and what was already served. */
export interface BuildInput {
  version: LoadedVersion | null;
  rules: Rules;
  depth: number;
  servedHashes: ReadonlySet<number>;
}

/** A ranked list with how to describe it. */
export interface Built {
  list: RankedList;
  /** The version whose scores ranked the list; null for pure fallbacks. */
  version: LoadedVersion | null;
  fallback: RecommendationList['fallback'];
  /** Explanations for a page of items (catalogue indices) with their tiers. */
  explain: (items: readonly number[], tiers: readonly TierValue[]) => Explanation[];
}

/** Ranks one surface's list. */
export type Builder = (input: BuildInput) => Promise<Built> | Built;

/** A list kept for its next pages, by recId. */
export interface CachedList {
  surface: Surface;
  list: RankedList;
  /** Position (in the whole sequence of pages) of `list.items[0]`. */
  start: number;
  built: Built;
  experiment: RecommendationList['experiment'];
  userId: string | undefined;
}

/** A first page's ranked list, reused for identical requests while nothing it depends on changed. */
export interface ResultEntry {
  list: RankedList;
  built: Built;
  at: number;
  userId: string | undefined;
}

/** The engine's shared serving state. */
export interface ServeState {
  store: Store;
  catalog: Catalog;
  trending: Trending;
  history: HistoryCache;
  /** Per-shopper candidate lists of the personal surfaces (see candidates.ts). */
  candidates: CandidateCache;
  models: ModelManager;
  ruleSets: StoredRuleSets;
  experiments: ExperimentService;
  impressions: ImpressionWriter;
  lists: Lru<string, CachedList>;
  /**
   * Ranked first pages by request (surface, target and its history stamp, model version,
   * catalogue version, page size, rules), trusted for `resultTtlMs`: a repeated request skips
   * scoring, while a new event of the shopper, a model swap or a catalogue change misses at once.
   */
  results: Lru<string, ResultEntry>;
  resultTtlMs: number;
  /** Reused by one request at a time (building is synchronous once the history is read). */
  evidence: EvidenceBoard;
  warn: (message: string, error?: unknown) => void;
}
