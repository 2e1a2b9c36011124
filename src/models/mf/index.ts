/**
 * `mf`: biased matrix factorisation for explicit ratings (Funk SVD; Koren, Bell & Volinsky 2009).
 * It predicts ratings — scores are predicted ratings — so it suits stores with star reviews, and
 * it is measured by RMSE/MAE ({@link evaluateRatings}) as well as by ranking metrics.
 */
import { MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { mae, rmse } from '../../eval/metrics.js';
import { Random } from '../../math/random.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { FACTOR_PARAMS } from '../factors.js';
import type { FitOptions, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { trainBiasedMf, type MfParameters, type RatingTriples } from './sgd.js';

/** The params of `mf`. */
export const MF_PARAMS = {
  ...FACTOR_PARAMS,
  epochs: { type: 'number', default: 20, min: 1, integer: true, doc: 'SGD passes over the ratings' },
  learningRate: { type: 'number', default: 0.005, min: 0, doc: 'SGD step size' },
  regularization: { type: 'number', default: 0.02, min: 0, doc: 'L2 penalty on biases and factors' },
  initStd: { type: 'number', default: 0.1, min: 0, doc: 'standard deviation of the initial factors' },
  target: {
    type: 'choice',
    default: 'auto',
    choices: ['auto', 'rating', 'weight'],
    doc: 'what to fit: explicit ratings, interaction weights, or ratings when the data has any (auto)',
  },
} as const;

/**
 * Biased MF. `scoreItems` writes predicted ratings (unclamped, so ties at the top of the scale
 * still rank); without a known user it writes the baseline μ + b_i. History is not read.
 *
 * @example
 * const model = new Mf({ factors: 64, epochs: 20 });
 * await model.fit(train, { seed: 1 });
 * model.predictRating(0, 42); // e.g. 3.87
 * evaluateRatings(model, test); // { rmse: 0.93, mae: 0.73, count: 20000 }
 */
export class Mf extends BaseRecommender<typeof MF_PARAMS> {
  /** Scores come from trained user factors only. */
  readonly historyAware = false;
  private model: MfParameters | undefined;
  /** Range of the training targets; predictions are clamped into it. */
  private range = { min: -Infinity, max: Infinity };

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('mf', MF_PARAMS, params);
  }

  /**
   * Fits to `data.log`: its ratings (entries with NaN are skipped), or with `target: 'weight'`
   * (or `'auto'` on data without any rating) its interaction weights.
   */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const p = this.current;
    const triples = ratingTriples(data, p.target);
    const model = trainBiasedMf(triples, {
      users: data.matrix.rows,
      items: data.matrix.cols,
      factors: p.factors,
      epochs: p.epochs,
      learningRate: p.learningRate,
      regularization: p.regularization,
      initStd: p.initStd,
      rng: new Random(options.seed ?? 0),
      progress: options.progress ?? silentProgress,
    });
    let min = Infinity;
    let max = -Infinity;
    for (const value of triples.value) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.model = model;
    this.range = { min, max };
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /** Predicted ratings of every item for the query's user (baseline μ + b_i without one); -Infinity for unrated items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const m = this.model!;
    const k = this.current.factors;
    const user = query.user;
    if (user !== undefined) this.checkUser(user);
    const base = user === undefined ? m.globalMean : m.globalMean + m.userBias[user]!;
    for (let j = 0; j < this.itemCount; j++) {
      if (m.itemKnown[j] === 0) {
        out[j] = -Infinity;
        continue;
      }
      let s = base + m.itemBias[j]!;
      if (user !== undefined) for (let f = 0; f < k; f++) s += m.userFactors[user * k + f]! * m.itemFactors[j * k + f]!;
      out[j] = s;
    }
  }

  /**
   * The predicted rating of `item` by `user`, clamped to the range of training ratings. Unknown
   * users or items fall back to the baseline terms that are known (at worst the global mean).
   */
  predictRating(user: number, item: number): number {
    this.requireFitted();
    this.checkUser(user);
    this.checkItem(item);
    const m = this.model!;
    const k = this.current.factors;
    let s = m.globalMean + m.userBias[user]! + m.itemBias[item]!;
    for (let f = 0; f < k; f++) s += m.userFactors[user * k + f]! * m.itemFactors[item * k + f]!;
    return Math.min(this.range.max, Math.max(this.range.min, s));
  }

  protected exportState(): ModelState {
    const m = this.model!;
    return {
      arrays: {
        userBias: m.userBias,
        itemBias: m.itemBias,
        userFactors: m.userFactors,
        itemFactors: m.itemFactors,
        userKnown: m.userKnown,
        itemKnown: m.itemKnown,
      },
      meta: { globalMean: m.globalMean, minRating: this.range.min, maxRating: this.range.max },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const k = this.current.factors;
    const users = this.userCount;
    const items = this.itemCount;
    const { globalMean, minRating, maxRating } = artifact.meta;
    if (typeof globalMean !== 'number' || typeof minRating !== 'number' || typeof maxRating !== 'number') {
      throw corruptModelError(dir, 'metadata lacks the global mean or the rating range');
    }
    this.model = {
      globalMean,
      userBias: requireArray(dir, artifact, 'userBias', Float32Array, users),
      itemBias: requireArray(dir, artifact, 'itemBias', Float32Array, items),
      userFactors: requireArray(dir, artifact, 'userFactors', Float32Array, users * k),
      itemFactors: requireArray(dir, artifact, 'itemFactors', Float32Array, items * k),
      userKnown: requireArray(dir, artifact, 'userKnown', Uint8Array, users),
      itemKnown: requireArray(dir, artifact, 'itemKnown', Uint8Array, items),
    };
    this.range = { min: minRating, max: maxRating };
  }
}

/** The training targets of `data` for a `target` param value; MagpieError('invalid_input') when there are none. */
export function ratingTriples(data: Dataset, target: string): RatingTriples {
  const log = data.log;
  let rated = 0;
  for (let t = 0; t < log.length; t++) if (Number.isFinite(log.rating[t])) rated++;
  const useWeights = target === 'weight' || (target === 'auto' && rated === 0);
  if (!useWeights && rated === 0) {
    throw new MagpieError('invalid_input', 'mf with target=rating needs ratings, and this dataset has none', {
      hint: 'import rate events with values, or use target=weight (or ials/bpr for implicit feedback)',
    });
  }
  const count = useWeights ? log.length : rated;
  const out: RatingTriples = { user: new Int32Array(count), item: new Int32Array(count), value: new Float32Array(count) };
  let n = 0;
  for (let t = 0; t < log.length; t++) {
    const value = useWeights ? log.weight[t]! : log.rating[t]!;
    if (!Number.isFinite(value)) continue;
    out.user[n] = log.user[t]!;
    out.item[n] = log.item[t]!;
    out.value[n] = value;
    n++;
  }
  return { user: out.user.subarray(0, n), item: out.item.subarray(0, n), value: out.value.subarray(0, n) };
}

/**
 * RMSE and MAE of `model`'s predicted ratings on every rated entry of `test` (a dataset sharing
 * the training IdMaps, as `splitDataset` makes). Throws MagpieError('invalid_input') when `test`
 * holds no ratings.
 *
 * @example
 * const { train, test } = splitDataset(dataset, 'user-stratified', 42);
 * const model = new Mf();
 * await model.fit(train);
 * evaluateRatings(model, test); // { rmse: 0.91, mae: 0.72, count: 25000 }
 */
export function evaluateRatings(model: Mf, test: Dataset): { rmse: number; mae: number; count: number } {
  const log = test.log;
  const predicted: number[] = [];
  const actual: number[] = [];
  for (let t = 0; t < log.length; t++) {
    const rating = log.rating[t]!;
    if (!Number.isFinite(rating)) continue;
    predicted.push(model.predictRating(log.user[t]!, log.item[t]!));
    actual.push(rating);
  }
  if (actual.length === 0) throw new MagpieError('invalid_input', 'the test set holds no ratings to evaluate', { hint: 'rating metrics need rate events with values' });
  return { rmse: rmse(predicted, actual), mae: mae(predicted, actual), count: actual.length };
}
