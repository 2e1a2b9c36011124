/**
 * Small kernels that make the wasm backend fit for training, registered once by `getEngine()`
 * after the backend is up:
 *
 * - `UnsortedSegmentSum`, which the wasm backend lacks. tfjs-core's gradient of `gather` (an
 *   embedding lookup) scatter-adds the output gradient into the table with it, so without it
 *   `tf.variableGrads` through `tf.gather` throws. It runs here on the CPU: read the values,
 *   scatter-add into a typed array, write the result back as a new tensor.
 * - A wrapper around `BatchMatMul` (and `_FusedMatMul`) that transposes an operand explicitly
 *   and then multiplies untransposed. The wasm matMul with `transposeA`/`transposeB` set runs
 *   several times slower than on a pre-transposed copy (see ARCHITECTURE.md, "Compute"), and
 *   tfjs-core's own matMul gradient asks for exactly those flags, so every backward pass
 *   through a dense layer or an attention product hit the slow path. The copy costs O(size)
 *   against the product's O(m·k·n). Batched products of worthwhile size then run slice by
 *   slice (engine-kernels-batch.ts), for the same reason one level down.
 * - Wrappers around `Slice`, `Unpack` and `GatherV2` that copy only what they return
 *   (engine-kernels-slice.ts): the backend's copy the whole input first or walk element by
 *   element, which made unrolling a recurrent network and embedding lookups slow.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { slicedBatchMatMul } from './engine-kernels-batch.js';
import { rowGather, viewSlice, viewUnpack } from './engine-kernels-slice.js';

type Tf = typeof tfc;
type KernelConfig = ReturnType<Tf['getKernel']>;
type KernelFunc = KernelConfig['kernelFunc'];
type TensorInfo = tfc.TensorInfo;

/** The kernels this module installs on the wasm backend, by tfjs kernel name. */
export const ENGINE_KERNELS = {
  segmentSum: 'UnsortedSegmentSum',
  matMul: 'BatchMatMul',
  fusedMatMul: '_FusedMatMul',
  slice: 'Slice',
  unpack: 'Unpack',
  gather: 'GatherV2',
} as const;

/** The backend's original kernels that Magpie wraps, kept so the wrappers can call them and be undone. */
const originals = new Map<string, KernelConfig>();

/** The part of a tfjs backend the segment sum needs: read a tensor's values, write a new one. */
interface DataBackend {
  readSync(dataId: object): unknown;
  write(values: unknown, shape: number[], dtype: string): object;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Installs the kernels on `backendName` (default `wasm`). Safe to call again: a kernel already
 * installed is left as it is.
 *
 * @example
 * registerEngineKernels(tf); // then tf.variableGrads(() => tf.sum(tf.gather(table, ids))) works
 */
export function registerEngineKernels(tf: Tf, backendName = 'wasm'): void {
  if (tf.getKernel(ENGINE_KERNELS.segmentSum, backendName) === undefined) {
    tf.registerKernel({ kernelName: ENGINE_KERNELS.segmentSum, backendName, kernelFunc: unsortedSegmentSum as unknown as KernelFunc });
  }
  setKernelOverrides(tf, true, backendName);
}

/**
 * Turns the wrappers of the backend's own kernels (matMul: explicit transposes and sliced
 * batches; slice, unstack, gather: plain copies) on or off. Only benchmarks and tests turn
 * them off, to measure the backend's kernels against them in the same run.
 */
export function setKernelOverrides(tf: Tf, enabled: boolean, backendName = 'wasm'): void {
  const wasm = backendName === 'wasm';
  const wrap = (name: string, kernel: KernelFunc): KernelFunc => {
    if (name === ENGINE_KERNELS.slice) return viewSlice(tf, kernel);
    if (name === ENGINE_KERNELS.unpack) return viewUnpack(tf, kernel);
    if (name === ENGINE_KERNELS.gather) return rowGather(tf, kernel);
    return transposingKernel(tf, name === ENGINE_KERNELS.matMul && wasm ? slicedBatchMatMul(kernel) : kernel, backendName);
  };
  const names = [ENGINE_KERNELS.matMul, ENGINE_KERNELS.fusedMatMul, ...(wasm ? [ENGINE_KERNELS.slice, ENGINE_KERNELS.unpack, ENGINE_KERNELS.gather] : [])];
  for (const name of names) {
    const key = `${backendName}_${name}`;
    const current = tf.getKernel(name, backendName);
    if (current === undefined) continue;
    const installed = originals.has(key);
    if (enabled === installed) continue;
    tf.unregisterKernel(name, backendName);
    if (enabled) {
      originals.set(key, current);
      tf.registerKernel({ kernelName: name, backendName, kernelFunc: wrap(name, current.kernelFunc) });
    } else {
      tf.registerKernel(originals.get(key)!);
      originals.delete(key);
    }
  }
}

/** True while the kernel wrappers are installed on `backendName`. */
export function kernelOverridesEnabled(backendName = 'wasm'): boolean {
  return originals.has(`${backendName}_${ENGINE_KERNELS.matMul}`);
}

/**
 * Scatter-add of TF's `UnsortedSegmentSum`: out[segmentIds[i], …] += x[i, …]. `segmentIds` has
 * the shape of x's leading dims; ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: DataBackend; attrs: { numSegments: number } }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const numSegments = attrs.numSegments;
  const values = backend.readSync(x.dataId) as ArrayLike<number>;
  const ids = backend.readSync(segmentIds.dataId) as ArrayLike<number>;
  const idCount = ids.length;
  const rowLength = idCount === 0 ? 0 : values.length / idCount;
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * rowLength) : new Float32Array(numSegments * rowLength);
  for (let i = 0; i < idCount; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const src = i * rowLength;
    const dst = segment * rowLength;
    for (let j = 0; j < rowLength; j++) out[dst + j]! += values[src + j]!;
  }
  const dataId = backend.write(out, shape, x.dtype);
  return { dataId, shape, dtype: x.dtype };
}

/** The same matMul kernel, fed explicitly transposed operands instead of transpose flags. */
function transposingKernel(tf: Tf, original: KernelFunc, backendName: string): KernelFunc {
  const transpose = tf.getKernel('Transpose', backendName)!.kernelFunc;
  return ((args: { inputs: Record<string, TensorInfo>; backend: DataBackend; attrs: Record<string, unknown> }) => {
    const { inputs, backend, attrs } = args;
    if (!attrs['transposeA'] && !attrs['transposeB']) return original(args as never);
    const temporary: TensorInfo[] = [];
    const flip = (t: TensorInfo): TensorInfo => {
      const rank = t.shape.length;
      const perm = Array.from({ length: rank }, (_, d) => d);
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
      const flipped = transpose({ inputs: { x: t }, backend, attrs: { perm } } as never) as TensorInfo;
      temporary.push(flipped);
      return flipped;
    };
    const a = attrs['transposeA'] ? flip(inputs['a']!) : inputs['a']!;
    const b = attrs['transposeB'] ? flip(inputs['b']!) : inputs['b']!;
    try {
      return original({ ...args, inputs: { ...inputs, a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } } as never);
    } finally {
      for (const t of temporary) backend.disposeData(t.dataId);
    }
  }) as unknown as KernelFunc;
}
