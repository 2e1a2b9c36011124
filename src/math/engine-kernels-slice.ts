/**
 * Slicing and row gathers on the wasm backend as plain copies on the heap. The backend's `Slice`
 * reads the entire input out of the wasm heap (a full copy) before taking its part, and
 * `Unpack` (`tf.unstack`) calls it once per output: unstacking a [50, 128, 64] sequence copied
 * 50 × 1.6 MB and took about a second. Its `GatherV2` walks element by element (22 ms of CPU to
 * look up 6,400 embedding rows of 64). A contiguous slice is one copy of its own length, a
 * gather along axis 0 one copy per row; other cases keep the backend's implementation.
 */
import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;
type KernelFunc = ReturnType<Tf['getKernel']>['kernelFunc'];
type TensorInfo = tfc.TensorInfo;

/** The wasm backend methods used: allocate an output, view a tensor's heap memory. */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The contiguous part of x at `begin` of `size`, or undefined when it is not contiguous. */
function contiguousSlice(tf: Tf, backend: WasmHeapBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo | undefined {
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return undefined;
  if (!tf.slice_util.isSliceContinous(x.shape, begin, size)) return undefined;
  const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
  const length = size.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput(size, x.dtype);
  // The input view is taken after the allocation: growing the heap detaches older views.
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + length));
  return out;
}

/** `Slice` that copies only the slice when it is contiguous. */
export function viewSlice(tf: Tf, original: KernelFunc): KernelFunc {
  return ((args: { inputs: { x: TensorInfo }; backend: WasmHeapBackend; attrs: { begin: number | number[]; size?: number | number[] } }) => {
    const { inputs, backend, attrs } = args;
    const [begin, size] = tf.slice_util.parseSliceParams(inputs.x, attrs.begin, attrs.size);
    return contiguousSlice(tf, backend, inputs.x, begin!, size!) ?? original(args as never);
  }) as unknown as KernelFunc;
}

/** `Unpack` along axis 0 as contiguous slices; other axes keep the backend's implementation. */
export function viewUnpack(tf: Tf, original: KernelFunc): KernelFunc {
  return ((args: { inputs: { value: TensorInfo }; backend: WasmHeapBackend; attrs: { axis: number } }) => {
    const { inputs, backend, attrs } = args;
    const value = inputs.value;
    const axis = attrs.axis < 0 ? attrs.axis + value.shape.length : attrs.axis;
    if (axis !== 0 || (value.dtype !== 'float32' && value.dtype !== 'int32')) return original(args as never);
    const inner = value.shape.slice(1);
    const size = [1, ...inner];
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[0]!; i++) {
      const part = contiguousSlice(tf, backend, value, [i, ...inner.map(() => 0)], size)!;
      outs.push({ dataId: part.dataId, dtype: part.dtype, shape: inner });
    }
    return outs;
  }) as unknown as KernelFunc;
}

/** `GatherV2` along axis 0 (embedding lookups) as one row copy per index; other cases keep the backend's. */
export function rowGather(tf: Tf, original: KernelFunc): KernelFunc {
  return ((args: { inputs: { x: TensorInfo; indices: TensorInfo }; backend: WasmHeapBackend; attrs: { axis: number; batchDims: number } }) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs;
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return original(args as never);
    const rows = x.shape[0]!;
    const rowLength = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const count = indices.shape.reduce((a, b) => a * b, 1);
    const ids = Int32Array.from(backend.typedArrayFromHeap(indices));
    for (let i = 0; i < count; i++) {
      if (ids[i]! < 0 || ids[i]! >= rows) throw new Error(`GatherV2: the index value ${ids[i]} is not in [0, ${rows - 1}]`);
    }
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const target = backend.typedArrayFromHeap(out);
    const source = backend.typedArrayFromHeap(x);
    for (let i = 0; i < count; i++) target.set(source.subarray(ids[i]! * rowLength, (ids[i]! + 1) * rowLength), i * rowLength);
    return out;
  }) as unknown as KernelFunc;
}
