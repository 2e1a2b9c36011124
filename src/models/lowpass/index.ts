/**
 * `lowpass`: the ideal low-pass graph filter of GF-CF (Shen et al., CIKM 2021). With the
 * degree-normalised interaction matrix R̃ = D_u^-1/2 · X · D_i^-1/2 and V its top-k right
 * singular vectors (the top-k eigenvectors of the item Gram R̃ᵀR̃), a user's scores are
 * x_u · D_i^-1/2 · V · Vᵀ · D_i^1/2: the history projected onto the smoothest k "item signals".
 * Alone it is a little weaker than EASE, but its errors differ, so it blends well with EASE and iALS.
 */
import { MagpieError } from '../../core/errors.js';
import type { CsrMatrix, Dataset } from '../../dataset/types.js';
import { gramFromCsr } from '../../math/dense.js';
import { topK } from '../../math/topk.js';
import { requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { UserHistory } from '../user-history.js';
import { topEigenvectors } from './eigen.js';

/** The params of `lowpass`. */
export const LOWPASS_PARAMS = {
  factors: { type: 'number', default: 48, min: 1, integer: true, doc: 'eigenvectors kept (the filter cut-off)' },
  iterations: { type: 'number', default: 12, min: 1, integer: true, doc: 'subspace iterations of the eigensolver' },
  binary: { type: 'boolean', default: true, doc: 'fit on 0/1 interactions instead of weights' },
  maxItems: { type: 'number', default: 20_000, min: 1, integer: true, doc: 'refuse larger catalogues (the item Gram is dense: items² floats)' },
} as const;

/**
 * Ideal low-pass filter over the normalised item–item graph.
 *
 * @example
 * const model = new Lowpass({ factors: 48 });
 * await model.fit(dataset);
 * model.recommend({ user: 0 }, { n: 10 });
 */
export class Lowpass extends BaseRecommender<typeof LOWPASS_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  /** items × k, row-major: V scaled by D_i^-1/2 (what a history item contributes). */
  private inWeights = new Float32Array(0);
  /** items × k, row-major: V scaled by D_i^1/2 (how a latent signal maps back to an item). */
  private outWeights = new Float32Array(0);
  private rank = 0;
  private history: UserHistory | undefined;
  private latent = new Float64Array(0);

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('lowpass', LOWPASS_PARAMS, params);
  }

  /** Builds the normalised item Gram and takes its top eigenvectors. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const { factors, iterations, binary, maxItems } = this.current;
    const n = data.matrix.cols;
    if (n > maxItems) {
      throw new MagpieError('too_large', `lowpass needs a dense ${n}×${n} item Gram (maxItems is ${maxItems})`, {
        hint: 'use ials for large catalogues, or raise maxItems if the memory is there',
      });
    }
    const progress = options.progress ?? silentProgress;
    progress.start('lowpass eigenvectors', 1);
    const k = Math.min(factors, n);
    const itemDegree = new Float64Array(n);
    const gram = normalizedGram(data.matrix, binary, itemDegree);
    const { vectors } = await topEigenvectors(gram, n, k, { iterations, seed: options.seed ?? 1, threads: options.threads });
    progress.tick(1);
    progress.stop();
    const inWeights = new Float32Array(n * k);
    const outWeights = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const d = itemDegree[i]!;
      // Items nobody touched have a zero row in R̃: they neither vote nor get a score.
      const inScale = d > 0 ? 1 / Math.sqrt(d) : 0;
      const outScale = Math.sqrt(d);
      for (let c = 0; c < k; c++) {
        inWeights[i * k + c] = vectors[i * k + c]! * inScale;
        outWeights[i * k + c] = vectors[i * k + c]! * outScale;
      }
    }
    this.inWeights = inWeights;
    this.outWeights = outWeights;
    this.rank = k;
    this.latent = new Float64Array(k);
    this.history = new UserHistory(data.matrix);
    this.itemCount = n;
    this.userCount = data.matrix.rows;
  }

  /** x_u · D^-1/2 V Vᵀ D^1/2 over the query's items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    if (query.history === undefined && query.user !== undefined) this.checkUser(query.user);
    const { rank: k, inWeights, outWeights, latent } = this;
    latent.fill(0);
    this.history!.forEach(query, this.current.binary, (h, weight) => {
      for (let c = 0; c < k; c++) latent[c]! += weight * inWeights[h * k + c]!;
    });
    projectBack(latent, outWeights, k, out);
  }

  /** The items whose filtered signal a one-item history lights up most. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const scores = new Float32Array(this.itemCount);
    this.scoreItems({ history: [item] }, scores);
    return topK(scores, options.n, { exclude: (j) => j === item });
  }

  protected exportState(): ModelState {
    return { arrays: { inWeights: this.inWeights, outWeights: this.outWeights, ...this.history!.toArrays() }, meta: { rank: this.rank } };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const rank = Math.min(this.current.factors, n);
    const inWeights = requireArray(dir, artifact, 'inWeights', Float32Array, n * rank);
    const outWeights = requireArray(dir, artifact, 'outWeights', Float32Array, n * rank);
    this.history = UserHistory.fromArtifact(dir, artifact, this.userCount, n);
    this.inWeights = inWeights;
    this.outWeights = outWeights;
    this.rank = rank;
    this.latent = new Float64Array(rank);
  }
}

/** out[j] = Σ_c latent[c] · outWeights[j, c]. */
function projectBack(latent: Float64Array, outWeights: Float32Array, k: number, out: Float32Array): void {
  const n = out.length;
  for (let j = 0; j < n; j++) {
    let sum = 0;
    const row = j * k;
    for (let c = 0; c < k; c++) sum += latent[c]! * outWeights[row + c]!;
    out[j] = sum;
  }
}

/**
 * R̃ᵀR̃ as float32 (n×n row-major) with R̃ = D_u^-1/2 X D_i^-1/2, where degrees are row and column
 * sums of X (of ones when `binary`). Fills `itemDegree` with the column sums.
 *
 * @example
 * const degrees = new Float64Array(2);
 * normalizedGram(matrix, true, degrees);
 */
export function normalizedGram(m: CsrMatrix, binary: boolean, itemDegree: Float64Array): Float32Array {
  const n = m.cols;
  const data = new Float32Array(m.data.length);
  for (let u = 0; u < m.rows; u++) {
    let degree = 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) degree += binary ? 1 : m.data[p]!;
    // Each row is scaled by d_u^-1/2 so that the Gram sums x_ui·x_uj / d_u.
    const scale = degree > 0 ? 1 / Math.sqrt(degree) : 0;
    for (let p = m.indptr[u]!; p < m.indptr[u + 1]!; p++) {
      const value = binary ? 1 : m.data[p]!;
      data[p] = value * scale;
      itemDegree[m.indices[p]!]! += value;
    }
  }
  const gram = gramFromCsr({ ...m, data }, false);
  const inv = new Float64Array(n);
  for (let i = 0; i < n; i++) inv[i] = itemDegree[i]! > 0 ? 1 / Math.sqrt(itemDegree[i]!) : 0;
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = gram[i * n + j]! * inv[i]! * inv[j]!;
  return out;
}
