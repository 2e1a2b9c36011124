/**
 * The ranker's inputs: for one query, the union of every retriever's top-N unseen items, and for
 * each such candidate one row of features — the retrievers' scores and ranks, the item's
 * popularity, recency and price, the user's activity and time of day, and how the item fits the
 * user's price range and categories. Training and serving both go through {@link FeatureBuilder},
 * so a feature cannot be computed one way when learning and another when answering.
 */
import { isMagpieError } from '../../core/errors.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import type { Recommender, UserQuery } from '../recommender.js';
import { DAY_MS, RECENT_DAYS, type Profiles } from './profile.js';

/** Item features, after the retrievers' two per retriever. */
const ITEM_FEATURES = ['item.users', 'item.recent7', 'item.recent30', 'item.daysSinceLast', 'item.ageDays', 'item.logPrice'] as const;
/** User and context features. */
const USER_FEATURES = ['user.items', 'user.events', 'user.recent7', 'user.recent30', 'user.daysSinceLast', 'user.tenureDays', 'context.hourSin', 'context.hourCos', 'context.weekdaySin', 'context.weekdayCos'] as const;
/** Features of the user–item pair. */
const PAIR_FEATURES = ['pair.priceGap', 'pair.categoryShare'] as const;

/** What the feature layout depends on: each retriever's name and whether it reads histories. */
export interface RetrieverInfo {
  readonly name: string;
  readonly historyAware: boolean;
}

/**
 * Feature names in row order: per retriever `<name>.z` and `<name>.rank`; then `<name>.recentZ` for
 * each history-aware retriever when recent items are used; then the item, user and pair features.
 */
export function featureNames(retrievers: readonly RetrieverInfo[], recent: boolean): string[] {
  const labels = retrievers.map((r, k) => (retrievers.findIndex((o) => o.name === r.name) === k ? r.name : `${r.name}#${k}`));
  const recentNames = recent ? labels.filter((_, k) => retrievers[k]!.historyAware).map((label) => `${label}.recentZ`) : [];
  return [...labels.flatMap((label) => [`${label}.z`, `${label}.rank`]), ...recentNames, ...ITEM_FEATURES, ...USER_FEATURES, ...PAIR_FEATURES];
}

/** z-score statistics of one score vector over the query's unseen items. */
interface ScoreStats {
  mean: number;
  std: number;
  /** The lowest finite score (unknown items are placed there), NaN when none. */
  min: number;
}

/** Mean, standard deviation and minimum of the finite scores of items with `known[i] === 0`. */
function scoreStats(scores: Float32Array, known: Uint8Array): ScoreStats {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (known[i] === 1 || !Number.isFinite(s)) continue;
    n++;
    sum += s;
    if (s < min) min = s;
  }
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (known[i] === 0 && Number.isFinite(s)) squares += (s - mean) * (s - mean);
  }
  return { mean, std: n > 1 ? Math.sqrt(squares / n) : 0, min: n > 0 ? min : Number.NaN };
}

/** A score as a z-score under `stats`; unknown scores sit at the minimum; NaN when nothing is known. */
function zScore(s: number, stats: ScoreStats): number {
  const value = Number.isFinite(s) ? s : stats.min;
  if (value !== value) return Number.NaN;
  return stats.std > 0 ? (value - stats.mean) / stats.std : 0;
}

/** One query's candidates and their raw (unstandardised) feature rows; views into reused buffers. */
export interface CandidateRows {
  /** Number of candidates. */
  count: number;
  /** Candidate item indices (first `count` entries). */
  items: Int32Array;
  /** count × width features, row-major; NaN marks a value the data cannot give (no price, no time). */
  rows: Float32Array;
}

/**
 * Builds candidates and feature rows for queries against fitted retrievers and the profiles of
 * the data they were fitted on. Buffers are reused between calls: use each result before the next.
 *
 * Candidates are items the query does not have yet (its `history`, plus the user's training row
 * when a user is named) — a shop re-offering bought items decides that outside the model.
 */
