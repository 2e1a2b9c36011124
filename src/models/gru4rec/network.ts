/**
 * GRU4Rec's network on the engine (Hidasi et al., ICLR 2016): item embeddings read by one GRU
 * layer, unrolled over the window, its state at each position scored against the same item
 * embeddings (tied input and output, GRU4Rec's "constrained embeddings"). Padding slots leave
 * the state as it was, so a short history starts from the zero state at its first item.
 * `inference.ts` computes the same function in plain TypeScript for serving.
 *
 * Gates, per step: r = σ(x·Wr + br + h·Ur), z = σ(x·Wz + bz + h·Uz),
 * n = tanh(x·Wn + bn + r ⊙ (h·Un + bh)), h' = (1 − z) ⊙ n + z ⊙ h.
 */
import type { Engine, Tensor, Tensor2D, Variable } from '../../math/engine.js';
import { dense, Dropout } from '../sequence/layers.js';
import type { SequenceBatch, SequenceNetwork } from '../sequence/network.js';
import type { WeightSpec } from '../sequence/weights.js';

type Tf = Engine['tf'];

/** The shape of a GRU4Rec network. */
export interface Gru4recShape {
  items: number;
  maxLength: number;
  width: number;
}

/** The three gates, in the order their parameters are declared. */
export const GATES = ['reset', 'update', 'candidate'] as const;

/** Every parameter of a GRU4Rec network, in initialisation order. */
export function gru4recSpecs(shape: Gru4recShape): WeightSpec[] {
  const d = shape.width;
  const specs: WeightSpec[] = [{ name: 'itemEmbedding', shape: [shape.items + 1, d], init: 'embedding' }];
  for (const gate of GATES) {
    specs.push(
      { name: `${gate}Input`, shape: [d, d], init: 'glorot' },
      { name: `${gate}Bias`, shape: [d], init: 'zeros' },
      { name: `${gate}Recurrent`, shape: [d, d], init: 'glorot' },
    );
  }
  specs.push({ name: 'candidateRecurrentBias', shape: [d], init: 'zeros' }, { name: 'itemBias', shape: [shape.items + 1], init: 'zeros' });
  return specs;
}

/** The GRU4Rec network for the shared training loop. */
export class Gru4recNetwork implements SequenceNetwork {
  readonly specs: WeightSpec[];
  readonly table = 'itemEmbedding';
  readonly bias = 'itemBias';

  constructor(
    private readonly shape: Gru4recShape,
    private readonly dropout: Dropout,
  ) {
    this.specs = gru4recSpecs(shape);
  }

  /** States after every position, [rows · length, width]. */
  forward(tf: Tf, variables: ReadonlyMap<string, Variable>, batch: SequenceBatch, training: boolean): Tensor2D {
    const { rows, length } = batch;
    const d = this.shape.width;
    const w = (name: string): Tensor => variables.get(name)!;
    const embedded = this.dropout.apply(tf, tf.gather(w('itemEmbedding'), tf.tensor1d(batch.ids, 'int32')), training) as Tensor2D;
    // All input projections at once, then one [rows, width] slice per step.
    const perStep = (gate: string): Tensor[] =>
      tf.unstack(tf.transpose(tf.reshape(dense(tf, embedded, w(`${gate}Input`), w(`${gate}Bias`)), [rows, length, d]), [1, 0, 2]));
    const [xr, xz, xn] = [perStep('reset'), perStep('update'), perStep('candidate')];
    const present = tf.unstack(tf.transpose(tf.tensor2d(batch.present, [rows, length])));
    let h: Tensor = tf.zeros([rows, d]);
    const states: Tensor[] = [];
    for (let t = 0; t < length; t++) {
      const r = tf.sigmoid(tf.add(xr[t]!, tf.matMul(h as Tensor2D, w('resetRecurrent') as Tensor2D)));
      const z = tf.sigmoid(tf.add(xz[t]!, tf.matMul(h as Tensor2D, w('updateRecurrent') as Tensor2D)));
      const recurrent = tf.add(tf.matMul(h as Tensor2D, w('candidateRecurrent') as Tensor2D), w('candidateRecurrentBias'));
      const n = tf.tanh(tf.add(xn[t]!, tf.mul(r, recurrent)));
      const next = tf.add(n, tf.mul(z, tf.sub(h, n)));
      h = tf.add(h, tf.mul(tf.reshape(present[t]!, [rows, 1]), tf.sub(next, h)));
      states.push(h);
    }
    // Stacked along the first axis so the backward pass unstacks contiguous slices.
    const all = tf.reshape(tf.transpose(tf.stack(states), [1, 0, 2]), [rows * length, d]);
    return this.dropout.apply(tf, all, training) as Tensor2D;
  }
}
