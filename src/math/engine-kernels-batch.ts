/**
 * Batched matMul on the wasm backend as a loop of single products. The backend sends a product
 * with one batch to XNNPACK (~8–10 GFLOP/s here) but runs a batch of them — the attention
 * products Q·Kᵀ and P·V, [batch, 50, 64] × [batch, 64, 50] — through a generic loop at
 * ~1.7 GFLOP/s. Copying each slice into its own buffer and multiplying it alone costs a few
 * microseconds per slice and measured about 5× faster on those shapes.
 */
import type * as tfc from '@tensorflow/tfjs-core';

type KernelFunc = ReturnType<(typeof tfc)['getKernel']>['kernelFunc'];
type TensorInfo = tfc.TensorInfo;

/** The wasm backend methods the loop needs: allocate on the heap, view it, free it. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Per-slice work (m·k·n) from which the loop beats the backend's batched kernel; below it the
 * per-call overhead (~30 µs) dominates.
 */
export const SLICED_MIN_WORK = 32_768;

/**
 * Wraps the backend's BatchMatMul (without transpose flags: the transposing wrapper runs first)
 * so a product of several batches of worthwhile size runs slice by slice. Other products
 * (a single batch, broadcasting other than one operand with batch 1, tiny slices) pass through.
 */
export function slicedBatchMatMul(original: KernelFunc): KernelFunc {
  return ((args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmHeapBackend; attrs: Record<string, unknown> }) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs;
    if (attrs['transposeA'] || attrs['transposeB'] || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args as never);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const [m, k, n] = [a.shape[ra - 2]!, a.shape[ra - 1]!, b.shape[rb - 1]!];
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = outerA.reduce((x, y) => x * y, 1);
    const batchB = outerB.reduce((x, y) => x * y, 1);
    const batch = Math.max(batchA, batchB);
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    const outer = sameOuter || batchB === 1 ? outerA : batchA === 1 ? outerB : undefined;
    if (batch <= 1 || outer === undefined || b.shape[rb - 2] !== k || m * k * n < SLICED_MIN_WORK) return original(args as never);

    const out = backend.makeOutput([...outer, m, n], 'float32');
    for (let s = 0; s < batch; s++) {
      const sliceA = backend.makeOutput([m, k], 'float32');
      const sliceB = backend.makeOutput([k, n], 'float32');
      // Views are taken after every allocation: growing the heap detaches older ones.
      backend.typedArrayFromHeap(sliceA).set(backend.typedArrayFromHeap(a).subarray((batchA === 1 ? 0 : s) * m * k, ((batchA === 1 ? 0 : s) + 1) * m * k));
      backend.typedArrayFromHeap(sliceB).set(backend.typedArrayFromHeap(b).subarray((batchB === 1 ? 0 : s) * k * n, ((batchB === 1 ? 0 : s) + 1) * k * n));
      const part = original({ inputs: { a: sliceA, b: sliceB }, backend, attrs: { transposeA: false, transposeB: false } } as never) as TensorInfo;
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(part), s * m * n);
      backend.disposeData(sliceA.dataId);
      backend.disposeData(sliceB.dataId);
      backend.disposeData(part.dataId);
    }
    return out;
  }) as unknown as KernelFunc;
}
