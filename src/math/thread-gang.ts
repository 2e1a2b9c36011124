/**
 * A gang of helper threads that run one self-contained kernel over shared memory, in lock-step
 * with the calling thread. Kernels ship as source text (an eval'd worker), so the same code runs
 * under tsx and from the built JS with no worker file to locate. Used by the factor models'
 * training and by the SPD inverse's rank update (`rank-update-worker.ts`).
 *
 * Meeting on Atomics instead of messages keeps a round trip to a few microseconds, so a model can
 * dispatch one job per half-iteration or epoch without paying for postMessage copies.
 */
import { Worker } from 'node:worker_threads';
import { MagpieError } from '../core/errors.js';

// control slots: generation posted, stop flag, helpers done this generation, helpers failed, helpers started.
const GENERATION = 0;
const STOP = 1;
const DONE = 2;
const FAILED = 3;
const STARTED = 4;
const CONTROL_SLOTS = 5;

/** Slots in the shared argument vector every job reads. */
export const GANG_ARG_SLOTS = 32;

/** How long to wait for helpers to come up before the caller goes on alone. */
const START_TIMEOUT_MS = 10_000;

/** Buffers handed to the kernel, by name; shared ones when a gang runs, plain ones when alone. */
export type KernelBuffers = Readonly<Record<string, ArrayBufferLike>>;

/**
 * What a gang runs: `source` defines a function named `entry` with the signature
 * `(buffers: KernelBuffers, args: Float64Array, worker: number) => void`, self-contained (no
 * imports, no closures). The caller runs the same function as worker 0.
 */
export interface GangKernel {
  source: string;
  entry: string;
}

/** Shared-memory helper threads running one kernel; the caller is always worker 0. */
export class ThreadGang {
  /** Arguments of the next job, read by every worker (write before {@link run}). */
  readonly args: Float64Array;
  private readonly control: Int32Array;
  private readonly workers: Worker[];

  /**
   * Starts `helpers` threads for `kernel` over `buffers` (which must be SharedArrayBuffers), or
   * returns undefined when they do not come up in time (the caller then works alone).
   */
  static start(kernel: GangKernel, helpers: number, buffers: Readonly<Record<string, SharedArrayBuffer>>): ThreadGang | undefined {
    if (helpers < 1) return undefined;
    const gang = new ThreadGang(kernel, helpers, buffers);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const started = Atomics.load(gang.control, STARTED);
      if (started >= helpers) return gang;
      const left = deadline - Date.now();
      // Blocking is fine: the caller is about to block on the work itself.
      if (left <= 0 || Atomics.wait(gang.control, STARTED, started, left) === 'timed-out') {
        if (Atomics.load(gang.control, STARTED) >= helpers) return gang;
        gang.close();
        return undefined;
      }
    }
  }

  private constructor(kernel: GangKernel, helpers: number, buffers: Readonly<Record<string, SharedArrayBuffer>>) {
    this.control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
    this.args = new Float64Array(new SharedArrayBuffer(GANG_ARG_SLOTS * 8));
    const source = `
const { workerData } = require('node:worker_threads');
${kernel.source}
const control = new Int32Array(workerData.control);
const args = new Float64Array(workerData.args);
const buffers = workerData.buffers;
const id = workerData.id;
let seen = 0;
Atomics.add(control, ${STARTED}, 1);
Atomics.notify(control, ${STARTED});
for (;;) {
  Atomics.wait(control, ${GENERATION}, seen);
  seen = Atomics.load(control, ${GENERATION});
  if (Atomics.load(control, ${STOP}) === 1) break;
  try {
    ${kernel.entry}(buffers, args, id);
  } catch (error) {
    Atomics.add(control, ${FAILED}, 1);
  }
  Atomics.add(control, ${DONE}, 1);
  Atomics.notify(control, ${DONE});
}
`;
    this.workers = [];
    for (let id = 1; id <= helpers; id++) {
      const worker = new Worker(source, {
        eval: true,
        workerData: { control: this.control.buffer, args: this.args.buffer, buffers, id },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** Number of threads working on a job, the caller included. */
  get size(): number {
    return this.workers.length + 1;
  }

  /**
   * Wakes every helper on the current {@link args}, runs `own` (the caller's share) meanwhile and
   * returns once all are done. A helper whose kernel threw makes this throw MagpieError('internal').
   */
  run(own: () => void): void {
    const c = this.control;
    const helpers = this.workers.length;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, FAILED, 0);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    try {
      own();
    } finally {
      // Helpers write into shared memory, so even on our own failure wait until they stop.
      for (;;) {
        const done = Atomics.load(c, DONE);
        if (done >= helpers) break;
        Atomics.wait(c, DONE, done);
      }
    }
    if (Atomics.load(c, FAILED) > 0) throw new MagpieError('internal', 'a training worker thread failed', { hint: 'retry with threads=1' });
  }

  /** Stops the helpers. */
  close(): void {
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
    for (const worker of this.workers) void worker.terminate();
  }
}

/** A buffer of `bytes` bytes, shared when `shared` (for a gang) and plain otherwise. */
export function allocateBuffer(bytes: number, shared: boolean): ArrayBufferLike {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/** A copy of `array` on a shared buffer when `shared`, else `array` itself. */
export function toBuffer(array: Int32Array | Float32Array, shared: boolean): ArrayBufferLike {
  if (!shared) {
    // A view that does not span its whole buffer would confuse the kernels' offsets; copy it.
    if (array.byteOffset === 0 && array.byteLength === array.buffer.byteLength) return array.buffer;
    return array.slice().buffer;
  }
  const buffer = new SharedArrayBuffer(array.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return buffer;
}
