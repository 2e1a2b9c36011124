/**
 * `ranker`: a two-stage recommender. Retrievers (any registry models; EASE, item-kNN and
 * popularity by default) each propose their best unseen items; a learned network scores the union
 * from features of the user, the item, the context and the retrievers' scores, and orders it.
 */
import { isMagpieError, MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { getEngine, startedEngine } from '../../math/engine.js';
import { corruptModelError, loadArtifact, loadChildModels, requireArray, requireCount, saveWithChildModels, type ModelArtifact, type StoredArray } from '../artifacts.js';
import { BaseRecommender, resolveParams, type ModelState, type ResolvedParams } from '../base.js';
import type { FitOptions, Recommender, ScoredItem, UserQuery } from '../recommender.js';
import { sizeOf, type Weights } from '../sequence/weights.js';
import { UserHistory } from '../user-history.js';
import { buildExamples } from './examples.js';
import { featureNames, FeatureBuilder } from './features.js';
import { Standardizer } from './standardizer.js';
import { ensembleLogits, MlpScratch, mlpSpecs, type MlpShape } from './network.js';
import { buildProfiles, profileArrays, profilesFromArtifact, type Profiles } from './profile.js';
import { formatRetrievers, resolveRetrievers, type RetrieverSpec } from './retrievers.js';
import { trainEnsemble, type RankerTrainingReport } from './train.js';

/** Fewer candidate rows than this are scored in TypeScript: the engine's per-call overhead would not pay off. */
const ENGINE_MIN_ROWS = 32;

export { parseRetrievers, formatRetrievers, type RetrieverSpec } from './retrievers.js';
export type { RankerTrainingReport } from './train.js';

/** The params of `ranker` besides `retrievers` (which the spec table cannot express). */
export const RANKER_PARAMS = {
  candidates: { type: 'number', default: 150, min: 1, max: 5000, integer: true, doc: "each retriever's best unseen items that become candidates" },
  labelDays: {
    type: 'number',
    default: 30,
    min: 1,
    doc: 'the last days of the training data whose purchases label the candidates; the retrievers that make training candidates see only the data before them',
  },
  recentItems: {
    type: 'number',
    default: 0,
    min: 0,
    max: 1000,
    integer: true,
    doc: "each user's latest distinct items, which history-aware retrievers also score alone as a short-term signal (0 = off)",
  },
  labelWindows: {
    type: 'number',
    default: 3,
    min: 1,
    max: 100,
    integer: true,
    doc: 'consecutive label windows of labelDays, going back from the end of the data, each adding training rows (and one more fit of the retrievers)',
  },
  networks: {
    type: 'number',
    default: 3,
    min: 1,
    max: 16,
    integer: true,
    doc: 'networks trained from different seeds on the same rows, whose logits are averaged (an ensemble: steadier and usually a better AUC, at that many times the network cost)',
  },
  hidden1: { type: 'number', default: 128, min: 1, max: 4096, integer: true, doc: 'units of the first hidden layer' },
  hidden2: { type: 'number', default: 64, min: 0, max: 4096, integer: true, doc: 'units of the second hidden layer (0 = one hidden layer)' },
  dropout: { type: 'number', default: 0.2, min: 0, max: 0.9, doc: 'dropout rate after each hidden layer while training' },
  learningRate: { type: 'number', default: 0.001, min: 1e-6, max: 1, doc: 'Adam step size' },
  l2: { type: 'number', default: 1e-5, min: 0, doc: 'L2 penalty on the weight matrices' },
  batchSize: { type: 'number', default: 512, min: 1, max: 65536, integer: true, doc: 'candidate rows per step' },
  epochs: { type: 'number', default: 30, min: 1, max: 10000, integer: true, doc: 'most passes over the rows (early stopping usually ends sooner)' },
  patience: { type: 'number', default: 3, min: 0, integer: true, doc: 'stop after this many epochs without a better validation AUC, keeping the best weights (0 = train all epochs)' },
  validationShare: { type: 'number', default: 0.2, min: 0, max: 0.9, doc: "share of the label window's users held out for early stopping (0 = none)" },
} as const;

/** Name of a network's weight array in the artifact (the first network keeps the single-network name). */
function weightArrayName(network: number, name: string): string {
  return network === 0 ? `w_${name}` : `w${network}_${name}`;
}

/** The retrievers used when `retrievers` is not given. */
export const DEFAULT_RETRIEVERS = 'ease+item-knn+popularity';

/** Builds a retriever by registry name (the registry's `createModel`, or a stand-in in tests). */
export type RetrieverFactory = (name: string, params: Readonly<Record<string, unknown>>) => Recommender;

/** The params as reported by `params`: the spec-table ones plus the retriever list. */
export type RankerParams = ResolvedParams<typeof RANKER_PARAMS> & { retrievers: RetrieverSpec[] };

/** Training figures of a fit (undefined after `load`). */
export interface RankerFitReport extends RankerTrainingReport {
  /** Users with a purchase in the label window, and how many of them were held out to validate. */
  users: number;
  validationUsers: number;
  /** Share of the label window's purchases that the candidates contained. */
  candidateRecall: number;
  features: string[];
}

/**
 * The learned ranker.
 *
 * Fitting, without looking past the data given: the last `labelDays` days are held back, the
 * retrievers are fitted on the rest, and every user active in those days gets candidates (the
 * union of each retriever's top `candidates` unseen items) labelled by what they bought or carted
 * then (see examples.ts). With `labelWindows` > 1 the same is repeated for the windows before,
 * each with retrievers fitted on the data before it, for more rows. A multilayer perceptron (`hidden1` → `hidden2` → 1, ReLU, dropout) learns
 * them with cross-entropy, Adam and an L2 penalty, stopping early on the AUC of held-out users.
 * The retrievers are then refitted on all the data, and features are computed at serve time the
 * way they were for training, from profiles of that data (standardised with the training rows'
 * statistics, saved with the model).
 *
 * Scoring: candidates get the network's logit; every other item gets a score below all of them in
 * the first retriever's order. The query's own items (its history, or the user's training items)
 * are never candidates. User features (activity, recency, time of day of the latest event) come
 * from the training data, so they change only on refit; that is why the ranker does not call
 * itself `historyAware`, though a `history` is passed on to the retrievers and counts as the
 * user's newest items. The device of a request is not among the features: the dataset carries no
 * event context.
 *
 * @example
 * const ranker = new Ranker({ retrievers: 'ease+item-knn+popularity', candidates: 150 });
 * await ranker.fit(dataset, { seed: 1 });
 * ranker.recommend({ user: 3 }, { n: 10 });
 */
export class Ranker extends BaseRecommender<typeof RANKER_PARAMS> {
  /** User features are fixed at fit time (see the class comment). */
  readonly historyAware = false;
  private retrieverSpecs: RetrieverSpec[];
  private readonly factory: RetrieverFactory | undefined;
  private models: Recommender[] = [];
  private builder: FeatureBuilder | undefined;
  private profiles: Profiles | undefined;
  private userRows: UserHistory | undefined;
  private standardizer: Standardizer | undefined;
  /** One set of weights per network of the ensemble. */
  private networks: Weights[] = [];
  private mlpScratch: MlpScratch | undefined;
  private logits: Float32Array = new Float32Array(0);
  /** One network's logits, summed into `logits`. */
  private partial: Float32Array = new Float32Array(0);
  private report: RankerFitReport | undefined;

  /** Checks the params (retriever names and params are checked when the retrievers are built). */
  constructor(params: Readonly<Record<string, unknown>> = {}, factory?: RetrieverFactory) {
    const { retrievers, ...rest } = params;
    super('ranker', RANKER_PARAMS, rest);
    this.retrieverSpecs = resolveRetrievers(retrievers ?? DEFAULT_RETRIEVERS);
    this.factory = factory;
  }

  /** The params in force, `retrievers` included. */
  override get params(): Readonly<RankerParams> {
    return { ...this.current, retrievers: this.retrieverSpecs.map((r) => ({ name: r.name, params: { ...r.params } })) };
  }

  /** The retrievers as a compact string (`ease+item-knn+popularity`), e.g. for reports. */
  describe(): string {
    return formatRetrievers(this.retrieverSpecs);
  }

  /** Per-epoch loss and validation AUC of the last fit, with the data it learnt from (undefined after `load`). */
  get trainingReport(): RankerFitReport | undefined {
    return this.report;
  }

  /** Learns the ranker (see the class comment); progress shows the retrievers, the candidates and each epoch's loss and AUC. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const seed = options.seed ?? 0;
    const p = this.current;
    const examples = await buildExamples(data, {
      createRetrievers: () => this.buildModels(),
      perRetriever: p.candidates,
      recentItems: p.recentItems,
      labelDays: p.labelDays,
      windows: p.labelWindows,
      validationShare: p.validationShare,
      seed,
      fit: options,
      label: this.name,
      ...(options.progress ? { progress: options.progress } : {}),
    });
    const shape = this.shape(examples.width);
    const trained = await trainEnsemble(shape, examples.train, examples.validation, p, p.networks, { seed, label: this.name, ...(options.progress ? { progress: options.progress } : {}) });
    const models = await this.buildModels();
    for (const model of models) await model.fit(data, options);
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
    this.install(models, buildProfiles(data, p.recentItems), new UserHistory(data.matrix), examples.standardizer, trained.networks);
    this.report = {
      ...trained.report,
      users: examples.users,
      validationUsers: examples.validationUsers,
      candidateRecall: examples.candidateRecall,
      features: [...examples.names],
    };
  }

  /** Candidates get the network's logit; other items rank below them (see the class comment). */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const { count, items } = this.rankCandidates(query);
    let floor = Infinity;
    for (let c = 0; c < count; c++) floor = Math.min(floor, this.logits[c]!);
    this.builder!.fillOthers(out, count > 0 ? floor : 0);
    for (let c = 0; c < count; c++) out[items[c]!] = this.logits[c]!;
  }

  /**
   * The query's candidates with the ranker's probability that the user takes each, and each
   * retriever's raw score for it (fresh arrays, in candidate order: retriever order, then rank).
   *
   * @example
   * const { items, probabilities } = ranker.scoreCandidates({ user: 3 });
   */
  scoreCandidates(query: UserQuery): { items: Int32Array; probabilities: Float32Array; retrieverScores: Float32Array[] } {
    this.requireFitted();
    const { count, items } = this.rankCandidates(query);
    const probabilities = Float32Array.from(this.logits.subarray(0, count), (z) => 1 / (1 + Math.exp(-z)));
    const picked = items.slice(0, count);
    return { items: picked, probabilities, retrieverScores: this.builder!.retrieverScores(picked) };
  }

  /** Builds the query's candidates and leaves their logits in `this.logits`. */
  private rankCandidates(query: UserQuery): { count: number; items: Int32Array } {
    if (query.user !== undefined) this.checkUser(query.user);
    const builder = this.builder!;
    const { count, items, rows } = builder.build(query);
    this.standardizer!.apply(rows, count);
    const engine = count >= ENGINE_MIN_ROWS ? startedEngine() : undefined;
    ensembleLogits(this.shape(builder.width), this.networks, rows, count, { scratch: this.mlpScratch!, partial: this.partial }, this.logits, engine?.tf);
    return { count, items };
  }

  /** Similar items from the first retriever that has them. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    for (const model of this.models) {
      try {
        return model.similarItems(item, options);
      } catch (error) {
        if (!isMagpieError(error, 'unsupported')) throw error;
      }
    }
    return super.similarItems(item, options);
  }

  /**
   * Writes the ranker's own arrays with each retriever in a `retriever-<k>` subfolder, staged beside
   * `dir` and swapped in at the end, so a failed save leaves the previous model whole.
   */
  override async save(dir: string): Promise<void> {
    this.requireFitted();
    const state = this.exportState();
    const artifact = { model: this.name, params: { ...this.params }, arrays: state.arrays, meta: { ...state.meta, items: this.itemCount, users: this.userCount } };
    await saveWithChildModels(dir, artifact, this.models, 'retriever');
  }

  /** Reads a ranker written by `save`, retrievers included; MagpieError('corrupt') when damaged. */
  override async load(dir: string): Promise<void> {
    const artifact = await loadArtifact(dir, this.name);
    let params: ResolvedParams<typeof RANKER_PARAMS>;
    let specs: RetrieverSpec[];
    try {
      const { retrievers, ...rest } = artifact.params;
      // Rankers saved before ensembles existed hold one network.
      params = resolveParams(this.name, RANKER_PARAMS, { networks: 1, ...rest });
      specs = resolveRetrievers(retrievers);
    } catch (error) {
      throw corruptModelError(dir, `its params do not fit model ranker: ${(error as Error).message}`);
    }
    const items = requireCount(dir, artifact, 'items');
    const users = requireCount(dir, artifact, 'users');
    const models = await loadChildModels(dir, { specs, prefix: 'retriever', noun: 'retriever', build: (s) => this.buildModels(s) });
    // Serving scores candidates on the engine when it runs here; without it, in TypeScript.
    await getEngine().catch(() => undefined);
    const width = featureNames(models, params.recentItems > 0).length;
    const shape: MlpShape = { inputs: width, hidden: [params.hidden1, ...(params.hidden2 > 0 ? [params.hidden2] : [])] };
    const networks: Weights[] = [];
    for (let k = 0; k < params.networks; k++) {
      const weights: Weights = new Map();
      for (const spec of mlpSpecs(shape)) weights.set(spec.name, requireArray(dir, artifact, weightArrayName(k, spec.name), Float32Array, sizeOf(spec.shape)));
      networks.push(weights);
    }
    const standardizer = new Standardizer(requireArray(dir, artifact, 'featureMean', Float32Array, width), requireArray(dir, artifact, 'featureScale', Float32Array, width));
    const profiles = profilesFromArtifact(dir, artifact, items, users, params.recentItems);
    const userRows = UserHistory.fromArtifact(dir, artifact, users, items);
    this.current = params;
    this.retrieverSpecs = specs;
    this.itemCount = items;
    this.userCount = users;
    this.install(models, profiles, userRows, standardizer, networks);
    this.report = undefined;
  }

  protected exportState(): ModelState {
    const arrays: Record<string, StoredArray> = {
      ...profileArrays(this.profiles!),
      ...this.userRows!.toArrays(),
      featureMean: this.standardizer!.mean,
      featureScale: this.standardizer!.scale,
    };
    this.networks.forEach((weights, k) => {
      for (const [name, values] of weights) arrays[weightArrayName(k, name)] = values;
    });
    const report = this.report;
    const meta: Record<string, unknown> = { features: this.builder!.names };
    if (report !== undefined) {
      Object.assign(meta, { bestEpoch: report.bestEpoch, epochsRun: report.epochs.length, validationAuc: report.validationAuc ?? null, validationLogLoss: report.validationLogLoss ?? null });
    }
    return { arrays, meta };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    void artifact;
    // Never reached: `load` is overridden, since the retrievers load asynchronously.
    throw new MagpieError('internal', `ranker at ${dir} must be read through load()`);
  }

  private shape(width: number): MlpShape {
    const { hidden1, hidden2 } = this.current;
    return { inputs: width, hidden: [hidden1, ...(hidden2 > 0 ? [hidden2] : [])] };
  }

  private async buildModels(specs: readonly RetrieverSpec[] = this.retrieverSpecs): Promise<Recommender[]> {
    const create = this.factory ?? (await import('../registry.js')).createModel;
    return specs.map((r) => create(r.name, r.params));
  }

  private install(models: Recommender[], profiles: Profiles, userRows: UserHistory, standardizer: Standardizer, networks: Weights[]): void {
    this.models = models;
    this.profiles = profiles;
    this.userRows = userRows;
    this.standardizer = standardizer;
    this.networks = networks;
    this.builder = new FeatureBuilder(models, profiles, userRows.matrix, this.current.candidates);
    this.mlpScratch = new MlpScratch(this.shape(this.builder.width), this.builder.capacity);
    this.logits = new Float32Array(this.builder.capacity);
    this.partial = new Float32Array(this.builder.capacity);
  }
}
