/**
 * The small abstract base every model extends: params with defaults, `recommend` on top of
 * `scoreItems` + top-k, and `save`/`load` on top of a model's arrays.
 */
import { MagpieError } from '../core/errors.js';
import type { Dataset } from '../dataset/types.js';
import { topK } from '../math/topk.js';
import { corruptModelError, loadArtifact, requireCount, saveArtifact, type ModelArtifact, type StoredArray } from './artifacts.js';
import { resolveParams, type ParamSpecs, type ResolvedParams } from './params.js';
import type { FitOptions, RecommendOptions, Recommender, ScoredItem, UserQuery } from './recommender.js';

export { resolveParams, type ParamSpec, type ParamSpecs, type ResolvedParams } from './params.js';

/** What a model persists besides its params: named typed arrays and small JSON metadata. */
export interface ModelState {
  arrays: Record<string, StoredArray>;
  meta?: Record<string, unknown>;
}

/**
 * Base class of every model. Subclasses implement `fit`, `scoreItems`, `exportState` and
 * `importState`; `recommend`, `save` and `load` come from here.
 *
 * `recommend` excludes nothing unless asked: callers pass `exclude` (e.g. the items a user has
 * seen), because whether to re-recommend bought items is a shop's decision, not the model's.
 */
export abstract class BaseRecommender<S extends ParamSpecs> implements Recommender {
  /** Model id as on the command line. */
  readonly name: string;
  /** True when the model reads the query's `history` at request time. */
  abstract readonly historyAware: boolean;
  /** Number of items scored, known once fitted or loaded; -1 before. */
  protected itemCount = -1;
  /** Number of training users, known once fitted or loaded; -1 before. */
  protected userCount = -1;
  protected current: ResolvedParams<S>;
  private readonly specs: S;
  private scratch: Float32Array | undefined;

  /** Resolves `params` against the model's spec table (MagpieError('invalid_input') on a bad one). */
  protected constructor(name: string, specs: S, params: Readonly<Record<string, unknown>> = {}) {
    this.name = name;
    this.specs = specs;
    this.current = resolveParams(name, specs, params);
  }

  /** The hyper-parameters in force (after defaults). */
  get params(): Readonly<ResolvedParams<S>> {
    return this.current;
  }

  /** Trains on `data`; the same seed on the same data gives the same model. */
  abstract fit(data: Dataset, options?: FitOptions): Promise<void>;

  /** Writes a score for every item into `out` (length = number of items). */
  abstract scoreItems(query: UserQuery, out: Float32Array): void;

  /** The arrays and metadata that `save` writes. */
  protected abstract exportState(): ModelState;

  /** Restores from a loaded artifact; throw via `corruptModelError` when something does not fit. */
  protected abstract importState(dir: string, artifact: ModelArtifact): void;

  /** Top-n items for the query, best first, honouring `exclude` and `filter`. */
  recommend(query: UserQuery, options: RecommendOptions): ScoredItem[] {
    this.requireFitted();
    const n = options.n;
    if (!Number.isInteger(n) || n < 0) {
      throw new MagpieError('invalid_input', `n must be a whole number ≥ 0, got ${String(n)}`, { location: { field: 'n' } });
    }
    // One buffer per model: scoring is synchronous, so no two calls can share it at once.
    if (this.scratch === undefined || this.scratch.length !== this.itemCount) this.scratch = new Float32Array(this.itemCount);
    this.scoreItems(query, this.scratch);
    return topK(this.scratch, n, { exclude: options.exclude, filter: options.filter });
  }

  /** Items most similar to `item`; models without item–item scores throw MagpieError('unsupported'). */
  similarItems(item: number, options: { n: number }): ScoredItem[] {
    void item;
    void options;
    throw new MagpieError('unsupported', `model ${this.name} has no item–item similarity`, {
      hint: 'use item-knn, ease or another model with similar items',
    });
  }

  /** Writes the fitted model into `dir` atomically. */
  async save(dir: string): Promise<void> {
    this.requireFitted();
    const state = this.exportState();
    await saveArtifact(dir, {
      model: this.name,
      params: { ...this.current },
      arrays: state.arrays,
      meta: { ...state.meta, items: this.itemCount, users: this.userCount },
    });
  }

  /** Reads a model written by `save`; MagpieError('corrupt') on a damaged or foreign file. */
  async load(dir: string): Promise<void> {
    const artifact = await loadArtifact(dir, this.name);
    let params: ResolvedParams<S>;
    try {
      params = resolveParams(this.name, this.specs, artifact.params);
    } catch (error) {
      throw corruptModelError(dir, `its params do not fit model ${this.name}: ${(error as Error).message}`);
    }
    const items = requireCount(dir, artifact, 'items');
    const users = requireCount(dir, artifact, 'users');
    const previous = { params: this.current, items: this.itemCount, users: this.userCount };
    this.current = params;
    this.itemCount = items;
    this.userCount = users;
    try {
      this.importState(dir, artifact);
    } catch (error) {
      this.current = previous.params;
      this.itemCount = previous.items;
      this.userCount = previous.users;
      throw error;
    }
  }

  /** Throws unless `fit` or `load` has run. */
  protected requireFitted(): void {
    if (this.itemCount < 0) {
      throw new MagpieError('invalid_input', `model ${this.name} is not trained yet`, { hint: 'call fit(dataset) or load(dir) first' });
    }
  }

  /** Checks the output buffer of `scoreItems`. */
  protected checkScoreBuffer(out: Float32Array): void {
    this.requireFitted();
    if (out.length !== this.itemCount) {
      throw new MagpieError('invalid_input', `score buffer has ${out.length} slots, model ${this.name} has ${this.itemCount} items`);
    }
  }

  /** Throws MagpieError('not_found') unless `item` indexes one of the model's items. */
  protected checkItem(item: number): void {
    if (!Number.isInteger(item) || item < 0 || item >= this.itemCount) {
      throw new MagpieError('not_found', `item index ${item} is not one of the ${this.itemCount} items of model ${this.name}`);
    }
  }

  /** Checks a query's user index against the training users. */
  protected checkUser(user: number): void {
    if (!Number.isInteger(user) || user < 0 || user >= this.userCount) {
      throw new MagpieError('not_found', `user index ${user} is not one of the ${this.userCount} users model ${this.name} was trained on`, {
        hint: 'pass the recent items as history instead',
      });
    }
  }
}
