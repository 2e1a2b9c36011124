/**
 * `ease`: Steck's EASE^R (WWW 2019) — a dense item × item linear model with a closed form,
 * B = I − P · diag(1 / diag(P)) with P = (XᵀX + λI)⁻¹ and diag(B) = 0.
 * Strong on MovieLens-style data; its cost is one n × n inverse, so it suits catalogues up to
 * tens of thousands of items.
 */
import { availableParallelism } from 'node:os';
import { MagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { gramFromCsr, invertSpd } from '../../math/dense.js';
import { topK } from '../../math/topk.js';
import { requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { UserHistory } from '../user-history.js';

/** The params of `ease`. */
export const EASE_PARAMS = {
  lambda: { type: 'number', default: 500, min: 0, doc: 'L2 penalty added to the Gram diagonal' },
  binary: { type: 'boolean', default: true, doc: 'fit on 0/1 interactions instead of weights' },
  maxItems: { type: 'number', default: 20_000, min: 1, integer: true, doc: 'refuse larger catalogues (memory grows with items²)' },
} as const;

/**
 * EASE^R. Scores for a user are x_u · B, a sum of rows of B over the history items.
 *
 * @example
 * const model = new Ease({ lambda: 400 });
 * await model.fit(dataset);
 * model.recommend({ user: 0 }, { n: 10 });
 */
export class Ease extends BaseRecommender<typeof EASE_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  /** Row-major items × items weights; row h holds how item h votes for every item. */
  private weights = new Float32Array(0);
  private history: UserHistory | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('ease', EASE_PARAMS, params);
  }

  /** Solves for B in closed form (Gram matrix + one SPD inverse). */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const { lambda, binary, maxItems } = this.current;
    const n = data.matrix.cols;
    if (n > maxItems) {
      throw new MagpieError('too_large', `ease needs ${((n * n * 12) / 2 ** 30).toFixed(1)} GiB for ${n} items (maxItems is ${maxItems})`, {
        hint: 'use item-knn or ials for large catalogues, or raise maxItems if the memory is there',
      });
    }
    const progress = options.progress ?? silentProgress;
    const gram = gramFromCsr(data.matrix, binary);
    // λ > 0 makes XᵀX + λI positive definite; with λ = 0 an item nobody touched would be singular.
    for (let i = 0; i < n; i++) gram[i * n + i]! += lambda;
    progress.start('ease inverse', n);
    let inverse: Float64Array;
    try {
      inverse = invertSpd(gram, n, {
        inPlace: true,
        threads: options.threads ?? availableParallelism(),
        onBlock: (done) => progress.tick(done),
      });
    } finally {
      progress.stop();
    }
    const weights = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) weights[row + j] = i === j ? 0 : -inverse[row + j]! / inverse[j * n + j]!;
    }
    this.weights = weights;
    this.history = new UserHistory(data.matrix);
    this.itemCount = n;
    this.userCount = data.matrix.rows;
  }

  /** x_u · B over the query's items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    if (query.history === undefined && query.user !== undefined) this.checkUser(query.user);
    out.fill(0);
    const n = this.itemCount;
    const weights = this.weights;
    this.history!.forEach(query, this.current.binary, (h, weight) => {
      const row = h * n;
      for (let j = 0; j < n; j++) out[j]! += weight * weights[row + j]!;
    });
  }

  /** The largest entries of row `item` of B: the items `item` most strongly predicts. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    const n = this.itemCount;
    if (!Number.isInteger(item) || item < 0 || item >= n) {
      throw new MagpieError('not_found', `item index ${item} is not one of the ${n} items of model ease`);
    }
    return topK(this.weights.subarray(item * n, item * n + n), options.n, { exclude: (j) => j === item });
  }

  /** The weight matrix B (row-major, items × items); for tests and inspection. */
  weightMatrix(): Float32Array {
    return this.weights;
  }

  protected exportState(): ModelState {
    return { arrays: { weights: this.weights, ...this.history!.toArrays() } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const weights = requireArray(dir, artifact, 'weights', Float32Array, n * n);
    const history = UserHistory.fromArtifact(dir, artifact, this.userCount, n);
    this.weights = weights;
    this.history = history;
  }
}
