/**
 * A second thread for the rank-b update of the blocked SPD inverse. The kernel's source is sent
 * as an eval'd worker, so it runs the same from TypeScript under tsx and from the built JS, with
 * no worker file to locate. The two threads meet on Atomics over shared memory: one message-free
 * round trip per pivot block.
 */
import { Worker } from 'node:worker_threads';
import { rankUpdateUpper, updateRows } from './rank-update.js';

// control[0]: generation posted by the main thread; [1]: 1 = stop; [2..5]: bs, k0, k1, rowEnd;
// [6]: generation the worker finished; [7]: 1 once the worker runs.
const CONTROL_SLOTS = 8;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${updateRows.toString()}
${rankUpdateUpper.toString()}
const { matrix, weighted, transposed, control, n } = workerData;
const a = new Float64Array(matrix);
const w = new Float64Array(weighted);
const vT = new Float64Array(transposed);
const c = new Int32Array(control);
let seen = 0;
Atomics.store(c, 7, 1);
Atomics.notify(c, 7);
for (;;) {
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (Atomics.load(c, 1) === 1) break;
  rankUpdateUpper(a, n, w, vT, c[2], c[3], c[4], 0, c[5]);
  Atomics.store(c, 6, seen);
  Atomics.notify(c, 6);
}
`;

/** How long to wait for the helper thread to start before going on alone. */
const START_TIMEOUT_MS = 10_000;

/** Shared buffers of one inversion plus the helper thread working on them. */
export class RankUpdateHelper {
  /** The matrix being inverted, in shared memory. */
  readonly matrix: Float64Array;
  /** A[:, K] · A_KK⁻¹, row i at i * blockSize. */
  readonly weighted: Float64Array;
  /** A[:, K] transposed, row k at k * n. */
  readonly transposed: Float64Array;
  private readonly control: Int32Array;
  private readonly worker: Worker;
  private generation = 0;

  /**
   * Starts a helper for an n×n matrix with pivot blocks up to `blockSize` wide, or returns
   * undefined when the thread does not come up (the caller then works alone).
   */
  static start(n: number, blockSize: number): RankUpdateHelper | undefined {
    const helper = new RankUpdateHelper(n, blockSize);
    // Blocking here is fine: the caller is about to block on n³ work anyway, and the wait
    // ends as soon as the thread stores its flag.
    if (Atomics.wait(helper.control, 7, 0, START_TIMEOUT_MS) === 'timed-out' && Atomics.load(helper.control, 7) !== 1) {
      void helper.worker.terminate();
      return undefined;
    }
    return helper;
  }

  private constructor(
    private readonly n: number,
    blockSize: number,
  ) {
    const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * 8));
    this.matrix = shared(n * n);
    this.weighted = shared(n * blockSize);
    this.transposed = shared(blockSize * n);
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        matrix: this.matrix.buffer,
        weighted: this.weighted.buffer,
        transposed: this.transposed.buffer,
        control: this.control.buffer,
        n,
      },
    });
    this.worker.unref();
  }

  /**
   * Runs one block's update on both threads: the helper takes rows [0, split), this thread the
   * rest. Upper-triangle row i costs n − i, so the split at n(1 − 1/√2) halves the work.
   */
  update(bs: number, k0: number, k1: number): void {
    const n = this.n;
    const split = Math.round(n * (1 - Math.SQRT1_2));
    const c = this.control;
    c[2] = bs;
    c[3] = k0;
    c[4] = k1;
    c[5] = split;
    const generation = ++this.generation;
    Atomics.store(c, 0, generation);
    Atomics.notify(c, 0);
    rankUpdateUpper(this.matrix, n, this.weighted, this.transposed, bs, k0, k1, split, n);
    for (;;) {
      const done = Atomics.load(c, 6);
      if (done === generation) break;
      Atomics.wait(c, 6, done);
    }
  }

  /** Stops the helper thread. */
  close(): void {
    Atomics.store(this.control, 1, 1);
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
    void this.worker.terminate();
  }
}
