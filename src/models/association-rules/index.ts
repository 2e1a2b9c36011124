/**
 * `association-rules`: "frequently bought together" — Apriori rules {a} → c and {a, b} → c mined
 * from baskets, scored by the best rule a query's items fire.
 */
import type { Dataset } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { corruptModelError, requireArray, requireCount, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { mineRules, type RuleTable } from './mining.js';
import { recentItems, userItemLists, type ItemLists } from './recent.js';

/** The params of `association-rules`. */
export const ASSOCIATION_RULES_PARAMS = {
  minSupport: { type: 'number', default: 0.005, min: 0, max: 1, doc: 'fraction of baskets an itemset must appear in' },
  minConfidence: { type: 'number', default: 0.05, min: 0, max: 1, doc: 'minimum P(consequent | antecedent) of a rule' },
  minLift: { type: 'number', default: 1, min: 0, doc: 'minimum lift (confidence / P(consequent)) of a rule' },
  maxLength: { type: 'number', default: 3, min: 2, max: 3, integer: true, doc: 'largest itemset: 2 mines a → c, 3 adds {a, b} → c' },
  scoring: { type: 'choice', default: 'confidence', choices: ['confidence', 'lift'], doc: 'which strength of the best firing rule scores an item' },
  recent: { type: 'number', default: 0, min: 0, integer: true, doc: 'only the last n distinct items of a history fire rules (0 = all)' },
  maxBasketSize: {
    type: 'number',
    default: 300,
    min: 2,
    integer: true,
    doc: 'larger baskets count toward item support only (pair and triple counting grows with size² and size³)',
  },
  source: {
    type: 'choice',
    default: 'auto',
    choices: ['auto', 'baskets', 'users'],
    doc: "transactions to mine: the dataset's baskets, each user's items, or baskets when there are any (auto)",
  },
} as const;

/** One rule with its measures; support is the fraction of baskets holding antecedent and consequent. */
export interface AssociationRule {
  antecedent: number[];
  consequent: number;
  support: number;
  confidence: number;
  lift: number;
}

/**
 * Association rules as a recommender. An item's score is the strength (confidence, or lift) of the
 * best rule whose antecedent lies in the query's items; items no rule reaches score their support,
 * the confidence of the empty-antecedent rule, which stays below every kept rule's confidence
 * while `minLift` ≥ 1. Datasets without baskets (ratings, views) are mined per user.
 *
 * @example
 * const model = new AssociationRules({ minSupport: 0.005, minConfidence: 0.1 });
 * await model.fit(dataset);
 * model.rulesFor([cartItem], 5); // [{ antecedent: [cartItem], consequent: 17, support: 0.01, confidence: 0.4, lift: 6.2 }, …]
 * model.recommend({ history: cart }, { n: 4, exclude: new Set(cart) });
 */
export class AssociationRules extends BaseRecommender<typeof ASSOCIATION_RULES_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private table: RuleTable | undefined;
  private users: ItemLists = { indptr: new Int32Array(1), items: new Int32Array(0) };
  private mark: Int32Array = new Int32Array(0);
  private epoch = 0;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('association-rules', ASSOCIATION_RULES_PARAMS, params);
  }

  /** Mines the rules from the dataset's baskets (or users' items, see `source`). */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const progress = options.progress ?? silentProgress;
    const { minSupport, minConfidence, minLift, maxLength, maxBasketSize, source } = this.current;
    const m = data.matrix;
    const perUser = source === 'users' || (source === 'auto' && data.baskets.length === 0);
    const transactions = perUser ? Array.from({ length: m.rows }, (_, u) => m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!)) : data.baskets;
    progress.start('association rules', 1);
    try {
      this.table = mineRules(transactions, m.cols, { minSupport, minConfidence, minLift, maxLength, maxBasketSize });
      progress.tick(1);
    } finally {
      progress.stop();
    }
    this.users = userItemLists(data);
    this.mark = new Int32Array(m.cols);
    this.itemCount = m.cols;
    this.userCount = m.rows;
  }

  /** Per item, the strength of the best rule the query fires, else the item's support. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const t = this.table!;
    for (let j = 0; j < out.length; j++) out[j] = t.baskets > 0 ? t.itemCounts[j]! / t.baskets : 0;
    const items = this.queryItems(query);
    const epoch = this.nextEpoch();
    for (const a of items) this.mark[a] = epoch;
    for (const a of items) {
      for (let p = t.singleIndptr[a]!; p < t.singleIndptr[a + 1]!; p++) {
        const c = t.singleConsequent[p]!;
        const s = this.strength(t.singleCount[p]!, t.itemCounts[a]!, c);
        if (s > out[c]!) out[c] = s;
      }
      for (let p = t.pairIndptr[a]!; p < t.pairIndptr[a + 1]!; p++) {
        if (this.mark[t.pairOther[p]!] !== epoch) continue;
        const c = t.pairConsequent[p]!;
        const s = this.strength(t.pairCount[p]!, t.pairAntecedentCount[p]!, c);
        if (s > out[c]!) out[c] = s;
      }
    }
  }

  /** The best consequents of {item}, by the `scoring` measure. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const t = this.table!;
    const heap = new TopKHeap(Math.max(0, options.n));
    for (let p = t.singleIndptr[item]!; p < t.singleIndptr[item + 1]!; p++) {
      const c = t.singleConsequent[p]!;
      heap.push(c, this.strength(t.singleCount[p]!, t.itemCounts[item]!, c));
    }
    return heap.drain();
  }

  /**
   * The `n` strongest rules whose antecedent lies within `items` and whose consequent does not,
   * by confidence, then lift, then support.
   *
   * @example
   * model.rulesFor([3], 2); // [{ antecedent: [3], consequent: 1, support: 0.4, confidence: 1, lift: 1.25 }, …]
   */
  rulesFor(items: readonly number[], n: number): AssociationRule[] {
    this.requireFitted();
    const t = this.table!;
    const given = new Set(items.filter((i) => Number.isInteger(i) && i >= 0 && i < this.itemCount));
    const rules: AssociationRule[] = [];
    const add = (antecedent: number[], consequent: number, count: number, antecedentCount: number): void => {
      if (given.has(consequent)) return;
      const confidence = count / antecedentCount;
      rules.push({ antecedent, consequent, support: count / t.baskets, confidence, lift: (confidence * t.baskets) / t.itemCounts[consequent]! });
    };
    for (const a of given) {
      for (let p = t.singleIndptr[a]!; p < t.singleIndptr[a + 1]!; p++) add([a], t.singleConsequent[p]!, t.singleCount[p]!, t.itemCounts[a]!);
      for (let p = t.pairIndptr[a]!; p < t.pairIndptr[a + 1]!; p++) {
        const b = t.pairOther[p]!;
        if (given.has(b)) add([a, b], t.pairConsequent[p]!, t.pairCount[p]!, t.pairAntecedentCount[p]!);
      }
    }
    rules.sort((x, y) => y.confidence - x.confidence || y.lift - x.lift || y.support - x.support || x.consequent - y.consequent || x.antecedent.length - y.antecedent.length);
    return rules.slice(0, Math.max(0, n));
  }

  /** Confidence (or lift) of a rule with `count` baskets out of `antecedent`, towards item c. */
  private strength(count: number, antecedent: number, c: number): number {
    const confidence = count / antecedent;
    if (this.current.scoring === 'confidence') return confidence;
    const t = this.table!;
    return (confidence * t.baskets) / t.itemCounts[c]!;
  }

  /** The query's items that fire rules: its history (or the user's items), latest `recent` only. */
  private queryItems(query: UserQuery): number[] {
    const recent = this.current.recent;
    if (query.history !== undefined) return recentItems(query.history, this.itemCount, recent);
    if (query.user === undefined) return [];
    this.checkUser(query.user);
    const { indptr, items } = this.users;
    const start = recent > 0 ? Math.max(indptr[query.user]!, indptr[query.user + 1]! - recent) : indptr[query.user]!;
    return Array.from(items.subarray(start, indptr[query.user + 1]!));
  }

  private nextEpoch(): number {
    if (this.epoch === 0x7fffffff) {
      this.mark.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }

  protected exportState(): ModelState {
    const t = this.table!;
    return {
      arrays: {
        itemCounts: t.itemCounts,
        singleIndptr: t.singleIndptr,
        singleConsequent: t.singleConsequent,
        singleCount: t.singleCount,
        pairIndptr: t.pairIndptr,
        pairOther: t.pairOther,
        pairConsequent: t.pairConsequent,
        pairCount: t.pairCount,
        pairAntecedentCount: t.pairAntecedentCount,
        userIndptr: this.users.indptr,
        userItems: this.users.items,
      },
      meta: { baskets: t.baskets },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const baskets = requireCount(dir, artifact, 'baskets');
    const itemCounts = requireArray(dir, artifact, 'itemCounts', Float64Array, n);
    const singleIndptr = requireArray(dir, artifact, 'singleIndptr', Int32Array, n + 1);
    const single = singleIndptr[n];
    const pairIndptr = requireArray(dir, artifact, 'pairIndptr', Int32Array, n + 1);
    const pair = pairIndptr[n];
    const table: RuleTable = {
      baskets,
      itemCounts,
      singleIndptr,
      singleConsequent: requireArray(dir, artifact, 'singleConsequent', Int32Array, single),
      singleCount: requireArray(dir, artifact, 'singleCount', Float64Array, single),
      pairIndptr,
      pairOther: requireArray(dir, artifact, 'pairOther', Int32Array, pair),
      pairConsequent: requireArray(dir, artifact, 'pairConsequent', Int32Array, pair),
      pairCount: requireArray(dir, artifact, 'pairCount', Float64Array, pair),
      pairAntecedentCount: requireArray(dir, artifact, 'pairAntecedentCount', Float64Array, pair),
    };
    const userIndptr = requireArray(dir, artifact, 'userIndptr', Int32Array, this.userCount + 1);
    const users: ItemLists = { indptr: userIndptr, items: requireArray(dir, artifact, 'userItems', Int32Array, userIndptr[this.userCount]) };
    const inRange = (values: Int32Array): boolean => values.every((i) => i >= 0 && i < n);
    const ordered = (indptr: Int32Array): boolean => indptr.every((v, k) => k === 0 || indptr[k - 1]! <= v);
    if (!ordered(singleIndptr) || !ordered(pairIndptr) || !ordered(userIndptr)) throw corruptModelError(dir, 'rule rows are out of order');
    if (!inRange(table.singleConsequent) || !inRange(table.pairOther) || !inRange(table.pairConsequent) || !inRange(users.items)) {
      throw corruptModelError(dir, 'rules name unknown items');
    }
    this.table = table;
    this.users = users;
    this.mark = new Int32Array(n);
    this.epoch = 0;
  }
}
