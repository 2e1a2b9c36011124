/**
 * `bpr`: Bayesian Personalised Ranking over matrix factorisation (Rendle et al., UAI 2009) —
 * learns from (user, seen item, unseen item) triples that the seen one should rank higher.
 * Trained by SGD with uniform negative sampling, Hogwild-parallel on worker threads.
 */
import { availableParallelism } from 'node:os';
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import type { ModelState } from '../base.js';
import { FactorModel } from '../factor-model.js';
import { FACTOR_PARAMS, knownItems } from '../factors.js';
import type { FitOptions } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { trainBpr } from './train.js';

/** The params of `bpr`. */
export const BPR_PARAMS = {
  ...FACTOR_PARAMS,
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
 * lives where trained ones do. Scoring and similar items come from {@link FactorModel}.
 *
 * @example
 * const model = new Bpr({ factors: 64, epochs: 30, threads: 1 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ user: 0 }, { n: 10 });
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) }); // folded in
 */
export class Bpr extends FactorModel<typeof BPR_PARAMS> {
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
    this.installVectors(result.userFactors, result.itemFactors, knownItems(data.matrix), result.itemBias);
    this.fitStats = { updatesPerSecond: result.updatesPerSecond, threads: result.threads };
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /**
   * A user vector for a history (distinct items, order ignored) by BPR SGD with the item factors
   * frozen, from zero, on a fixed random stream. Items outside the model are skipped.
   */
  foldIn(history: readonly number[]): Float32Array {
    this.requireFitted();
    const { factors: k, learningRate: lr, regularization: reg, foldInEpochs } = this.current;
    const x = this.queryVector.fill(0);
    const bias = this.itemBias!;
    const positives = [...new Set(history.filter((i) => Number.isInteger(i) && i >= 0 && i < this.itemCount && this.itemKnown[i] === 1))].sort(
      (a, b) => a - b,
    );
    if (positives.length === 0 || positives.length >= this.itemCount) return x;
    const isPositive = new Set(positives);
    const rng = new Random(FOLD_IN_SEED);
    const items = this.itemVectors;
    const steps = foldInEpochs * positives.length;
    for (let step = 0; step < steps; step++) {
      const i = positives[rng.nextInt(positives.length)]!;
      let j = rng.nextInt(this.itemCount);
      while (isPositive.has(j)) j = rng.nextInt(this.itemCount);
      let d = bias[i]! - bias[j]!;
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
    return { users: this.userVectors, items: this.itemVectors, itemBias: this.itemBias!, k: this.current.factors };
  }

  protected exportState(): ModelState {
    return { arrays: { userFactors: this.userVectors, itemFactors: this.itemVectors, itemBias: this.itemBias!, itemKnown: this.itemKnown } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const k = this.current.factors;
    const users = requireArray(dir, artifact, 'userFactors', Float32Array, this.userCount * k);
    const items = requireArray(dir, artifact, 'itemFactors', Float32Array, this.itemCount * k);
    const bias = requireArray(dir, artifact, 'itemBias', Float32Array, this.itemCount);
    const known = requireArray(dir, artifact, 'itemKnown', Uint8Array, this.itemCount);
    for (const value of items) if (!Number.isFinite(value)) throw corruptModelError(dir, 'item factors hold non-finite values');
    this.installVectors(users, items, known, bias);
    this.fitStats = undefined;
  }
}
