/**
 * `popularity`: the same ranking for everyone — all-time counts or time-decayed trending.
 * The baseline every other model must beat, and the fallback for users with no history.
 */
import type { Dataset } from '../../dataset/types.js';
import { topK } from '../../math/topk.js';
import { corruptModelError, type ModelArtifact, requireArray } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';

const DAY_MS = 86_400_000;

/** The params of `popularity`. */
export const POPULARITY_PARAMS = {
  by: { type: 'choice', default: 'users', choices: ['users', 'weight'], doc: 'count distinct users per item, or sum interaction weights' },
  halfLifeDays: { type: 'number', default: 0, min: 0, doc: 'time decay half-life in days relative to the latest event (0 = no decay)' },
} as const;

/**
 * Ranks items by how many users interacted with them (or their summed weight), optionally
 * decayed so an interaction `halfLifeDays` older than the newest one counts half.
 *
 * @example
 * const model = new Popularity({ halfLifeDays: 7 });
 * await model.fit(dataset);
 * model.recommend({}, { n: 10 });
 */
export class Popularity extends BaseRecommender<typeof POPULARITY_PARAMS> {
  /** History is ignored: every query gets the same scores. */
  readonly historyAware = false;
  private scores = new Float32Array(0);
  private categoryNames: string[] = [];
  private categoryIndptr = new Int32Array(1);
  private categoryItems = new Int32Array(0);

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('popularity', POPULARITY_PARAMS, params);
  }

  /** Counts (or sums) interactions per item, with decay when `halfLifeDays` > 0. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    void options;
    const items = data.matrix.cols;
    const scores = new Float32Array(items);
    const { by, halfLifeDays } = this.current;
    if (halfLifeDays === 0) {
      const { indices, data: values } = data.matrix;
      for (let p = 0; p < indices.length; p++) scores[indices[p]!]! += by === 'users' ? 1 : values[p]!;
    } else {
      decayedCounts(data, by === 'users', halfLifeDays, scores);
    }
    this.scores = scores;
    this.indexCategories(data);
    this.itemCount = items;
    this.userCount = data.matrix.rows;
  }

  /** The same popularity scores for every query. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    void query;
    this.checkScoreBuffer(out);
    out.set(this.scores);
  }

  /** The `n` most popular items carrying `category` anywhere in their category path. */
  topInCategory(category: string, n: number): ScoredItem[] {
    this.requireFitted();
    const c = this.categoryNames.indexOf(category);
    if (c < 0) return [];
    const members = this.categoryItems.subarray(this.categoryIndptr[c]!, this.categoryIndptr[c + 1]!);
    const local = new Float32Array(members.length);
    for (let i = 0; i < members.length; i++) local[i] = this.scores[members[i]!]!;
    // Members are sorted, so topK's lower-index tie-break is the lower item index.
    return topK(local, n).map(({ item, score }) => ({ item: members[item]!, score }));
  }

  /** Category names seen in the catalog at fit time. */
  categories(): readonly string[] {
    return this.categoryNames;
  }

  protected exportState(): ModelState {
    return {
      arrays: { scores: this.scores, categoryIndptr: this.categoryIndptr, categoryItems: this.categoryItems },
      meta: { categories: this.categoryNames },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const names = artifact.meta['categories'];
    if (!Array.isArray(names) || !names.every((x) => typeof x === 'string')) throw corruptModelError(dir, 'category names are missing');
    const scores = requireArray(dir, artifact, 'scores', Float32Array, this.itemCount);
    const indptr = requireArray(dir, artifact, 'categoryIndptr', Int32Array, names.length + 1);
    const members = requireArray(dir, artifact, 'categoryItems', Int32Array, indptr[names.length]);
    for (const item of members) if (item < 0 || item >= this.itemCount) throw corruptModelError(dir, 'categories name unknown items');
    this.scores = scores;
    this.categoryNames = names as string[];
    this.categoryIndptr = indptr;
    this.categoryItems = members;
  }

  /** Groups item indices by every category on their path (CSR: category → items). */
  private indexCategories(data: Dataset): void {
    const byName = new Map<string, number[]>();
    for (const [item, row] of data.catalog) {
      for (const name of new Set(row.categories)) {
        let list = byName.get(name);
        if (list === undefined) byName.set(name, (list = []));
        list.push(item);
      }
    }
    this.categoryNames = [...byName.keys()].sort();
    this.categoryIndptr = new Int32Array(this.categoryNames.length + 1);
    const flat: number[] = [];
    this.categoryNames.forEach((name, c) => {
      flat.push(...(byName.get(name) ?? []).sort((a, b) => a - b));
      this.categoryIndptr[c + 1] = flat.length;
    });
    this.categoryItems = Int32Array.from(flat);
  }
}

/**
 * Decayed scores from the interaction log. For `distinctUsers`, each user–item pair counts once
 * at its latest time (found by binary search in the matrix row), so repeated events by one user
 * do not inflate an item.
 */
function decayedCounts(data: Dataset, distinctUsers: boolean, halfLifeDays: number, scores: Float32Array): void {
  const { log, matrix } = data;
  let latest = -Infinity;
  for (let k = 0; k < log.length; k++) if (log.time[k]! > latest) latest = log.time[k]!;
  const rate = Math.LN2 / (halfLifeDays * DAY_MS);
  const decay = (time: number): number => (time === time ? Math.exp(-rate * Math.max(0, latest - time)) : 0);
  if (!distinctUsers) {
    for (let k = 0; k < log.length; k++) scores[log.item[k]!]! += log.weight[k]! * decay(log.time[k]!);
    return;
  }
  const pairTime = new Float64Array(matrix.indices.length).fill(NaN);
  for (let k = 0; k < log.length; k++) {
    const p = findInRow(matrix.indptr, matrix.indices, log.user[k]!, log.item[k]!);
    if (p >= 0 && !(pairTime[p]! >= log.time[k]!)) pairTime[p] = log.time[k]!;
  }
  for (let p = 0; p < pairTime.length; p++) scores[matrix.indices[p]!]! += decay(pairTime[p]!);
}

/** Position of (row, col) in a CSR matrix with sorted rows, or -1. */
function findInRow(indptr: Int32Array, indices: Int32Array, row: number, col: number): number {
  let lo = indptr[row]!;
  let hi = indptr[row + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = indices[mid]!;
    if (c === col) return mid;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
