/**
 * The one place Magpie's dense tensor engine is set up: tfjs-core on the WebAssembly backend
 * (SIMD, one thread in Node). Models and kernels call `await getEngine()` and use `engine.tf`;
 * which backend runs underneath, and where its binaries come from, stays in this file.
 *
 * Why wasm: it installs from npm alone (the `.wasm` files ship inside
 * `@tensorflow/tfjs-backend-wasm`) and its matMul runs at 13–20 GFLOP/s here, 10–20× a plain
 * TypeScript loop. The binaries are loaded from `node_modules` by file path, so nothing is
 * fetched at run time and the engine works offline.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MagpieError } from '../core/errors.js';
import { EngineHelper } from './engine-helper.js';
import { registerEngineGradients } from './engine-gradients.js';
import { registerEngineKernels } from './engine-kernels.js';

/** Tensor types for code that holds tensors between engine calls (models' weights, caches). */
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Scalar, Variable, NamedTensorMap } from '@tensorflow/tfjs-core';

/** The tensor library as Magpie uses it: the tfjs-core namespace, its backend already ready. */
export interface Engine {
  /**
   * tfjs-core's ops (`matMul`, `transpose`, `tidy`, `variableGrads`, …). Before the engine is
   * handed out, gradient rules are registered (engine-gradients.ts: `variableGrads` works for
   * the kernels listed there, `gather` included) and so are the kernels of engine-kernels.ts
   * (matMul with `transposeA`/`transposeB` runs at untransposed speed).
   */
  readonly tf: typeof tf;
  /** The backend's name, for logs and benchmark reports (e.g. `wasm`). */
  readonly backend: string;
  /**
   * C = A·B on row-major Float32Arrays (A m×k, B k×n). Large products are split by rows over
   * this thread and helper threads, each running its own engine (see {@link MatMulOptions}).
   */
  matMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, options?: MatMulOptions): Promise<Float32Array>;
}

/** Options of {@link Engine.matMul}. */
export interface MatMulOptions {
  /** Threads to use, this one included (default: the machine's available parallelism). */
  threads?: number;
}

/**
 * Products below this many flops stay on the calling thread: copying the operands to a helper
 * and back costs O(mk + kn + mn), which only pays off once the O(mkn) work is large.
 */
const PARALLEL_MIN_FLOPS = 2 ** 27;

let helpers: Promise<EngineHelper[]> | undefined;
let helperCount = 0;

let ready: Promise<Engine> | undefined;
let started: Engine | undefined;

/**
 * The shared engine, initialised on first call (later calls get the same promise). Rejects with
 * MagpieError('unsupported') when the wasm backend cannot start; callers with a portable
 * TypeScript path should fall back to it.
 *
 * @example
 * const { tf } = await getEngine();
 * const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
 * const values = c.dataSync(); c.dispose();
 */
export function getEngine(): Promise<Engine> {
  ready ??= start().catch((error: unknown) => {
    ready = undefined; // let a later call try again instead of caching the failure
    throw new MagpieError('unsupported', `the wasm tensor engine did not start: ${String(error)}`, {
      cause: error,
      hint: 'reinstall dependencies (npm ci) so @tensorflow/tfjs-backend-wasm and its .wasm files are present',
    });
  });
  return ready;
}

/**
 * The engine if it has already started in this process (a model trained or `getEngine()`
 * awaited), else undefined: for synchronous serving code that uses the engine when it is there
 * and a TypeScript path when not.
 */
export function startedEngine(): Engine | undefined {
  return started;
}

async function start(): Promise<Engine> {
  // The package's own main file sits in dist/ beside the .wasm binaries; a trailing separator
  // makes setWasmPaths treat the path as a folder prefix.
  const require = createRequire(import.meta.url);
  const distDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  setWasmPaths(distDir + sep);
  // Only one thread exists in Node (the threaded build needs web workers), so do not probe for it.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('tf.setBackend("wasm") returned false');
  await tf.ready();
  registerEngineKernels(tf, tf.getBackend());
  registerEngineGradients(tf);
  started = { tf, backend: tf.getBackend(), matMul };
  return started;
}

async function matMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, options: MatMulOptions = {}): Promise<Float32Array> {
  if (a.length !== m * k || b.length !== k * n) {
    throw new MagpieError('invalid_input', `matMul shapes do not fit: ${a.length} ≠ ${m}×${k} or ${b.length} ≠ ${k}×${n}`);
  }
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const pool = threads > 1 && 2 * m * k * n >= PARALLEL_MIN_FLOPS && m >= 2 * threads ? await helperPool(threads - 1) : [];
  if (pool.length === 0) return localMatMul(a, b, m, k, n);
  const parts = pool.length + 1;
  const rows = Math.ceil(m / parts);
  // Helpers get their requests first, so they work while this thread computes the first rows.
  const remote = pool.map((helper, h) => {
    const r0 = Math.min(m, (h + 1) * rows);
    const r1 = Math.min(m, r0 + rows);
    return r1 > r0 ? helper.matMul(a.subarray(r0 * k, r1 * k), b, r1 - r0, k, n) : Promise.resolve(new Float32Array(0));
  });
  const first = Math.min(m, rows);
  const out = new Float32Array(m * n);
  out.set(localMatMul(a.subarray(0, first * k), b, first, k, n));
  const results = await Promise.all(remote);
  results.forEach((part, h) => out.set(part, Math.min(m, (h + 1) * rows) * n));
  return out;
}

function localMatMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
  const out = c.dataSync() as Float32Array;
  c.dispose();
  return out;
}

/** Up to `count` started helpers, created on first need and kept (unref'd) for later products. */
async function helperPool(count: number): Promise<EngineHelper[]> {
  if (helpers === undefined || helperCount < count) {
    const previous = helpers ? await helpers : [];
    helperCount = count;
    helpers = Promise.all(Array.from({ length: count - previous.length }, () => EngineHelper.start())).then((started) => [
      ...previous,
      ...started.filter((h): h is EngineHelper => h !== undefined),
    ]);
  }
  return (await helpers).slice(0, count);
}
