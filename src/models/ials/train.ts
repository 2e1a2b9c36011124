/**
 * The alternating loop of implicit ALS: confidences from the interaction matrix, seeded
 * initialisation, half-iterations over items then users (optionally on helper threads), and the
 * training loss per iteration.
 */
import { transpose } from '../../dataset/csr.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import type { Progress } from '../recommender.js';
import { ALS_KERNEL, alsWork, gramWithRidge, symmetricTimes } from './kernels.js';
import { allocateBuffer, ThreadGang, toBuffer, type KernelBuffers } from '../../math/thread-gang.js';

/** Below this many entry × factor products a half-iteration is too short to repay starting threads. */
const PARALLEL_MIN_WORK = 2_000_000;
/** Rows claimed per grab from the shared cursor: small enough to balance, large enough to amortise the atomic. */
const CHUNK = 32;

/** What {@link trainAls} needs besides the matrix. */
export interface AlsConfig {
  factors: number;
  regularization: number;
  alpha: number;
  scaling: 'linear' | 'log';
  epsilon: number;
  binary: boolean;
  iterations: number;
  solver: 'cg' | 'cholesky';
  cgSteps: number;
  initScale: number;
  computeLoss: boolean;
  seed: number;
  threads: number;
  progress: Progress;
}

/** The fitted factors (row-major, float32) and YᵀY + λI of the final item factors. */
export interface AlsFactors {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemGram: Float64Array;
  /** Training loss after each iteration (empty when not computed). */
  losses: number[];
  /** Threads that actually ran (1 when the data was too small or helpers failed to start). */
  threads: number;
}

/** c − 1 for one stored weight: α·w, or α·log(1 + w/ε) with log scaling. */
export function confidenceExtra(weight: number, config: Pick<AlsConfig, 'alpha' | 'scaling' | 'epsilon' | 'binary'>): number {
  const w = config.binary ? 1 : weight;
  return config.scaling === 'log' ? config.alpha * Math.log1p(w / config.epsilon) : config.alpha * w;
}

function extras(matrix: CsrMatrix, config: AlsConfig): Float32Array {
  const out = new Float32Array(matrix.data.length);
  for (let p = 0; p < out.length; p++) out[p] = confidenceExtra(matrix.data[p]!, config);
  return out;
}

function initFactors(count: number, k: number, scale: number, rng: Random, buffer: ArrayBufferLike): Float32Array {
  const out = new Float32Array(buffer);
  // Small positive values, as in implicit: a zero start would leave CG with a zero search direction
  // on the first half-iteration's right-hand side only, and wide starts slow early convergence.
  for (let t = 0; t < count * k; t++) out[t] = rng.nextFloat() * scale;
  return out;
}

/**
 * Fits user and item factors by alternating least squares on confidence-weighted implicit
 * feedback. Each iteration solves items given users, then users given items, so the stored user
 * vectors always fit the final item factors; the last user half-step is an exact solve, making a
 * known user's vector exactly what fold-in computes from the same row.
 */
