/**
 * The epoch loop of BPR-MF: seeded initialisation, then `epochs` × nnz SGD updates spread over
 * Hogwild threads sharing the factors, with throughput and training accuracy reported per epoch.
 */
import type { CsrMatrix } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { allocateBuffer, ThreadGang, toBuffer, type KernelBuffers } from '../../math/thread-gang.js';
import type { Progress } from '../recommender.js';
import { BPR_KERNEL, bprWork } from './kernels.js';

/** Below this many entries an epoch is too short to repay starting threads. */
const PARALLEL_MIN_ENTRIES = 20_000;
/** Negative draws before a sample is skipped (only users holding most of the catalogue get there). */
const NEGATIVE_TRIES = 32;

/** What {@link trainBpr} needs besides the matrix. */
export interface BprConfig {
  factors: number;
  learningRate: number;
  regularization: number;
  epochs: number;
  seed: number;
  threads: number;
  progress: Progress;
}

/** Fitted factors (row-major float32), item biases and the measured throughput. */
export interface BprFactors {
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemBias: Float32Array;
  /** SGD updates per second over the whole fit. */
  updatesPerSecond: number;
  /** Threads that actually ran (1 when the data was too small or helpers failed to start). */
  threads: number;
}

/**
 * Runs BPR's SGD. With one thread the result is a pure function of the seed; with more, threads
 * race on shared rows (Hogwild), so runs are statistically equivalent but not bit-identical.
 */
export function trainBpr(matrix: CsrMatrix, config: BprConfig): BprFactors {
  const k = config.factors;
  const nnz = matrix.indices.length;
  const wanted = Math.max(1, Math.floor(config.threads));
  const shared = wanted > 1 && nnz >= PARALLEL_MIN_ENTRIES;
  const entryUser = new Int32Array(nnz);
  for (let u = 0; u < matrix.rows; u++) entryUser.fill(u, matrix.indptr[u]!, matrix.indptr[u + 1]!);
  const buffers: Record<string, ArrayBufferLike> = {
    indptr: toBuffer(matrix.indptr, shared),
    cols: toBuffer(matrix.indices, shared),
    entryUser: toBuffer(entryUser, shared),
    userFactors: allocateBuffer(matrix.rows * k * 4, shared),
    itemFactors: allocateBuffer(matrix.cols * k * 4, shared),
    itemBias: allocateBuffer(matrix.cols * 4, shared),
    stats: allocateBuffer(2 * wanted * 8, shared),
  };
  const rng = new Random(config.seed);
  const userFactors = new Float32Array(buffers['userFactors']!);
  const itemFactors = new Float32Array(buffers['itemFactors']!);
  // Centred and scaled by 1/k, as in implicit: initial scores start near zero whatever k is.
  for (let t = 0; t < userFactors.length; t++) userFactors[t] = (rng.nextFloat() - 0.5) / k;
  for (let t = 0; t < itemFactors.length; t++) itemFactors[t] = (rng.nextFloat() - 0.5) / k;
  const gang = shared ? ThreadGang.start(BPR_KERNEL, wanted - 1, buffers as Record<string, SharedArrayBuffer>) : undefined;
  const threads = gang?.size ?? 1;
  const args = gang?.args ?? new Float64Array(8);
  const stats = new Float64Array(buffers['stats']!);
  const seed = rng.nextUint32();
  let updates = 0;
  let seconds = 0;
  config.progress.start('bpr epochs', config.epochs);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      // Worker 0 takes the remainder so an epoch is exactly nnz updates.
      const share = Math.floor(nnz / threads);
      args[0] = k;
      args[1] = config.learningRate;
      args[2] = config.regularization;
      args[3] = share;
      args[4] = seed;
      args[5] = epoch;
      args[6] = matrix.cols;
      args[7] = NEGATIVE_TRIES;
      stats.fill(0);
      const started = performance.now();
      if (gang === undefined) {
        args[3] = nnz;
        bprWork(buffers as KernelBuffers, args, 0);
      } else {
        gang.run(() => {
          // Helpers read args[3] as this epoch's share; worker 0 works on a private copy.
          const own = Float64Array.from(args);
          own[3] = nnz - share * (threads - 1);
          bprWork(buffers as KernelBuffers, own, 0);
        });
      }
      const elapsed = (performance.now() - started) / 1000;
      seconds += elapsed;
      let correct = 0;
      let skipped = 0;
      for (let w = 0; w < threads; w++) {
        correct += stats[2 * w]!;
        skipped += stats[2 * w + 1]!;
      }
      const done = nnz - skipped;
      updates += done;
      config.progress.tick(1, {
        updatesPerSecond: Math.round(done / Math.max(elapsed, 1e-9)),
        correct: Number((correct / Math.max(1, done)).toFixed(4)),
      });
    }
  } finally {
    gang?.close();
    config.progress.stop();
  }
  return {
    userFactors: userFactors.slice(),
    itemFactors: itemFactors.slice(),
    itemBias: new Float32Array(buffers['itemBias']!).slice(),
    updatesPerSecond: seconds > 0 ? updates / seconds : 0,
    threads,
  };
}
