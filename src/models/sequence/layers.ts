/**
 * The few network pieces the sequence models build from engine ops: dense layers, layer
 * normalisation and seeded dropout. Dense inputs are kept 2-d ([rows, width]) so every product
 * is one plain matMul, the shape the wasm backend runs fastest.
 */
import { Random } from '../../math/random.js';
import type { Engine, Tensor, Tensor2D } from '../../math/engine.js';

type Tf = Engine['tf'];

/** Variance floor of layer normalisation. */
export const LAYER_NORM_EPSILON = 1e-6;

/** x·W + b for x [rows, in], W [in, out], b [out]. */
export function dense(tf: Tf, x: Tensor2D, weight: Tensor, bias: Tensor): Tensor2D {
  return tf.add(tf.matMul(x, weight as Tensor2D), bias);
}

/** Normalises each row of x to zero mean and unit variance, then scales by γ and shifts by β. */
export function layerNorm(tf: Tf, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const axis = x.rank - 1;
  const centred = tf.sub(x, tf.mean(x, axis, true));
  const variance = tf.mean(tf.square(centred), axis, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON))), gamma), beta);
}

/**
 * Inverted dropout with masks drawn from the model's seeded stream, so a fit is reproducible
 * (tf.dropout would draw from its own generator). Off (identity) when the rate is 0 or when not
 * training.
 */
export class Dropout {
  private readonly random: Random;

  constructor(
    readonly rate: number,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  /** x with each entry zeroed with probability `rate` and the rest scaled by 1/(1 − rate). */
  apply(tf: Tf, x: Tensor, training: boolean): Tensor {
    if (!training || this.rate <= 0) return x;
    return tf.mul(x, tf.tensor(this.mask(x.size), x.shape));
  }

  /** A mask of `size` entries: 0 or 1/(1 − rate). */
  mask(size: number): Float32Array {
    const keep = 1 - this.rate;
    const threshold = Math.floor(keep * 4294967296);
    const scale = 1 / keep;
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) if (this.random.nextUint32() < threshold) out[i] = scale;
    return out;
  }
}
