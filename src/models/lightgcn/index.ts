/**
 * `lightgcn`: LightGCN (He et al., SIGIR 2020) — user and item embeddings smoothed over the
 * user–item graph by K parameter-free propagation layers (Â = D^−1/2 A D^−1/2), averaged over
 * layers 0 … K, trained with BPR and Adam; the epoch is picked by nDCG@10 on held-out entries.
 */
import type { Dataset } from '../../dataset/types.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import type { ModelState } from '../base.js';
import { FactorModel } from '../factor-model.js';
import { FACTOR_PARAMS, knownItems } from '../factors.js';
import type { FitOptions } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { bipartiteGraph, holdOut } from './graph.js';
import { createPropagator } from './propagate.js';
import { trainLightGcn, type LightGcnReport } from './train.js';

/** The params of `lightgcn`. */
export const LIGHTGCN_PARAMS = {
  factors: { ...FACTOR_PARAMS.factors, doc: 'embedding dimensions' },
  layers: { type: 'number', default: 3, min: 0, max: 8, integer: true, doc: 'propagation layers K (0 is BPR matrix factorisation)' },
  learningRate: { type: 'number', default: 0.005, min: 1e-6, max: 1, doc: 'Adam step size' },
  regularization: { type: 'number', default: 1e-4, min: 0, doc: 'L2 weight on the layer-0 embeddings of each batch (divided by the batch size)' },
  batchSize: { type: 'number', default: 1024, min: 1, max: 1_000_000, integer: true, doc: 'triples per Adam step; an epoch is interactions / batchSize steps' },
  propagateEvery: {
    type: 'number',
    default: 8,
    min: 1,
    integer: true,
    doc: 'batches per forward propagation (1 = exact); in between, only the layer-0 change enters the final embeddings',
  },
  epochs: { type: 'number', default: 50, min: 1, max: 100_000, integer: true, doc: 'most epochs (early stopping usually ends sooner)' },
  patience: {
    type: 'number',
    default: 10,
    min: 0,
    integer: true,
    doc: 'stop after this many epochs without a better validation nDCG@10, keeping the best weights (0 = train all epochs on all data)',
  },
  validationUsers: { type: 'number', default: 1000, min: 0, integer: true, doc: 'users who lend held-out entries to validation (0 = no validation, train all epochs)' },
  validationFraction: { type: 'number', default: 0.1, min: 0.01, max: 0.5, doc: "share of each validation user's entries held out of training" },
} as const;

/** Mixed into the fit seed for the holdout, so it does not reuse the initialisation's stream. */
const HOLDOUT_SEED = 0x1f2e3d4c;

/**
 * LightGCN. A known user scores by e_u · e_j on the final (layer-averaged) embeddings. A history
 * is folded in as a new user node linked to its items: its layers 1 … K are exactly what
 * propagation would give it (from the items' stored layers 0 … K−1), its free layer-0 embedding
 * is taken as zero, so a known user's trained embedding, which carries that layer-0 part too, is
 * better than re-deriving one. Scoring and similar items come from {@link FactorModel}.
 *
 * After training, the final embeddings are propagated over the whole training graph, the
 * entries held out for validation included: propagation has no parameters, and those edges
 * carry real signal.
 *
 * @example
 * const model = new LightGcn({ factors: 64, layers: 3 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ user: 0 }, { n: 10 });
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) }); // folded in
 */
