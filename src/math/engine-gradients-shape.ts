/**
 * Gradient rules of the structural kernels: matMul, gather (embedding lookup), softmax and the
 * kernels that only move values (reshape, transpose, slice, concat, stack). Registered with the
 * element-wise rules by `registerEngineGradients` (see engine-gradients.ts for why).
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { MagpieError } from '../core/errors.js';
import { reduceToShape, type GradientRule } from './engine-gradients-math.js';

type Tf = typeof tfc;
type Tensor = tfc.Tensor;

const one = (dy: Tensor | Tensor[]): Tensor => dy as Tensor;

/**
 * C = op(A)·op(B) with op = transpose where flagged. The four cases follow from
 * dA = dC·Bᵀ, dB = Aᵀ·dC for the plain product; batch dimensions that were broadcast are summed.
 */
const batchMatMul: GradientRule = {
  kernel: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  grad: (tf, dy, [a, b], attrs) => {
    const ta = attrs['transposeA'] === true;
    const tb = attrs['transposeB'] === true;
    const d = one(dy);
    const da = (): Tensor => {
      if (!ta && !tb) return tf.matMul(d, b!, false, true);
      if (!ta && tb) return tf.matMul(d, b!);
      if (ta && !tb) return tf.matMul(b!, d, false, true);
      return tf.matMul(b!, d, true, true);
    };
    const db = (): Tensor => {
      if (!ta && !tb) return tf.matMul(a!, d, true, false);
      if (!ta && tb) return tf.matMul(d, a!, true, false);
      if (ta && !tb) return tf.matMul(a!, d);
      return tf.matMul(d, a!, true, true);
    };
    return { a: () => reduceToShape(tf, da(), a!.shape), b: () => reduceToShape(tf, db(), b!.shape) };
  },
};

/**
 * Embedding lookup, axis 0: the table's gradient scatter-adds dy's rows onto the looked-up rows
 * (UnsortedSegmentSum, registered for wasm in engine-kernels.ts). Repeated ids add up.
 */
const gather: GradientRule = {
  kernel: 'GatherV2',
  inputsToSave: ['x', 'indices'],
  grad: (tf, dy, [x, indices], attrs) => {
    if ((attrs['axis'] ?? 0) !== 0 || (attrs['batchDims'] ?? 0) !== 0) {
      throw new MagpieError('unsupported', `the engine differentiates gather along axis 0 only (got axis ${String(attrs['axis'])})`, {
        hint: 'transpose the table so the gathered axis comes first',
      });
    }
    return {
      x: () => {
        const inner = x!.shape.slice(1);
        const rows = tf.reshape(one(dy), [indices!.size, ...inner]);
        return tf.unsortedSegmentSum(rows, tf.reshape(indices!, [indices!.size]), x!.shape[0]!);
      },
      // Ids are not differentiable; the tape never asks, but a rule must name every input.
      indices: () => tf.zeros(indices!.shape),
    };
  },
};

const softmax: GradientRule = {
  kernel: 'Softmax',
  outputsToSave: [true],
  grad: (tf, dy, [y], attrs) => ({
    logits: () => {
      const axis = (attrs['dim'] as number | undefined) ?? -1;
      const d = one(dy);
      return tf.mul(y!, tf.sub(d, tf.sum(tf.mul(d, y!), axis, true)));
    },
  }),
};

const reshape: GradientRule = {
  kernel: 'Reshape',
  inputsToSave: ['x'],
  grad: (tf, dy, [x]) => ({ x: () => tf.reshape(one(dy), x!.shape) }),
};

const expandDims: GradientRule = {
  kernel: 'ExpandDims',
  inputsToSave: ['input'],
  grad: (tf, dy, [input]) => ({ input: () => tf.reshape(one(dy), input!.shape) }),
};

const transpose: GradientRule = {
  kernel: 'Transpose',
  grad: (tf, dy, _saved, attrs) => ({ x: () => tf.transpose(one(dy), tf.backend_util.getUndoAxesPermutation(attrs['perm'] as number[])) }),
};

const slice: GradientRule = {
  kernel: 'Slice',
  inputsToSave: ['x'],
  grad: (tf, dy, [x], attrs) => ({
    x: () => {
      const [begin, size] = tf.slice_util.parseSliceParams(x!, attrs['begin'] as number[], attrs['size'] as number[]);
      const paddings = x!.shape.map((n, d) => [begin![d]!, n - begin![d]! - size![d]!] as [number, number]);
      return tf.pad(one(dy), paddings);
    },
  }),
};

const concat: GradientRule = {
  kernel: 'Concat',
  saveAllInputs: true,
  grad: (tf, dy, saved, attrs) => {
    const axis = tf.util.parseAxisParam(attrs['axis'] as number, saved[0]!.shape)[0]!;
    const parts = tf.split(one(dy), saved.map((t) => t.shape[axis]!), axis);
    return Object.fromEntries(parts.map((part, i) => [String(i), () => part]));
  },
};

const pack: GradientRule = {
  kernel: 'Pack',
  grad: (tf, dy, _saved, attrs) => {
    const parts = tf.unstack(one(dy), attrs['axis'] as number);
    return Object.fromEntries(parts.map((part, i) => [String(i), () => part]));
  },
};

const unpack: GradientRule = {
  kernel: 'Unpack',
  grad: (tf, dy, _saved, attrs) => ({ value: () => tf.stack(dy as Tensor[], attrs['axis'] as number) }),
};

/** The structural rules, for `GRADIENT_RULES`. */
export const SHAPE_GRADIENTS: readonly GradientRule[] = [batchMatMul, gather, softmax, reshape, expandDims, transpose, slice, concat, pack, unpack];
