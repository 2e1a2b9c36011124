/**
 * What `sasrec` and `gru4rec` share as Recommenders: fitting through the shared training loop,
 * scoring a query's recent items by one forward pass against the cached item table, similar
 * items by embedding cosine, and saving every weight as a named array.
 */
import { MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { corruptModelError, requireArray, type ModelArtifact, type StoredArray } from '../artifacts.js';
import { BaseRecommender, type ModelState, type ParamSpecs } from '../base.js';
import { cosineSimilarItems, dotScores, factorNorms } from '../factors.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { buildTrainingSet, PAD, recentItems } from './examples.js';
import type { SequenceNetwork } from './network.js';
import type { SequenceTrainingParams } from './params.js';
import { trainSequenceNetwork, type TrainingReport } from './trainer.js';
import { sizeOf, type Weights } from './weights.js';

/** Seed offset of the dropout stream, apart from the trainer's streams (seed … seed + 2). */
const DROPOUT_SEED_OFFSET = 3;

/**
 * Base of the sequence models. A query's state is its recent items: the user's training
 * sequence, followed by `history` when given (events newer than the model), or `history` alone
 * for an anonymous session; the last `maxLength` known items are read, repeats in a row
 * collapsed as in training. With no known item the query gets the items' popularity.
 */
export abstract class SequenceRecommender<S extends ParamSpecs> extends BaseRecommender<S> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  /** The network's parameters, by name. */
  protected weights: Weights = new Map();
  private tails: Int32Array = new Int32Array(0);
  private known: Uint8Array = new Uint8Array(0);
  private popularity: Float32Array = new Float32Array(0);
  /** The item embeddings scored against: the network's table without its padding row. */
  private table: Float32Array = new Float32Array(0);
  private bias: Float32Array = new Float32Array(0);
  private itemNorms: Float32Array | undefined;
  private userVectors: Float32Array = new Float32Array(0);
  private userReady: Uint8Array = new Uint8Array(0);
  private vector: Float32Array = new Float32Array(0);
  private report: TrainingReport | undefined;

  /** The training loop's params (the shared ones, resolved). */
  protected abstract trainingParams(): SequenceTrainingParams;
  /** The network to train over `items` items, its dropout drawn from `dropoutSeed`. */
  protected abstract makeNetwork(items: number, dropoutSeed: number): SequenceNetwork;
  /** Writes the output vector after `path` (1..maxLength known items, oldest first) into `out`. */
  protected abstract encode(path: readonly number[], out: Float32Array): void;

  /** Per-epoch loss and validation figures of the last fit (undefined after `load`). */
  get trainingReport(): TrainingReport | undefined {
    return this.report;
  }

  /** Trains on `data.sequences`; progress ticks once per epoch with the loss and validation nDCG@10. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const seed = options.seed ?? 0;
    const params = this.trainingParams();
    const items = data.matrix.cols;
    const set = buildTrainingSet(data, params.maxLength, params.validationUsers, seed);
    const network = this.makeNetwork(items, seed + DROPOUT_SEED_OFFSET);
    const trained = await trainSequenceNetwork(network, set, { params, items, seed, label: this.name, ...(options.progress ? { progress: options.progress } : {}) });
    this.itemCount = items;
    this.userCount = data.matrix.rows;
    this.install(trained.weights, set.tails, set.known, set.popularity);
    this.report = trained.report;
  }

  /** Dot products of the query's output vector with every known item's embedding, plus the item's bias. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const vector = this.queryVector(query);
    if (vector === undefined) {
      for (let j = 0; j < out.length; j++) out[j] = this.known[j] === 1 ? this.popularity[j]! : -Infinity;
      return;
    }
    dotScores(vector, this.table, this.trainingParams().width, this.known, out, this.bias);
  }

  /** Items whose embeddings point most nearly the same way (cosine), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const width = this.trainingParams().width;
    const table = this.table;
    if (this.itemNorms === undefined) {
      this.itemNorms = new Float32Array(this.itemCount);
      factorNorms(table, width, this.itemNorms);
    }
    return cosineSimilarItems(table, this.itemNorms, width, this.known, item, Math.max(0, options.n));
  }

  /** The query's output vector, or undefined when it holds no known item. */
  private queryVector(query: UserQuery): Float32Array | undefined {
    const { maxLength, width } = this.trainingParams();
    let userTail: number[] = [];
    if (query.user !== undefined) {
      this.checkUser(query.user);
      const u = query.user;
      if (query.history === undefined || query.history.length === 0) {
        const cached = this.userVectors.subarray(u * width, (u + 1) * width);
        if (this.userReady[u] === 1) return cached;
        const path = [...this.tails.subarray(u * maxLength, (u + 1) * maxLength)].filter((i) => i !== PAD);
        if (path.length === 0) return undefined;
        this.encode(path, cached);
        this.userReady[u] = 1;
        return cached;
      }
      userTail = [...this.tails.subarray(u * maxLength, (u + 1) * maxLength)].filter((i) => i !== PAD);
    }
    const path = recentItems([...userTail, ...(query.history ?? [])], this.itemCount, maxLength);
    if (path.length === 0) return undefined;
    if (this.vector.length !== width) this.vector = new Float32Array(width);
    this.encode(path, this.vector);
    return this.vector;
  }

  private install(weights: Weights, tails: Int32Array, known: Uint8Array, popularity: Float32Array): void {
    const width = this.trainingParams().width;
    this.weights = weights;
    const network = this.makeNetwork(this.itemCount, 0);
    this.table = weights.get(network.table)!.subarray(0, this.itemCount * width);
    this.bias = weights.get(network.bias)!.subarray(0, this.itemCount);
    this.tails = tails;
    this.known = known;
    this.popularity = popularity;
    this.itemNorms = undefined;
    this.userVectors = new Float32Array(this.userCount * width);
    this.userReady = new Uint8Array(this.userCount);
  }

  protected exportState(): ModelState {
    const arrays: Record<string, StoredArray> = { tails: this.tails, known: this.known, popularity: this.popularity };
    for (const [name, values] of this.weights) arrays[`w_${name}`] = values;
    const report = this.report;
    return {
      arrays,
      meta: report === undefined ? {} : { bestEpoch: report.bestEpoch, epochsRun: report.epochs.length, validation: report.best ?? null },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const items = this.itemCount;
    const { maxLength } = this.trainingParams();
    const weights: Weights = new Map();
    for (const spec of this.makeNetwork(items, 0).specs) {
      weights.set(spec.name, requireArray(dir, artifact, `w_${spec.name}`, Float32Array, sizeOf(spec.shape)));
    }
    const tails = requireArray(dir, artifact, 'tails', Int32Array, this.userCount * maxLength);
    for (const i of tails) if (i !== PAD && (i < 0 || i >= items)) throw corruptModelError(dir, 'user histories name unknown items');
    const known = requireArray(dir, artifact, 'known', Uint8Array, items);
    const popularity = requireArray(dir, artifact, 'popularity', Float32Array, items);
    this.install(weights, tails, known, popularity);
    this.report = undefined;
  }

  /** Rejects params that do not fit together (called by subclasses' constructors). */
  protected static requireDivisible(model: string, width: number, parts: number, field: string): void {
    if (width % parts !== 0) {
      throw new MagpieError('invalid_input', `param width of model ${model} (${width}) must be a multiple of ${field} (${parts})`, {
        location: { field },
        hint: `choose ${field} dividing width, e.g. width=64 with ${field}=1, 2 or 4`,
      });
    }
  }
}