export class LightGcn extends FactorModel<typeof LIGHTGCN_PARAMS> {
  /** Items' propagated embeddings Â^k E⁰ for k = 0 … K−1, one items × factors block per k. */
  private itemLayers: Float32Array = new Float32Array(0);
  /** d^−1/2 of each item in the training graph (0 without edges). */
  private itemScale: Float32Array = new Float32Array(0);
  private report: LightGcnReport | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('lightgcn', LIGHTGCN_PARAMS, params);
  }

  /** Trains with early stopping on a holdout; progress ticks per epoch with the loss and validation nDCG@10. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const p = this.current;
    const { factors: dim, layers } = p;
    const seed = options.seed ?? 0;
    const matrix = data.matrix;
    const holdout = p.validationUsers > 0 && p.patience > 0 ? holdOut(matrix, p.validationUsers, p.validationFraction, seed ^ HOLDOUT_SEED) : undefined;
    const train = holdout?.train ?? matrix;
    const graph = bipartiteGraph(train);
    const propagator = await createPropagator(graph, dim, layers);
    let result: Awaited<ReturnType<typeof trainLightGcn>>;
    try {
      result = await trainLightGcn(train, propagator, holdout, {
        dim,
        learningRate: p.learningRate,
        regularization: p.regularization,
        batchSize: p.batchSize,
        propagateEvery: p.propagateEvery,
        epochs: p.epochs,
        patience: p.patience,
        seed,
        progress: options.progress ?? silentProgress,
      });
    } finally {
      propagator.dispose();
    }
    const full = holdout === undefined ? graph : bipartiteGraph(matrix);
    const fullPropagator = await createPropagator(full, dim, layers);
    let powers: Float32Array[];
    try {
      powers = fullPropagator.powers(result.embeddings);
    } finally {
      fullPropagator.dispose();
    }
    const users = matrix.rows;
    const items = matrix.cols;
    const layer0 = result.embeddings;
    const final = layer0.slice();
    for (const power of powers) for (let t = 0; t < final.length; t++) final[t]! += power[t]!;
    for (let t = 0; t < final.length; t++) final[t]! /= layers + 1;
    // A user without training edges never took a gradient step: its row is noise, score it as empty.
    for (let u = 0; u < users; u++) if (full.scale[u] === 0) final.fill(0, u * dim, (u + 1) * dim);
    const itemLayers = new Float32Array(layers * items * dim);
    [layer0, ...powers].slice(0, layers).forEach((block, k) => itemLayers.set(block.subarray(users * dim), k * items * dim));
    this.itemCount = items;
    this.userCount = users;
    this.install(final.slice(0, users * dim), final.slice(users * dim), itemLayers, full.scale.slice(users), knownItems(matrix));
    this.report = result.report;
  }

  /**
   * The final embedding of a new user node linked to the history's distinct known items:
   * layer k + 1 is Σ_i Â_ui · (Â^k E⁰)_i with Â_ui = 1/√(|history| · d_i), layer 0 is zero, and
   * the layers are averaged as in training. Order and repeats do not matter; unknown items are
   * skipped. Returns a buffer reused by the next call.
   */
  foldIn(history: readonly number[]): Float32Array {
    this.requireFitted();
    const { factors: k, layers } = this.current;
    const x = this.queryVector.fill(0);
    const picked = [...new Set(history.filter((i) => Number.isInteger(i) && i >= 0 && i < this.itemCount && this.itemKnown[i] === 1))].sort((a, b) => a - b);
    if (picked.length === 0) return x;
    const norm = 1 / Math.sqrt(picked.length) / (layers + 1);
    for (let layer = 0; layer < layers; layer++) {
      const base = layer * this.itemCount * k;
      for (const i of picked) {
        const w = norm * this.itemScale[i]!;
        const o = base + i * k;
        for (let f = 0; f < k; f++) x[f]! += w * this.itemLayers[o + f]!;
      }
    }
    return x;
  }

  /** What the last `fit` did (per-epoch loss and validation nDCG@10, the kept epoch, speed); undefined after `load`. */
  trainingReport(): LightGcnReport | undefined {
    return this.report;
  }

  /** The final embeddings (row-major float32, `k` per row). */
  embeddings(): { users: Float32Array; items: Float32Array; k: number } {
    this.requireFitted();
    return { users: this.userVectors, items: this.itemVectors, k: this.current.factors };
  }

  protected exportState(): ModelState {
    return {
      arrays: { userVectors: this.userVectors, itemVectors: this.itemVectors, itemLayers: this.itemLayers, itemScale: this.itemScale, itemKnown: this.itemKnown },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const { factors: k, layers } = this.current;
    const users = requireArray(dir, artifact, 'userVectors', Float32Array, this.userCount * k);
    const items = requireArray(dir, artifact, 'itemVectors', Float32Array, this.itemCount * k);
    const itemLayers = requireArray(dir, artifact, 'itemLayers', Float32Array, layers * this.itemCount * k);
    const scale = requireArray(dir, artifact, 'itemScale', Float32Array, this.itemCount);
    const known = requireArray(dir, artifact, 'itemKnown', Uint8Array, this.itemCount);
    for (const block of [users, items, itemLayers, scale]) {
      for (const value of block) if (!Number.isFinite(value)) throw corruptModelError(dir, 'embeddings hold non-finite values');
    }
    this.install(users, items, itemLayers, scale, known);
    this.report = undefined;
  }

  private install(users: Float32Array, items: Float32Array, itemLayers: Float32Array, scale: Float32Array, known: Uint8Array): void {
    this.installVectors(users, items, known);
    this.itemLayers = itemLayers;
    this.itemScale = scale;
  }
}