export class FeatureBuilder {
  /** Features per row. */
  readonly width: number;
  /** Their names, in row order. */
  readonly names: readonly string[];
  private readonly itemCount: number;
  private readonly scores: Float32Array[];
  private readonly rankOf: Int32Array[];
  private readonly rankStamp: Int32Array[];
  private readonly heap: TopKHeap;
  private readonly lists: Int32Array[];
  private readonly listCounts: Int32Array;
  private readonly topScores: Float32Array;
  private stats: ScoreStats[] = [];
  private readonly recentModels: number[];
  private readonly recentScores: Float32Array[];
  private recentStats: ScoreStats[] = [];
  private readonly recentQuery: number[] = [];
  private readonly known: Uint8Array;
  private readonly knownList: Int32Array;
  private readonly candidateStamp: Int32Array;
  private readonly items: Int32Array;
  private readonly rows: Float32Array;
  private readonly categoryCounts: Float32Array;
  private epoch = 0;

  /**
   * @param matrix the users × items rows of the data the retrievers saw (the users' known items)
   * @param perRetriever how many of each retriever's best unseen items become candidates
   */
  constructor(
    private readonly retrievers: readonly Recommender[],
    private readonly profiles: Profiles,
    private readonly matrix: CsrMatrix,
    private readonly perRetriever: number,
  ) {
    const items = matrix.cols;
    const r = retrievers.length;
    this.itemCount = items;
    this.names = featureNames(retrievers, profiles.users.recentLength > 0);
    this.width = this.names.length;
    this.recentModels = profiles.users.recentLength > 0 ? retrievers.flatMap((model, k) => (model.historyAware ? [k] : [])) : [];
    this.recentScores = this.recentModels.map(() => new Float32Array(items));
    this.scores = retrievers.map(() => new Float32Array(items));
    this.rankOf = retrievers.map(() => new Int32Array(items));
    this.rankStamp = retrievers.map(() => new Int32Array(items));
    this.heap = new TopKHeap(perRetriever);
    this.lists = retrievers.map(() => new Int32Array(perRetriever));
    this.listCounts = new Int32Array(r);
    this.topScores = new Float32Array(perRetriever);
    this.known = new Uint8Array(items);
    this.knownList = new Int32Array(items);
    this.candidateStamp = new Int32Array(items);
    const capacity = Math.min(items, r * perRetriever);
    this.items = new Int32Array(capacity);
    this.rows = new Float32Array(capacity * this.width);
    this.categoryCounts = new Float32Array(profiles.items.categories);
  }

  /** The most candidates one query can have (retrievers × perRetriever, at most every item). */
  get capacity(): number {
    return this.items.length;
  }

  /** Candidates and their feature rows for `query`. */
  build(query: UserQuery): CandidateRows {
    const epoch = ++this.epoch;
    const knownCount = this.markKnown(query);
    this.scoreRetrievers(query, epoch);
    // Union of the retrievers' lists, in retriever order then rank, so the order is deterministic.
    let count = 0;
    for (let r = 0; r < this.retrievers.length; r++) {
      const list = this.lists[r]!;
      for (let k = 0; k < this.listCounts[r]!; k++) {
        const item = list[k]!;
        if (this.candidateStamp[item] === epoch) continue;
        this.candidateStamp[item] = epoch;
        this.items[count++] = item;
      }
    }
    this.fillRows(query, count, knownCount, epoch);
    return { count, items: this.items, rows: this.rows };
  }

  /** Each retriever's raw score of `items` for the last {@link build}'s query. */
  retrieverScores(items: Int32Array): Float32Array[] {
    return this.scores.map((scores) => Float32Array.from(items, (i) => scores[i]!));
  }

