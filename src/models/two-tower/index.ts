/**
 * `two-tower`: a retrieval model in two halves that meet in one vector space. The item tower
 * embeds a product from its id, the words of its title and description, its categories, brand
 * and price bucket; the user tower embeds a shopper from the items they touched recently. An
 * item scores the dot product of the two vectors plus the item's prior, so the top items for a
 * user come from a nearest-neighbour search — exact for small catalogues, an HNSW index for
 * large ones. Trained like the sequence models (sampled softmax, Adam, early stopping); served
 * in plain TypeScript. A brand-new product is embedded from its text alone (`addItems`).
 */
import { MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { createVectorIndex, type VectorIndex } from '../../math/ann.js';
import { corruptModelError, requireArray, requireCount, type ModelArtifact, type StoredArray } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { cosineSimilarItems, dotScores, factorNorms } from '../factors.js';
import type { FitOptions, RecommendOptions, ScoredItem, UserQuery } from '../recommender.js';
import { buildTrainingSet, PAD } from '../sequence/examples.js';
import { Dropout } from '../sequence/layers.js';
import { sizeOf, type Weights } from '../sequence/weights.js';
import { distinctRecent } from './examples.js';
import { appendFeatures, buildVocabulary, featureTable, type FeatureOptions, type FeatureTable, type FeatureVocabulary, type ItemRow } from './features.js';
import { itemInputs, itemTower, TowerScratch, userVector } from './inference.js';
import { TwoTowerNetwork, twoTowerSpecs } from './network.js';
import { TWO_TOWER_PARAMS } from './params.js';
import { trainTwoTower, type TwoTowerReport } from './train.js';

export { TWO_TOWER_PARAMS } from './params.js';
export type { ItemRow } from './features.js';

/** Seed offset of the dropout stream, apart from the trainer's (seed … seed + 2) and id dropout's (seed + 4). */
const DROPOUT_SEED_OFFSET = 3;

/** Item vectors of catalog rows, as {@link TwoTower.embedItems} returns them. */
export interface ItemEmbeddings {
  /** rows × width item vectors. */
  vectors: Float32Array;
  /** One prior per row, added to the dot product. */
  prior: Float32Array;
}

/**
 * A two-tower retriever. `recommend({ history })` serves a session or a user the model never saw
 * from their recent items; `recommend({ user })` reads the user's training items (the user's
 * vector is cached). Items with neither training interactions nor usable catalog fields score
 * -Infinity.
 *
 * @example
 * const model = new TwoTower({ width: 64, epochs: 50 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ history: [12, 40, 7] }, { n: 10, exclude: new Set([12, 40, 7]) });
 * const [mug] = model.addItems([{ title: 'Blue enamel mug', description: null, categories: ['Kitchen'], brand: null, price: 6.5 }]);
 */
export class TwoTower extends BaseRecommender<typeof TWO_TOWER_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private weights: Weights = new Map();
  private vocabulary: FeatureVocabulary = { terms: [], index: new Map(), priceEdges: new Float64Array(0) };
  private table: FeatureTable = { slots: 1, ids: new Int32Array(0), weights: new Float32Array(0) };
  /** Items with an id embedding: those of the training data. */
  private trainedItems = 0;
  private tails: Int32Array = new Int32Array(0);
  /** 1 for items with training interactions (their id embedding counts). */
  private known: Uint8Array = new Uint8Array(0);
  /** 1 for items that can be scored: trained, or with catalog fields the model knows. */
  private servable = new Uint8Array(0);
  private inputs = new Float32Array(0);
  private vectors = new Float32Array(0);
  private prior = new Float32Array(0);
  private itemNorms: Float32Array | undefined;
  private index: VectorIndex | undefined;
  private userVectors = new Float32Array(0);
  private userReady = new Uint8Array(0);
  private scratch1 = new TowerScratch(1, 1);
  private pooled = new Float32Array(0);
  private vector = new Float32Array(0);
  private query = new Float32Array(0);
  private report: TwoTowerReport | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('two-tower', TWO_TOWER_PARAMS, params);
  }

  /** Per-epoch loss and validation figures of the last fit (undefined after `load`). */
  get trainingReport(): TwoTowerReport | undefined {
    return this.report;
  }

  /** The kind of top-n search in use: `exact` (every item scored) or `hnsw`. */
  get searchKind(): 'exact' | 'hnsw' {
    return this.index?.kind === 'hnsw' ? 'hnsw' : 'exact';
  }

  /** Trains both towers on the users' items and the catalog rows; progress ticks once per epoch with the loss and validation nDCG@10. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const seed = options.seed ?? 0;
    const p = this.current;
    const items = data.matrix.cols;
    const set = buildTrainingSet(data, p.maxLength, p.validationUsers, seed);
    const vocabulary = buildVocabulary(data.catalog, this.featureOptions());
    const table = featureTable(items, (i) => data.catalog.get(i), vocabulary, this.featureOptions());
    const network = new TwoTowerNetwork({ items, features: vocabulary.terms.length, width: p.width }, new Dropout(p.dropout, seed + DROPOUT_SEED_OFFSET));
    const trained = await trainTwoTower(network, set, table, { params: p, seed, label: this.name, ...(options.progress ? { progress: options.progress } : {}) });
    this.userCount = data.matrix.rows;
    this.install(trained.weights, vocabulary, table, items, set.tails, set.known);
    this.report = trained.report;
  }

  /** u · v + b for every servable item; -Infinity for the rest. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    dotScores(this.queryVector(query), this.vectors, this.current.width, this.servable, out, this.prior);
  }

  /**
   * Top-n items, best first. With an HNSW index the candidates come from the index and are
   * rescored exactly; when exclusions or filters leave it short, every item is scored instead.
   */
  override recommend(query: UserQuery, options: RecommendOptions): ScoredItem[] {
    const index = this.index;
    const n = options.n;
    // Small catalogues, and bad n (which the base rejects), take the exact path.
    if (index === undefined || !Number.isInteger(n) || n <= 0) return super.recommend(query, options);
    const d = this.current.width;
    const u = this.queryVector(query);
    this.query.set(u);
    const { exclude, filter } = options;
    const accept =
      exclude === undefined && filter === undefined
        ? undefined
        : (item: number): boolean => !(typeof exclude === 'function' ? exclude(item) : (exclude?.has(item) ?? false)) && (filter === undefined || filter(item));
    const hits = index.search(this.query, n, accept);
    if (hits.length < Math.min(n, index.size)) return super.recommend(query, options);
    const scored = hits.map(({ label }) => {
      let s = this.prior[label]!;
      for (let f = 0; f < d; f++) s += u[f]! * this.vectors[label * d + f]!;
      return { item: label, score: Math.fround(s) };
    });
    return scored.sort((a, b) => b.score - a.score || a.item - b.item).slice(0, n);
  }

  /** Items whose vectors point most nearly the same way (cosine), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const d = this.current.width;
    if (this.itemNorms === undefined) {
      this.itemNorms = new Float32Array(this.itemCount);
      factorNorms(this.vectors, d, this.itemNorms);
    }
    return cosineSimilarItems(this.vectors, this.itemNorms, d, this.servable, item, Math.max(0, options.n));
  }

  /**
   * Item vectors of catalog rows from their fields alone — title and description words,
   * categories, brand, price — as for a product added after training. Words the training
   * catalogue never used (or used once) are not known and count for nothing.
   *
   * @example
   * const { vectors, prior } = model.embedItems([{ title: 'Red enamel mug', description: null, categories: ['Kitchen'], brand: null, price: 6 }]);
   */
  embedItems(rows: readonly ItemRow[]): ItemEmbeddings {
    this.requireFitted();
    const d = this.current.width;
    const table = this.rowTable(rows);
    const x = new Float32Array(rows.length * d);
    itemInputs(this.weights, d, table, rows.length, () => false, x);
    const vectors = new Float32Array(rows.length * d);
    const prior = new Float32Array(rows.length);
    itemTower(this.weights, d, x, rows.length, vectors, prior);
    return { vectors, prior };
  }

  /**
   * Adds products that were not in the training data; returns their item indices (after every
   * existing one), which `recommend`, `scoreItems` (with a buffer of the new item count),
   * `similarItems` and `save` then include. A row none of whose fields the model knows cannot
   * be placed and is rejected with MagpieError('invalid_input').
   *
   * @example
   * const [index] = model.addItems([{ title: 'Vintage red mug', description: null, categories: ['Kitchen'], brand: 'Acme', price: 8 }]);
   * model.recommend({ user: 3 }, { n: 10 }); // may now include `index`
   */
  addItems(rows: readonly ItemRow[]): number[] {
    this.requireFitted();
    const more = this.rowTable(rows);
    const empty = rows.flatMap((_, r) => (more.weights.subarray(r * more.slots, (r + 1) * more.slots).some((w) => w > 0) ? [] : [r]));
    if (empty.length > 0) {
      throw new MagpieError('invalid_input', `item row${empty.length > 1 ? 's' : ''} ${empty.join(', ')} of ${rows.length} share no word, category, brand or price with the training catalogue`, {
        location: { field: 'items' },
        hint: 'give a title or description with known words, a known category or brand, or a price',
      });
    }
    const first = this.itemCount;
    this.extend(appendFeatures(this.table, more));
    return Array.from({ length: rows.length }, (_, r) => first + r);
  }

  /** The query's user vector (into a reused buffer, or the user's cached one). */
  private queryVector(query: UserQuery): Float32Array {
    const { maxLength, width } = this.current;
    let tail: number[] = [];
    if (query.user !== undefined) {
      this.checkUser(query.user);
      const u = query.user;
      tail = [...this.tails.subarray(u * maxLength, (u + 1) * maxLength)].filter((i) => i !== PAD);
      if (query.history === undefined || query.history.length === 0) {
        const cached = this.userVectors.subarray(u * width, (u + 1) * width);
        if (this.userReady[u] !== 1) {
          userVector(this.weights, width, this.inputs, distinctRecent(tail, this.itemCount, maxLength), this.scratch1, this.pooled, cached);
          this.userReady[u] = 1;
        }
        return cached;
      }
    }
    const items = distinctRecent([...tail, ...(query.history ?? [])], this.itemCount, maxLength).filter((i) => this.servable[i] === 1);
    userVector(this.weights, width, this.inputs, items, this.scratch1, this.pooled, this.vector);
    return this.vector;
  }

  private rowTable(rows: readonly ItemRow[]): FeatureTable {
    if (!Array.isArray(rows)) throw new MagpieError('invalid_input', 'items must be an array of catalog rows', { location: { field: 'items' } });
    return featureTable(rows.length, (r) => rows[r], this.vocabulary, this.featureOptions(), this.table.slots);
  }

  private featureOptions(): FeatureOptions {
    const { vocabulary, minCount, maxWords, priceBuckets } = this.current;
    return { vocabulary, minCount, maxWords, priceBuckets };
  }

  /** Derives everything served from the weights and the feature table. */
  private install(weights: Weights, vocabulary: FeatureVocabulary, table: FeatureTable, trainedItems: number, tails: Int32Array, known: Uint8Array): void {
    const d = this.current.width;
    this.weights = weights;
    this.vocabulary = vocabulary;
    this.trainedItems = trainedItems;
    this.tails = tails;
    this.known = known;
    this.itemCount = 0;
    this.servable = new Uint8Array(0);
    this.inputs = new Float32Array(0);
    this.vectors = new Float32Array(0);
    this.prior = new Float32Array(0);
    this.index = undefined;
    this.userVectors = new Float32Array(this.userCount * d);
    this.userReady = new Uint8Array(this.userCount);
    this.scratch1 = new TowerScratch(1, d);
    this.pooled = new Float32Array(d);
    this.vector = new Float32Array(d);
    this.query = new Float32Array(d + 1);
    this.query[d] = 1;
    this.extend(table);
  }

  /**
   * Takes `table` (the current items' rows followed by new ones) and embeds the new items:
   * input vectors, item vectors, priors, and their place in the index. Cached user vectors stay
   * valid: they read only trained items.
   */
  private extend(table: FeatureTable): void {
    const d = this.current.width;
    const first = this.itemCount;
    const count = table.ids.length / table.slots;
    const grow = <T extends Float32Array | Uint8Array>(old: T, make: (length: number) => T, stride: number): T => {
      const out = make(count * stride);
      out.set(old);
      return out;
    };
    this.table = table;
    this.servable = grow(this.servable, (n) => new Uint8Array(n), 1);
    this.inputs = grow(this.inputs, (n) => new Float32Array(n), d);
    this.vectors = grow(this.vectors, (n) => new Float32Array(n), d);
    this.prior = grow(this.prior, (n) => new Float32Array(n), 1);
    const idKnown = (i: number): boolean => i < this.trainedItems && this.known[i] === 1;
    for (let i = first; i < count; i++) this.servable[i] = idKnown(i) || table.weights.subarray(i * table.slots, (i + 1) * table.slots).some((w) => w > 0) ? 1 : 0;
    const added = count - first;
    itemInputs(this.weights, d, table, added, idKnown, this.inputs.subarray(first * d), first);
    itemTower(this.weights, d, this.inputs.subarray(first * d), added, this.vectors.subarray(first * d), this.prior.subarray(first));
    this.itemCount = count;
    this.itemNorms = undefined;
    this.index = this.indexItems(first);
  }

  /**
   * The search index after items `first …` arrived: those added to the HNSW index in use, or a
   * new index over every servable item once the catalogue calls for one; none (every item scored
   * exactly) for small catalogues.
   */
  private indexItems(first: number): VectorIndex | undefined {
    const d = this.current.width;
    let index = this.index;
    if (index === undefined) {
      let servable = 0;
      for (const s of this.servable) servable += s;
      index = createVectorIndex({ dimensions: d + 1, capacity: servable, kind: this.current.ann, m: this.current.annM, ef: this.current.annEf, seed: 1 });
      if (index.kind === 'exact') return undefined;
      first = 0;
    }
    const labels: number[] = [];
    for (let i = first; i < this.itemCount; i++) if (this.servable[i] === 1) labels.push(i);
    const rows = new Float32Array(labels.length * (d + 1));
    labels.forEach((item, r) => {
      rows.set(this.vectors.subarray(item * d, (item + 1) * d), r * (d + 1));
      rows[r * (d + 1) + d] = this.prior[item]!;
    });
    index.add(rows, labels);
    return index;
  }

  protected exportState(): ModelState {
    const arrays: Record<string, StoredArray> = {
      vocabulary: new TextEncoder().encode(this.vocabulary.terms.join('\n')),
      priceEdges: this.vocabulary.priceEdges,
      featureIds: this.table.ids,
      featureWeights: this.table.weights,
      tails: this.tails,
      known: this.known,
    };
    for (const [name, values] of this.weights) arrays[`w_${name}`] = values;
    const report = this.report;
    return {
      arrays,
      meta: {
        trainedItems: this.trainedItems,
        slots: this.table.slots,
        ...(report === undefined ? {} : { bestEpoch: report.bestEpoch, epochsRun: report.epochs.length, validation: report.best ?? null }),
      },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const { maxLength, width } = this.current;
    const count = this.itemCount;
    const trainedItems = requireCount(dir, artifact, 'trainedItems');
    const slots = requireCount(dir, artifact, 'slots');
    if (trainedItems > count || slots < 1) throw corruptModelError(dir, 'its item counts do not fit together');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(requireArray(dir, artifact, 'vocabulary', Uint8Array));
    } catch (error) {
      if (error instanceof MagpieError) throw error;
      throw corruptModelError(dir, 'the vocabulary is not valid UTF-8');
    }
    const terms = text === '' ? [] : text.split('\n');
    const ids = requireArray(dir, artifact, 'featureIds', Int32Array, count * slots);
    const weights = requireArray(dir, artifact, 'featureWeights', Float32Array, count * slots);
    for (const t of ids) if (t < 0 || t > terms.length) throw corruptModelError(dir, 'item features name unknown terms');
    const network: Weights = new Map();
    for (const spec of twoTowerSpecs({ items: trainedItems, features: terms.length, width })) {
      network.set(spec.name, requireArray(dir, artifact, `w_${spec.name}`, Float32Array, sizeOf(spec.shape)));
    }
    const tails = requireArray(dir, artifact, 'tails', Int32Array, this.userCount * maxLength);
    for (const i of tails) if (i !== PAD && (i < 0 || i >= trainedItems)) throw corruptModelError(dir, 'user histories name unknown items');
    const known = requireArray(dir, artifact, 'known', Uint8Array, trainedItems);
    const vocabulary = { terms, index: new Map(terms.map((term, t) => [term, t])), priceEdges: requireArray(dir, artifact, 'priceEdges', Float64Array) };
    this.install(network, vocabulary, { slots, ids, weights }, trainedItems, tails, known);
    this.report = undefined;
  }
}
