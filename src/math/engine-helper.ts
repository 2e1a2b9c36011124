/**
 * Helper threads for the tensor engine. The wasm backend runs one thread in Node (its threaded
 * build needs browser workers), so a second core is only reached by a second engine: each helper
 * is a worker thread with its own tfjs + wasm instance that multiplies the row blocks it is sent.
 *
 * The worker is an eval'd CommonJS script, as in `thread-gang.ts`, so it runs the same
 * under tsx and from the built JS; the package paths are resolved here and passed in, so the
 * worker loads exactly the files the main thread uses, from `node_modules`, offline.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tf = require(workerData.core);
const wasm = require(workerData.wasm);
wasm.setWasmPaths(workerData.wasmDir);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
tf.setBackend('wasm').then(
  (ok) => parentPort.postMessage({ ready: ok }),
  (error) => parentPort.postMessage({ ready: false, error: String(error) }),
);
parentPort.on('message', ({ id, a, b, m, k, n }) => {
  try {
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
    const out = c.dataSync();
    c.dispose();
    parentPort.postMessage({ id, out }, [out.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

/** How long a helper may take to load its engine before it is given up on. */
const START_TIMEOUT_MS = 20_000;

interface Reply {
  id?: number;
  ready?: boolean;
  out?: Float32Array;
  error?: string;
}

/** One worker thread with its own engine, answering matMul requests in order. */
export class EngineHelper {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (c: Float32Array) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (reply.id === undefined) return;
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.out) waiter?.resolve(reply.out);
      else waiter?.reject(new Error(reply.error ?? 'engine helper sent no result'));
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('engine helper exited')));
  }

  /** Starts a helper, or resolves to undefined when its engine does not come up (the caller then works alone). */
  static async start(): Promise<EngineHelper | undefined> {
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('@tensorflow/tfjs-backend-wasm');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { core: require.resolve('@tensorflow/tfjs-core'), wasm, wasmDir: dirname(wasm) + sep },
    });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
      worker.once('message', (reply: Reply) => {
        clearTimeout(timer);
        resolve(reply.ready === true);
      });
      worker.once('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      void worker.terminate();
      return undefined;
    }
    // An idle helper must not keep the process alive; it is ref'd only while work is pending.
    worker.unref();
    return new EngineHelper(worker);
  }

  /** C = A·B for row-major A (m×k) and B (k×n), on the helper's thread. The arrays are copied, not moved. */
  matMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Promise<Float32Array> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      // Cloning a view clones its whole buffer, so views are cut down to their own range first.
      this.worker.postMessage({ id, a: ownBuffer(a), b: ownBuffer(b), m, k, n });
    });
  }

  /** Stops the thread; pending requests fail. */
  close(): void {
    void this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

function ownBuffer(x: Float32Array): Float32Array {
  return x.byteOffset === 0 && x.byteLength === x.buffer.byteLength ? x : x.slice();
}
