/**
 * `bpr`: Bayesian Personalised Ranking over matrix factorisation (Rendle et al., UAI 2009) —
 * learns from (user, seen item, unseen item) triples that the seen one should rank higher.
 * Trained by SGD with uniform negative sampling, Hogwild-parallel on worker threads.
 */
import { availableParallelism } from 'node:os';
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { cosineSimilarItems, dotScores, factorNorms, knownItems } from '../factors.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { trainBpr } from './train.js';

/** The params of `bpr`. */
export const BPR_PARAMS = {
  factors: { type: 'number', default: 64, min: 1, max: 1024, integer: true, doc: 'latent dimensions' },
  learningRate: { type: 'number', default: 0.05, min: 0, doc: 'SGD step size' },
  regularization: { type: 'number', default: 0.01, min: 0, doc: 'L2 penalty on the factors and biases touched by a step' },
  epochs: { type: 'number', default: 30, min: 1, integer: true, doc: 'passes; one pass is as many updates as training interactions' },
  threads: {
    type: 'number',
    default: 0,
    min: 0,
    integer: true,
    doc: 'Hogwild threads (0 = the fit option, else available cores); only threads = 1 is bit-reproducible',
  },
  foldInEpochs: { type: 'number', default: 30, min: 0, integer: true, doc: 'SGD passes over a history when folding in a new user' },
} as const;

/** Fold-in draws from a fixed stream, so the same history always gets the same vector. */
const FOLD_IN_SEED = 0x2b7e1516;

/**
 * BPR-MF with item biases. A known user scores by b_j + p_u·q_j. A history-only query is folded
 * in by BPR SGD steps on a fresh user vector with the item factors frozen (`foldInEpochs` × the
 * history's length updates, fixed seed): the same objective training optimised, so the vector
 * lives where trained ones do. `historyAware` is false because a known user's stored vector,
 * trained jointly with the items, is better than re-deriving one, and fold-in is approximate.
 *
 * @example
 * const model = new Bpr({ factors: 64, epochs: 30, threads: 1 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ user: 0 }, { n: 10 });
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) }); // folded in
 */
export class Bpr extends BaseRecommender<typeof BPR_PARAMS> {
  /** Known users are scored from their trained vectors (history-only queries are folded in). */
  readonly historyAware = false;
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);
  private itemBias: Float32Array = new Float32Array(0);
  /** 1 where the item had training interactions; the others score -Infinity. */
  private itemKnown: Uint8Array = new Uint8Array(0);
  private itemNorms: Float64Array = new Float64Array(0);
  private queryVector: Float32Array = new Float32Array(0);
  private fitStats: { updatesPerSecond: number; threads: number } | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('bpr', BPR_PARAMS, params);
  }

  /** Runs `epochs` passes of SGD; progress ticks per epoch with updates/s and training accuracy. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const p = this.current;
    const result = trainBpr(data.matrix, {
      factors: p.factors,
      learningRate: p.learningRate,
      regularization: p.regularization,
      epochs: p.epochs,
      seed: options.seed ?? 0,
      threads: p.threads > 0 ? p.threads : (options.threads ?? availableParallelism()),
      progress: options.progress ?? silentProgress,
    });
    this.install(result.userFactors, result.itemFactors, result.itemBias, knownItems(data.matrix));
    this.fitStats = { updatesPerSecond: result.updatesPerSecond, threads: result.threads };
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /** b_j + x·q_j, x the user's vector (or the history's fold-in); -Infinity for untrained items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const k = this.current.factors;
    let vector: Float32Array;
    if (query.user !== undefined) {
      this.checkUser(query.user);
      vector = this.userFactors.subarray(query.user * k, query.user * k + k);
    } else {
      vector = this.foldIn(query.history ?? []);
    }
    dotScores(vector, this.itemFactors, k, this.itemKnown, out, this.itemBias);
  }

  /** Items whose factors point the same way as `item`'s (cosine; biases left out), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    return cosineSimilarItems(this.itemFactors, this.itemNorms, this.current.factors, this.itemKnown, item, options.n);
  }

  /**
   * A user vector for a history (distinct items, order ignored) by BPR SGD with the item factors
   * frozen, from zero, on a fixed random stream. Items outside the model are skipped.
   */
  foldIn(history: readonly number[]): Float32Array {
    this.requireFitted();
    const { factors: k, learningRate: lr, regularization: reg, foldInEpochs } = this.current;
    const x = this.queryVector.fill(0);
    const positives = [...new Set(history.filter((i) => Number.isInteger(i) && i >= 0 && i < this.itemCount && this.itemKnown[i] === 1))].sort(
      (a, b) => a - b,
    );
    if (positives.length === 0 || positives.length >= this.itemCount) return x;
    const isPositive = new Set(positives);
    const rng = new Random(FOLD_IN_SEED);
    const items = this.itemFactors;
    const steps = foldInEpochs * positives.length;
    for (let step = 0; step < steps; step++) {
      const i = positives[rng.nextInt(positives.length)]!;
      let j = rng.nextInt(this.itemCount);
      while (isPositive.has(j)) j = rng.nextInt(this.itemCount);
      let d = this.itemBias[i]! - this.itemBias[j]!;
      for (let f = 0; f < k; f++) d += x[f]! * (items[i * k + f]! - items[j * k + f]!);
      const z = 1 / (1 + Math.exp(d));
      for (let f = 0; f < k; f++) x[f] = x[f]! + lr * (z * (items[i * k + f]! - items[j * k + f]!) - reg * x[f]!);
    }
    return x;
  }

  /** Throughput of the last `fit` (SGD updates per second) and the threads it ran on. */
  trainingStats(): { updatesPerSecond: number; threads: number } | undefined {
    return this.fitStats;
  }

  /** The fitted factors (row-major float32, `k` per row) and item biases. */
  factors(): { users: Float32Array; items: Float32Array; itemBias: Float32Array; k: number } {
    this.requireFitted();
    return { users: this.userFactors, items: this.itemFactors, itemBias: this.itemBias, k: this.current.factors };
  }

  protected exportState(): ModelState {
    return { arrays: { userFactors: this.userFactors, itemFactors: this.itemFactors, itemBias: this.itemBias, itemKnown: this.itemKnown } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const k = this.current.factors;
    const users = requireArray(dir, artifact, 'userFactors', Float32Array, this.userCount * k);
    const items = requireArray(dir, artifact, 'itemFactors', Float32Array, this.itemCount * k);
    const bias = requireArray(dir, artifact, 'itemBias', Float32Array, this.itemCount);
    const known = requireArray(dir, artifact, 'itemKnown', Uint8Array, this.itemCount);
    for (const value of items) if (!Number.isFinite(value)) throw corruptModelError(dir, 'item factors hold non-finite values');
    this.install(users, items, bias, known);
    this.fitStats = undefined;
  }

  private install(users: Float32Array, items: Float32Array, bias: Float32Array, known: Uint8Array): void {
    this.userFactors = users;
    this.itemFactors = items;
    this.itemBias = bias;
    this.itemKnown = known;
    // Float64 so cosines match the unrounded norms they were computed from before caching.
    this.itemNorms = new Float64Array(known.length);
    factorNorms(items, this.current.factors, this.itemNorms);
    this.queryVector = new Float32Array(this.current.factors);
  }
}