  /**
   * Scores every item of the last {@link build}'s query that the ranker does not score itself
   * (non-candidates, the query's own items): just below `floor` (the lowest candidate score), in
   * the first retriever's order, so a full ranking stays meaningful beyond the candidates. Items
   * no retriever knows get -Infinity.
   */
  fillOthers(out: Float32Array, floor: number): void {
    const scores = this.scores;
    const primary = scores[0]!;
    const { mean, std } = this.stats[0]!;
    for (let i = 0; i < out.length; i++) {
      let known = false;
      for (let r = 0; r < scores.length && !known; r++) known = scores[r]![i]! > -Infinity;
      if (!known) {
        out[i] = -Infinity;
        continue;
      }
      const s = primary[i]!;
      // σ(z)/2 keeps the first retriever's order inside (floor − 1, floor − ½), clear of any candidate.
      out[i] = s > -Infinity ? floor - 1 + 0.5 / (1 + Math.exp(-(std > 0 ? (s - mean) / std : 0))) : floor - 1;
    }
  }

  /** Marks the query's items in `known` and returns how many there are (their list in `knownList`). */
  private markKnown(query: UserQuery): number {
    this.known.fill(0);
    let count = 0;
    const add = (item: number): void => {
      if (Number.isInteger(item) && item >= 0 && item < this.itemCount && this.known[item] === 0) {
        this.known[item] = 1;
        this.knownList[count++] = item;
      }
    };
    const u = query.user;
    if (u !== undefined && u >= 0 && u < this.matrix.rows) {
      for (let p = this.matrix.indptr[u]!; p < this.matrix.indptr[u + 1]!; p++) add(this.matrix.indices[p]!);
    }
    for (const item of query.history ?? []) add(item);
    return count;
  }

  /**
   * Scores with every retriever, then with each history-aware one again on the query's latest
   * items only; records the z-score statistics of each and every retriever's top-N ranks.
   */
  private scoreRetrievers(query: UserQuery, epoch: number): void {
    const known = this.known;
    this.stats = this.retrievers.map((model, r) => {
      const scores = this.scores[r]!;
      try {
        model.scoreItems(query, scores);
      } catch (error) {
        // As in blend: a user-only retriever asked about a history-only query sits it out.
        if (query.user !== undefined || model.historyAware || !isMagpieError(error)) throw error;
        scores.fill(Number.NaN);
      }
      const heap = this.heap;
      heap.reset(this.perRetriever);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!;
        if (known[i] === 0 && s > -Infinity) heap.push(i, s);
      }
      const list = this.lists[r]!;
      const listed = heap.drainInto(list, this.topScores);
      this.listCounts[r] = listed;
      const rankOf = this.rankOf[r]!;
      const stamp = this.rankStamp[r]!;
      for (let k = 0; k < listed; k++) {
        rankOf[list[k]!] = k;
        stamp[list[k]!] = epoch;
      }
      return scoreStats(scores, known);
    });
    const recent = this.latestItems(query);
    this.recentStats = this.recentModels.map((r, k) => {
      const scores = this.recentScores[k]!;
      if (recent.length === 0) scores.fill(Number.NaN);
      else this.retrievers[r]!.scoreItems({ history: recent }, scores);
      return scoreStats(scores, known);
    });
  }

  /** The query's latest distinct items, oldest first: the user's stored ones followed by `history`. */
  private latestItems(query: UserQuery): number[] {
    const { recent, recentLength } = this.profiles.users;
    const out = this.recentQuery;
    out.length = 0;
    if (recentLength === 0) return out;
    const u = query.user;
    if (u !== undefined && u >= 0 && u < this.matrix.rows) {
      for (let k = u * recentLength; k < (u + 1) * recentLength; k++) if (recent[k]! >= 0) out.push(recent[k]!);
    }
    for (const item of query.history ?? []) {
      if (!Number.isInteger(item) || item < 0 || item >= this.itemCount) continue;
      const at = out.indexOf(item);
      if (at >= 0) out.splice(at, 1);
      out.push(item);
    }
    if (out.length > recentLength) out.splice(0, out.length - recentLength);
    return out;
  }

  /** Writes the feature rows of the first `count` candidates. */
  private fillRows(query: UserQuery, count: number, knownCount: number, epoch: number): void {
    const { items: itemProfile, users: userProfile, referenceTime } = this.profiles;
    const width = this.width;
    const rows = this.rows;
    const retrievers = this.retrievers.length;
    const logRankSpan = Math.log1p(this.perRetriever);
    // The user's side: the same for every candidate.
    let priceSum = 0;
    let priced = 0;
    this.categoryCounts.fill(0);
    for (let k = 0; k < knownCount; k++) {
      const item = this.knownList[k]!;
      const lp = itemProfile.logPrice[item]!;
      if (lp === lp) {
        priceSum += lp;
        priced++;
      }
      const c = itemProfile.category[item]!;
      if (c >= 0) this.categoryCounts[c]!++;
    }
    const meanLogPrice = priced > 0 ? priceSum / priced : Number.NaN;
    const user = userFeatures(query, knownCount, this.profiles, this.matrix.rows);
    for (let c = 0; c < count; c++) {
      const item = this.items[c]!;
      const base = c * width;
      let f = base;
      for (let r = 0; r < retrievers; r++) {
        rows[f++] = zScore(this.scores[r]![item]!, this.stats[r]!);
        rows[f++] = this.rankStamp[r]![item] === epoch ? 1 - Math.log1p(this.rankOf[r]![item]!) / logRankSpan : 0;
      }
      for (let k = 0; k < this.recentModels.length; k++) rows[f++] = zScore(this.recentScores[k]![item]!, this.recentStats[k]!);
      rows[f++] = Math.log1p(itemProfile.users[item]!);
      for (let w = 0; w < RECENT_DAYS.length; w++) rows[f++] = Math.log1p(itemProfile.recent[item * RECENT_DAYS.length + w]!);
      rows[f++] = daysBetween(itemProfile.last[item]!, referenceTime);
      rows[f++] = daysBetween(itemProfile.first[item]!, referenceTime);
      const lp = itemProfile.logPrice[item]!;
      rows[f++] = lp;
      rows.set(user, f);
      f += user.length;
      rows[f++] = Math.abs(lp - meanLogPrice);
      const cat = itemProfile.category[item]!;
      rows[f++] = cat >= 0 && knownCount > 0 ? this.categoryCounts[cat]! / knownCount : 0;
    }
  }
}

