/**
 * SASRec's network on the engine (Kang & McAuley, ICDM 2018): item embeddings scaled by √width
 * plus learned position embeddings, then `blocks` pre-norm Transformer blocks (causal
 * multi-head self-attention, point-wise feed-forward, dropout, residuals), then a final layer
 * norm. Slots holding padding are zeroed after every block and never attended to.
 * `inference.ts` computes the same function in plain TypeScript for serving.
 */
import type { Engine, Tensor, Tensor2D, Variable } from '../../math/engine.js';
import { dense, Dropout, layerNorm } from '../sequence/layers.js';
import type { SequenceBatch, SequenceNetwork } from '../sequence/network.js';
import type { WeightSpec } from '../sequence/weights.js';

type Tf = Engine['tf'];

/** Added to attention scores of slots a position must not see; exp() of it is exactly 0. */
export const ATTENTION_MASKED = -1e9;

/** The shape of a SASRec network. */
export interface SasrecShape {
  items: number;
  maxLength: number;
  width: number;
  blocks: number;
  heads: number;
}

/** Parameter names of block `b`. */
export function blockNames(b: number) {
  const p = `b${b}_`;
  return {
    norm1: `${p}norm1`,
    norm1Bias: `${p}norm1Bias`,
    query: `${p}query`,
    queryBias: `${p}queryBias`,
    key: `${p}key`,
    keyBias: `${p}keyBias`,
    value: `${p}value`,
    valueBias: `${p}valueBias`,
    output: `${p}output`,
    outputBias: `${p}outputBias`,
    norm2: `${p}norm2`,
    norm2Bias: `${p}norm2Bias`,
    inner: `${p}inner`,
    innerBias: `${p}innerBias`,
    outer: `${p}outer`,
    outerBias: `${p}outerBias`,
  };
}

/** Every parameter of a SASRec network, in initialisation order. */
export function sasrecSpecs(shape: SasrecShape): WeightSpec[] {
  const d = shape.width;
  const specs: WeightSpec[] = [
    { name: 'itemEmbedding', shape: [shape.items + 1, d], init: 'embedding' },
    { name: 'positionEmbedding', shape: [shape.maxLength, d], init: 'embedding' },
  ];
  for (let b = 0; b < shape.blocks; b++) {
    const n = blockNames(b);
    specs.push(
      { name: n.norm1, shape: [d], init: 'ones' },
      { name: n.norm1Bias, shape: [d], init: 'zeros' },
      { name: n.query, shape: [d, d], init: 'glorot' },
      { name: n.queryBias, shape: [d], init: 'zeros' },
      { name: n.key, shape: [d, d], init: 'glorot' },
      { name: n.keyBias, shape: [d], init: 'zeros' },
      { name: n.value, shape: [d, d], init: 'glorot' },
      { name: n.valueBias, shape: [d], init: 'zeros' },
      { name: n.output, shape: [d, d], init: 'glorot' },
      { name: n.outputBias, shape: [d], init: 'zeros' },
      { name: n.norm2, shape: [d], init: 'ones' },
      { name: n.norm2Bias, shape: [d], init: 'zeros' },
      { name: n.inner, shape: [d, d], init: 'glorot' },
      { name: n.innerBias, shape: [d], init: 'zeros' },
      { name: n.outer, shape: [d, d], init: 'glorot' },
      { name: n.outerBias, shape: [d], init: 'zeros' },
    );
  }
  specs.push(
    { name: 'finalNorm', shape: [d], init: 'ones' },
    { name: 'finalNormBias', shape: [d], init: 'zeros' },
    { name: 'itemBias', shape: [shape.items + 1], init: 'zeros' },
  );
  return specs;
}

/**
 * rows × 1 × L × L additive mask: position i may attend to j ≤ i holding an item. A padding
 * query sees nothing (a uniform softmax over masked scores); its output is zeroed anyway.
 */
export function attentionMask(present: Float32Array, rows: number, length: number): Float32Array {
  const mask = new Float32Array(rows * length * length);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < length; i++) {
      const base = (r * length + i) * length;
      for (let j = 0; j < length; j++) if (j > i || present[r * length + j] === 0) mask[base + j] = ATTENTION_MASKED;
    }
  }
  return mask;
}

/** The SASRec network for the shared training loop. */
export class SasrecNetwork implements SequenceNetwork {
  readonly specs: WeightSpec[];
  readonly table = 'itemEmbedding';
  readonly bias = 'itemBias';

  constructor(
    private readonly shape: SasrecShape,
    private readonly dropout: Dropout,
  ) {
    this.specs = sasrecSpecs(shape);
  }

  /** Outputs at every position, [rows · length, width]. */
  forward(tf: Tf, variables: ReadonlyMap<string, Variable>, batch: SequenceBatch, training: boolean): Tensor2D {
    const { rows, length } = batch;
    const { width, heads } = this.shape;
    const w = (name: string): Tensor => variables.get(name)!;
    const drop = (x: Tensor): Tensor => this.dropout.apply(tf, x, training);
    const present = tf.tensor2d(batch.present, [rows * length, 1]);
    const mask = tf.tensor4d(attentionMask(batch.present, rows, length), [rows, 1, length, length]);
    const ids = tf.tensor1d(batch.ids, 'int32');
    const embedded = tf.mul(tf.gather(w('itemEmbedding'), ids), Math.sqrt(width));
    const positioned = tf.reshape(tf.add(tf.reshape(embedded, [rows, length, width]), w('positionEmbedding')), [rows * length, width]);
    let x = tf.mul(drop(positioned), present) as Tensor2D;
    const headWidth = width / heads;
    const splitHeads = (t: Tensor): Tensor => tf.transpose(tf.reshape(t, [rows, length, heads, headWidth]), [0, 2, 1, 3]);
    for (let b = 0; b < this.shape.blocks; b++) {
      const n = blockNames(b);
      const normed = layerNorm(tf, x, w(n.norm1), w(n.norm1Bias)) as Tensor2D;
      const q = splitHeads(dense(tf, normed, w(n.query), w(n.queryBias)));
      const k = splitHeads(dense(tf, normed, w(n.key), w(n.keyBias)));
      const v = splitHeads(dense(tf, normed, w(n.value), w(n.valueBias)));
      const scores = tf.add(tf.mul(tf.matMul(q as never, k as never, false, true), 1 / Math.sqrt(headWidth)), mask);
      const attention = drop(tf.softmax(scores));
      const mixed = tf.reshape(tf.transpose(tf.matMul(attention as never, v as never), [0, 2, 1, 3]), [rows * length, width]) as Tensor2D;
      x = tf.add(x, drop(dense(tf, mixed, w(n.output), w(n.outputBias))));
      const normed2 = layerNorm(tf, x, w(n.norm2), w(n.norm2Bias)) as Tensor2D;
      const inner = drop(tf.relu(dense(tf, normed2, w(n.inner), w(n.innerBias)))) as Tensor2D;
      x = tf.mul(tf.add(x, drop(dense(tf, inner, w(n.outer), w(n.outerBias)))), present);
    }
    return layerNorm(tf, x, w('finalNorm'), w('finalNormBias')) as Tensor2D;
  }
}