export function trainAls(matrix: CsrMatrix, config: AlsConfig): AlsFactors {
  const k = config.factors;
  const users = matrix.rows;
  const items = matrix.cols;
  const byItem = transpose(matrix);
  const nnz = matrix.indices.length;
  const wantThreads = Math.max(1, Math.floor(config.threads));
  const shared = wantThreads > 1 && nnz * k >= PARALLEL_MIN_WORK;
  const rng = new Random(config.seed);
  const buffers: Record<string, ArrayBufferLike> = {
    userIndptr: toBuffer(matrix.indptr, shared),
    userCols: toBuffer(matrix.indices, shared),
    userExtra: toBuffer(extras(matrix, config), shared),
    itemIndptr: toBuffer(byItem.indptr, shared),
    itemCols: toBuffer(byItem.indices, shared),
    itemExtra: toBuffer(extras(byItem, config), shared),
    userFactors: allocateBuffer(users * k * 4, shared),
    itemFactors: allocateBuffer(items * k * 4, shared),
    gram: allocateBuffer(k * k * 8, shared),
    cursor: allocateBuffer(4, shared),
  };
  const userFactors = initFactors(users, k, config.initScale, rng, buffers['userFactors']!);
  const itemFactors = initFactors(items, k, config.initScale, rng, buffers['itemFactors']!);
  const gram = new Float64Array(buffers['gram']!);
  const cursor = new Int32Array(buffers['cursor']!);
  const gang = shared ? ThreadGang.start(ALS_KERNEL, wantThreads - 1, buffers as Record<string, SharedArrayBuffer>) : undefined;
  const args = gang?.args ?? new Float64Array(8);
  const halfStep = (side: 0 | 1, exact: boolean): void => {
    const from = side === 0 ? itemFactors : userFactors;
    gramWithRidge(from, side === 0 ? items : users, k, config.regularization, gram);
    cursor[0] = 0;
    args[0] = side;
    args[1] = k;
    args[2] = exact ? 1 : 0;
    args[3] = config.cgSteps;
    args[4] = side === 0 ? users : items;
    args[5] = CHUNK;
    const own = (): void => alsWork(buffers as KernelBuffers, args, 0);
    if (gang === undefined) own();
    else gang.run(own);
  };
  const losses: number[] = [];
  config.progress.start('ials iterations', config.iterations);
  try {
    for (let iteration = 0; iteration < config.iterations; iteration++) {
      const last = iteration === config.iterations - 1;
      halfStep(1, config.solver === 'cholesky');
      halfStep(0, config.solver === 'cholesky' || last);
      if (config.computeLoss) {
        const loss = alsLoss(matrix, new Float32Array(buffers['userExtra']!), userFactors, itemFactors, gram, k, config.regularization);
        losses.push(loss);
        config.progress.tick(1, { loss: Number(loss.toPrecision(6)) });
      } else {
        config.progress.tick(1);
      }
    }
  } finally {
    gang?.close();
    config.progress.stop();
  }
  // Copy out of shared memory: the fitted model should not pin buffers the threads knew.
  const itemsOut = itemFactors.slice();
  const itemGram = new Float64Array(k * k);
  gramWithRidge(itemsOut, items, k, config.regularization, itemGram);
  return { userFactors: userFactors.slice(), itemFactors: itemsOut, itemGram, losses, threads: gang?.size ?? 1 };
}

/**
 * The training objective per cell, Σ_u Σ_i c_ui (p_ui − x_u·y_i)² + λ(‖X‖² + ‖Y‖²) divided by
 * users × items, computed in O(users·k² + nnz·k) from `gram` = YᵀY + λI: the unobserved cells'
 * part of the sum is xᵀYᵀYx minus the observed cells' d².
 */
export function alsLoss(
  matrix: CsrMatrix,
  extra: Float32Array,
  userFactors: Float32Array,
  itemFactors: Float32Array,
  gram: Float64Array,
  k: number,
  regularization: number,
): number {
  let total = 0;
  const x = new Float64Array(k);
  const gx = new Float64Array(k);
  for (let u = 0; u < matrix.rows; u++) {
    const xb = u * k;
    for (let f = 0; f < k; f++) x[f] = userFactors[xb + f]!;
    // xᵀ(YᵀY + λI)x covers every cell as if unobserved, plus λ‖x‖².
    symmetricTimes(gram, k, x, gx);
    for (let a = 0; a < k; a++) total += x[a]! * gx[a]!;
    for (let p = matrix.indptr[u]!; p < matrix.indptr[u + 1]!; p++) {
      const yb = matrix.indices[p]! * k;
      let d0 = 0;
      let d1 = 0;
      let f = 0;
      for (; f + 1 < k; f += 2) {
        d0 += x[f]! * itemFactors[yb + f]!;
        d1 += x[f + 1]! * itemFactors[yb + f + 1]!;
      }
      if (f < k) d0 += x[f]! * itemFactors[yb + f]!;
      const d = d0 + d1;
      total += (extra[p]! + 1) * (1 - d) * (1 - d) - d * d;
    }
  }
  let itemNorm = 0;
  for (let t = 0; t < itemFactors.length; t++) itemNorm += itemFactors[t]! * itemFactors[t]!;
  total += regularization * itemNorm;
  return total / Math.max(1, matrix.rows * matrix.cols);
}