/** ln(1 + days from `then` to `now`), NaN when `then` is unknown. */
function daysBetween(then: number, now: number): number {
  return then === then ? Math.log1p(Math.max(0, now - then) / DAY_MS) : Number.NaN;
}

/**
 * The user and context features. A named user's come from their training events; events given as
 * `history` count as happening at the reference time (they are newer than the model). The time of
 * day and day of week are those of the user's latest known event — the context a shop would pass
 * with a request; a session without a known time leaves them NaN (the training mean after scaling).
 */
function userFeatures(query: UserQuery, knownCount: number, profiles: Profiles, users: number): Float32Array {
  const out = new Float32Array(USER_FEATURES.length).fill(Number.NaN);
  const u = query.user !== undefined && query.user >= 0 && query.user < users ? query.user : -1;
  const now = profiles.referenceTime;
  const fresh = query.history?.length ?? 0;
  const events = (u >= 0 ? profiles.users.events[u]! : 0) + fresh;
  const first = u >= 0 ? profiles.users.first[u]! : Number.NaN;
  const last = fresh > 0 ? now : u >= 0 ? profiles.users.last[u]! : Number.NaN;
  let f = 0;
  out[f++] = Math.log1p(knownCount);
  out[f++] = Math.log1p(events);
  for (let w = 0; w < RECENT_DAYS.length; w++) out[f++] = Math.log1p((u >= 0 ? profiles.users.recentEvents[u * RECENT_DAYS.length + w]! : 0) + fresh);
  out[f++] = daysBetween(last, now);
  out[f++] = first === first ? daysBetween(first, now) : fresh > 0 ? 0 : Number.NaN;
  if (u >= 0 && fresh === 0) {
    const date = new Date(profiles.users.last[u]!);
    const hour = (2 * Math.PI * (date.getUTCHours() + date.getUTCMinutes() / 60)) / 24;
    const day = (2 * Math.PI * date.getUTCDay()) / 7;
    out[f++] = Math.sin(hour);
    out[f++] = Math.cos(hour);
    out[f++] = Math.sin(day);
    out[f++] = Math.cos(day);
  }
  return out;
}
