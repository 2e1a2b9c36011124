/**
 * `blend`: a weighted sum of other models' per-query normalised scores — e.g. EASE for accuracy
 * plus popularity for cold users — itself a Recommender, saved with its sub-models beside it.
 */
import { isMagpieError, MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { corruptModelError, loadArtifact, loadChildModels, requireArray, requireCount, saveWithChildModels, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, resolveParams, type ModelState, type ResolvedParams } from '../base.js';
import type { FitOptions, Recommender, UserQuery } from '../recommender.js';
import { normalizeScores, type Normalization } from './normalize.js';
import { formatComponents, resolveComponents, type BlendComponent } from './spec.js';

export { parseComponents, formatComponents, type BlendComponent } from './spec.js';
export { normalizeScores, type Normalization } from './normalize.js';

/** The params of `blend` besides `models` (which the spec table cannot express; see {@link Blend}). */
export const BLEND_PARAMS = {
  normalize: { type: 'choice', default: 'minmax', choices: ['minmax', 'zscore', 'rank'], doc: "how each model's scores are put on one scale per query" },
} as const;

/** The sub-models used when `models` is not given. */
export const DEFAULT_BLEND = 'item-knn*0.8+popularity*0.2';

/** Builds a sub-model by registry name (the registry's `createModel`, or a stand-in in tests). */
export type SubModelFactory = (name: string, params: Readonly<Record<string, unknown>>) => Recommender;

/** The params of a blend as reported by `params`: the spec-table ones plus the sub-model list. */
export type BlendParams = ResolvedParams<typeof BLEND_PARAMS> & { models: BlendComponent[] };

/**
 * A weighted blend: score(j) = Σ_m weight_m · norm_m(score_m(j)), normalised per query. An item one
 * model knows nothing about (-Infinity) takes that model's lowest normalised value, so another
 * model can still recommend it; only items no model knows stay -Infinity.
 *
 * `models` is a list of `{ name, params?, weight? }` or, from the command line, a compact string:
 * `blend:models=ease*0.7+item-knn*0.3,normalize=rank`, where each sub-model may carry its own
 * params in brackets, `ease[lambda=400;binary=false]*0.7`, and omitted params take their defaults.
 *
 * Sub-models are built lazily through the registry (imported inside fit/load, which avoids an
 * import cycle), or through `factory`. A query without a user goes to every sub-model; one that is
 * not history-aware and refuses it (MagpieError) sits that query out.
 *
 * @example
 * const blend = new Blend({ models: [{ name: 'ease', params: { lambda: 400 }, weight: 0.7 }, { name: 'item-knn', weight: 0.3 }] });
 * const same = new Blend({ models: 'ease[lambda=400]*0.7+item-knn*0.3' });
 * await blend.fit(dataset);
 * blend.recommend({ user: 3 }, { n: 10 });
 */
export class Blend extends BaseRecommender<typeof BLEND_PARAMS> {
  private components: BlendComponent[];
  private readonly factory: SubModelFactory | undefined;
  private models: Recommender[] = [];
  private subScores: Float32Array = new Float32Array(0);
  private normalized: Float64Array = new Float64Array(0);
  private sum: Float64Array = new Float64Array(0);
  private known: Uint8Array = new Uint8Array(0);

  /** Checks the params (sub-model names and params are checked when the sub-models are built). */
  constructor(params: Readonly<Record<string, unknown>> = {}, factory?: SubModelFactory) {
    const { models, ...rest } = params;
    super('blend', BLEND_PARAMS, rest);
    this.components = resolveComponents(models ?? DEFAULT_BLEND);
    this.factory = factory;
  }

  /** True when any sub-model reads the query's history (false before fit or load). */
  override get historyAware(): boolean {
    return this.models.some((model) => model.historyAware);
  }

  /** The params in force, `models` included. */
  override get params(): Readonly<BlendParams> {
    return { ...this.current, models: this.components.map((c) => ({ name: c.name, params: { ...c.params }, weight: c.weight })) };
  }

  /** The sub-models as a compact string (`ease*0.7+item-knn*0.3`), e.g. for reports. */
  describe(): string {
    return formatComponents(this.components);
  }

  /** Fits every sub-model on `data`, in order, with the same options. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const models = await this.buildModels(this.components);
    for (const model of models) await model.fit(data, options);
    this.install(models, data.matrix.cols, data.matrix.rows);
  }

  /** Σ weight · normalised sub-model score; -Infinity only for items no sub-model knows. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const { subScores, normalized, sum, known } = this;
    sum.fill(0);
    known.fill(0);
    const how = this.current.normalize as Normalization;
    let refusal: unknown;
    let answered = 0;
    this.models.forEach((model, k) => {
      const weight = this.components[k]!.weight;
      if (weight === 0) return;
      try {
        model.scoreItems(query, subScores);
      } catch (error) {
        // Only a user-only model asked about a history-only query may sit out; anything else is a real error.
        if (query.user !== undefined || model.historyAware || !isMagpieError(error)) throw error;
        refusal ??= error;
        return;
      }
      answered++;
      normalized.set(subScores);
      const floor = normalizeScores(normalized, how);
      for (let j = 0; j < sum.length; j++) {
        const s = normalized[j]!;
        if (s > -Infinity) {
          sum[j] = sum[j]! + weight * s;
          known[j] = 1;
        } else {
          sum[j] = sum[j]! + weight * floor;
        }
      }
    });
    if (answered === 0 && refusal !== undefined) throw refusal;
    for (let j = 0; j < out.length; j++) out[j] = known[j] ? sum[j]! : -Infinity;
  }

  /**
   * Writes the blend's manifest with each sub-model in a `model-<k>` subfolder. Everything is
   * written into a staging folder beside `dir` first and swapped in at the end, so a failed save
   * leaves the previous blend whole.
   */
  override async save(dir: string): Promise<void> {
    this.requireFitted();
    const artifact = { model: this.name, params: { ...this.params }, arrays: this.exportState().arrays, meta: { items: this.itemCount, users: this.userCount } };
    await saveWithChildModels(dir, artifact, this.models, 'model');
  }

  /** Reads a blend written by `save`, sub-models included; MagpieError('corrupt') when damaged. */
  override async load(dir: string): Promise<void> {
    const artifact = await loadArtifact(dir, this.name);
    let params: ResolvedParams<typeof BLEND_PARAMS>;
    let components: BlendComponent[];
    try {
      const { models, ...rest } = artifact.params;
      params = resolveParams(this.name, BLEND_PARAMS, rest);
      components = resolveComponents(models);
    } catch (error) {
      throw corruptModelError(dir, `its params do not fit model blend: ${(error as Error).message}`);
    }
    const items = requireCount(dir, artifact, 'items');
    const users = requireCount(dir, artifact, 'users');
    const weights = requireArray(dir, artifact, 'weights', Float64Array, components.length);
    if (components.some((c, k) => c.weight !== weights[k])) throw corruptModelError(dir, 'its weights disagree with its manifest');
    const models = await loadChildModels(dir, { specs: components, prefix: 'model', noun: 'sub-model', build: (specs) => this.buildModels(specs) });
    this.current = params;
    this.components = components;
    this.install(models, items, users);
  }

  protected exportState(): ModelState {
    // The weights also sit in the manifest; this checksummed copy lets load catch an edited one.
    return { arrays: { weights: Float64Array.from(this.components, (c) => c.weight) } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    void artifact;
    // Never reached: `load` is overridden, since sub-models load asynchronously.
    throw new MagpieError('internal', `blend at ${dir} must be read through load()`);
  }

  private async buildModels(components: readonly BlendComponent[]): Promise<Recommender[]> {
    const create = this.factory ?? (await import('../registry.js')).createModel;
    return components.map((c) => create(c.name, c.params));
  }

  private install(models: Recommender[], items: number, users: number): void {
    this.models = models;
    this.subScores = new Float32Array(items);
    this.normalized = new Float64Array(items);
    this.sum = new Float64Array(items);
    this.known = new Uint8Array(items);
    this.itemCount = items;
    this.userCount = users;
  }
}
