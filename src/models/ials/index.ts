/**
 * `ials`: implicit-feedback matrix factorisation by alternating least squares (Hu, Koren &
 * Volinsky, ICDM 2008) with conjugate-gradient row solves (Takács, Pilászy & Tikk, RecSys 2011).
 * Scores are dot products of user and item factors; a history-only query is folded in by solving
 * its user vector against the fixed item factors, so new sessions need no refit.
 */
import { availableParallelism } from 'node:os';
import type { Dataset } from '../../dataset/types.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { cosineSimilarItems, dotScores, FACTOR_PARAMS, factorNorms, knownItems } from '../factors.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { exactRowSolve, exactScratchLength, gramWithRidge } from './kernels.js';
import { confidenceExtra, trainAls } from './train.js';

/** The params of `ials`. */
export const IALS_PARAMS = {
  ...FACTOR_PARAMS,
  regularization: { type: 'number', default: 0.1, min: 1e-6, doc: 'L2 penalty λ on both factor matrices (> 0 keeps every solve positive definite)' },
  alpha: { type: 'number', default: 2, min: 0, doc: 'confidence slope: c = 1 + alpha·w (or 1 + alpha·log(1 + w/epsilon))' },
  scaling: { type: 'choice', default: 'linear', choices: ['linear', 'log'], doc: 'how an interaction weight becomes confidence' },
  epsilon: { type: 'number', default: 1, min: 1e-9, doc: 'weight scale inside the log of log scaling' },
  binary: { type: 'boolean', default: false, doc: 'treat every interaction as weight 1 (history queries always are)' },
  iterations: { type: 'number', default: 15, min: 1, integer: true, doc: 'alternating passes (items, then users)' },
  solver: { type: 'choice', default: 'cg', choices: ['cg', 'cholesky'], doc: 'row solves: warm-started conjugate gradient (fast) or exact Cholesky' },
  cgSteps: { type: 'number', default: 3, min: 1, integer: true, doc: 'conjugate-gradient steps per row and half-iteration' },
  initScale: { type: 'number', default: 0.01, min: 0, doc: 'initial factors are uniform in [0, initScale)' },
  computeLoss: { type: 'boolean', default: true, doc: 'report the training loss per iteration (costs about one CG step)' },
} as const;

/**
 * Implicit ALS. Known users score by x_u · y_j; a query with `history` scores by the fold-in
 * vector, the exact least-squares solution for those items with the item factors fixed.
 *
 * @example
 * const model = new Ials({ factors: 64, iterations: 15 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ user: 0 }, { n: 10 });
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) });
 */
export class Ials extends BaseRecommender<typeof IALS_PARAMS> {
  /** Reads the query's history at request time (fold-in). */
  readonly historyAware = true;
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);
  /** 1 where the item had training interactions; the others score -Infinity. */
  private itemKnown: Uint8Array = new Uint8Array(0);
  private itemNorms: Float32Array = new Float32Array(0);
  /** YᵀY + λI of the item factors, shared by every fold-in. */
  private itemGram: Float64Array = new Float64Array(0);
  private foldScratch: Float64Array = new Float64Array(0);
  private queryVector: Float32Array = new Float32Array(0);
  private fitStats: { losses: readonly number[]; threads: number } | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('ials', IALS_PARAMS, params);
  }

  /** Alternates item and user solves for `iterations` passes; progress ticks once per pass with the loss. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const p = this.current;
    const result = trainAls(data.matrix, {
      factors: p.factors,
      regularization: p.regularization,
      alpha: p.alpha,
      scaling: p.scaling,
      epsilon: p.epsilon,
      binary: p.binary,
      iterations: p.iterations,
      solver: p.solver,
      cgSteps: p.cgSteps,
      initScale: p.initScale,
      computeLoss: p.computeLoss,
      seed: options.seed ?? 0,
      threads: options.threads ?? availableParallelism(),
      progress: options.progress ?? silentProgress,
    });
    this.install(result.userFactors, result.itemFactors, knownItems(data.matrix), result.itemGram);
    this.fitStats = { losses: result.losses, threads: result.threads };
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /** x · y_j for every item, x the user's factors or the history's fold-in; -Infinity for untrained items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const k = this.current.factors;
    let vector: Float32Array;
    if (query.history !== undefined) {
      vector = this.foldIn(query.history);
    } else if (query.user !== undefined) {
      this.checkUser(query.user);
      vector = this.userFactors.subarray(query.user * k, query.user * k + k);
    } else {
      vector = this.queryVector.fill(0);
    }
    dotScores(vector, this.itemFactors, k, this.itemKnown, out);
  }

  /** Items whose factors point the same way as `item`'s (cosine), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    return cosineSimilarItems(this.itemFactors, this.itemNorms, this.current.factors, this.itemKnown, item, options.n);
  }

  /**
   * The user vector for a history (weight 1 per distinct item, order ignored): the exact
   * solution of the user half-step with the item factors fixed. Items outside the model are
   * skipped — they are newer than it.
   */
  foldIn(history: readonly number[]): Float32Array {
    this.requireFitted();
    const k = this.current.factors;
    const picked = [...new Set(history.filter((i) => Number.isInteger(i) && i >= 0 && i < this.itemCount))].sort((a, b) => a - b);
    const cols = Int32Array.from(picked);
    const extra = new Float32Array(cols.length).fill(confidenceExtra(1, { ...this.current, binary: true }));
    const solve = exactScratchLength(k);
    const x = this.foldScratch.subarray(solve, solve + k);
    exactRowSolve(cols, extra, 0, cols.length, this.itemFactors, this.itemGram, k, this.foldScratch.subarray(0, solve), x);
    // Rounded to float32 like stored user factors, so a known user's row folds in to that user exactly.
    for (let f = 0; f < k; f++) this.queryVector[f] = x[f]!;
    return this.queryVector;
  }

  /** The training loss per iteration of the last `fit` and the threads it ran on (undefined after `load`). */
  trainingStats(): { losses: readonly number[]; threads: number } | undefined {
    return this.fitStats;
  }

  /** The fitted factors (row-major float32, `k` per row); for vector indexes and inspection. */
  factors(): { users: Float32Array; items: Float32Array; k: number } {
    this.requireFitted();
    return { users: this.userFactors, items: this.itemFactors, k: this.current.factors };
  }

  protected exportState(): ModelState {
    return { arrays: { userFactors: this.userFactors, itemFactors: this.itemFactors, itemKnown: this.itemKnown } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const k = this.current.factors;
    const users = requireArray(dir, artifact, 'userFactors', Float32Array, this.userCount * k);
    const items = requireArray(dir, artifact, 'itemFactors', Float32Array, this.itemCount * k);
    const known = requireArray(dir, artifact, 'itemKnown', Uint8Array, this.itemCount);
    for (const value of items) if (!Number.isFinite(value)) throw corruptModelError(dir, 'item factors hold non-finite values');
    const gram = new Float64Array(k * k);
    gramWithRidge(items, this.itemCount, k, this.current.regularization, gram);
    this.install(users, items, known, gram);
    this.fitStats = undefined;
  }

  private install(users: Float32Array, items: Float32Array, known: Uint8Array, gram: Float64Array): void {
    const k = this.current.factors;
    const norms = new Float32Array(known.length);
    factorNorms(items, k, norms);
    this.userFactors = users;
    this.itemFactors = items;
    this.itemKnown = known;
    this.itemNorms = norms;
    this.itemGram = gram;
    this.foldScratch = new Float64Array(exactScratchLength(k) + k);
    this.queryVector = new Float32Array(k);
  }
}
