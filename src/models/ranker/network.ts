/**
 * The ranker's network: a multilayer perceptron from a candidate's standardised features to one
 * logit (input → ReLU hidden layers with dropout → 1). Trained on the tensor engine. Served on the
 * engine too when it has started ({@link mlpLogitsOnEngine}: a request's few hundred candidate rows
 * × 128 × 64 run in 0.6 ms there against ~2 ms in TypeScript), and by the same arithmetic in
 * TypeScript ({@link mlpLogits}) when it has not or for a handful of rows.
 */
import type { Engine, Tensor, Tensor2D, Variable } from '../../math/engine.js';
import { linearRows } from '../sequence/dense-ops.js';
import { dense, type Dropout } from '../sequence/layers.js';
import type { WeightSpec, Weights } from '../sequence/weights.js';

type Tf = Engine['tf'];

/** Layer widths: the input, each hidden layer, then the single output. */
export interface MlpShape {
  readonly inputs: number;
  readonly hidden: readonly number[];
}

/** Weight matrix name of layer `l` (0-based; the last layer is the output). */
function weightName(l: number): string {
  return `dense${l}_w`;
}

function biasName(l: number): string {
  return `dense${l}_b`;
}

/** Widths of every layer's input and output, output layer included. */
function layerSizes(shape: MlpShape): [number, number][] {
  const widths = [shape.inputs, ...shape.hidden, 1];
  return widths.slice(1).map((out, l) => [widths[l]!, out]);
}

/** The parameters in the order they are drawn from the seed: Glorot matrices, zero biases. */
export function mlpSpecs(shape: MlpShape): WeightSpec[] {
  return layerSizes(shape).flatMap(([input, output], l) => [
    { name: weightName(l), shape: [input, output], init: 'glorot' as const },
    { name: biasName(l), shape: [output], init: 'zeros' as const },
  ]);
}

/** Names of the weight matrices (what the L2 penalty covers; biases are left free). */
export function mlpMatrices(shape: MlpShape): string[] {
  return layerSizes(shape).map((_, l) => weightName(l));
}

/** Logits [rows, 1] of `x` [rows, inputs]; dropout after every hidden layer while training. */
export function mlpForward(tf: Tf, shape: MlpShape, variables: ReadonlyMap<string, Variable>, x: Tensor2D, dropout: Dropout, training: boolean): Tensor2D {
  const layers = layerSizes(shape);
  let h: Tensor = x;
  layers.forEach((_, l) => {
    const z = dense(tf, h as Tensor2D, variables.get(weightName(l))!, variables.get(biasName(l))!);
    h = l < layers.length - 1 ? dropout.apply(tf, tf.relu(z), training) : z;
  });
  return h as Tensor2D;
}

/** Scratch buffers for {@link mlpLogits}, sized for up to `rows` rows. */
export class MlpScratch {
  readonly a: Float32Array;
  readonly b: Float32Array;

  constructor(shape: MlpShape, rows: number) {
    const widest = Math.max(1, ...shape.hidden);
    this.a = new Float32Array(rows * widest);
    this.b = new Float32Array(rows * widest);
  }
}

/** The network's logits for `rows` standardised feature rows, written into `out` (TypeScript, no engine). */
export function mlpLogits(shape: MlpShape, weights: Weights, x: Float32Array, rows: number, scratch: MlpScratch, out: Float32Array): void {
  const layers = layerSizes(shape);
  let input = x;
  layers.forEach(([inDim, outDim], l) => {
    const last = l === layers.length - 1;
    const target = last ? out : l % 2 === 0 ? scratch.a : scratch.b;
    linearRows(input, rows, inDim, weights.get(weightName(l))!, weights.get(biasName(l))!, outDim, target);
    if (!last) for (let k = 0; k < rows * outDim; k++) if (target[k]! < 0) target[k] = 0;
    input = target;
  });
}

/**
 * {@link mlpLogits} on the engine, for many rows per call. The weights are uploaded on each call
 * (12k floats at the default widths, microseconds) so no tensor outlives it: a replaced or dropped
 * ranker leaves nothing behind on the engine.
 */
export function mlpLogitsOnEngine(tf: Tf, shape: MlpShape, weights: Weights, x: Float32Array, rows: number, out: Float32Array): void {
  const layers = layerSizes(shape);
  const result = tf.tidy(() => {
    let h: Tensor = tf.tensor2d(x.subarray(0, rows * shape.inputs), [rows, shape.inputs]);
    layers.forEach(([inDim, outDim], l) => {
      const z = dense(tf, h as Tensor2D, tf.tensor2d(weights.get(weightName(l))!, [inDim, outDim]), tf.tensor1d(weights.get(biasName(l))!));
      h = l < layers.length - 1 ? tf.relu(z) : z;
    });
    return h;
  });
  out.set(result.dataSync() as Float32Array);
  result.dispose();
}

/**
 * The mean of every network's logits for `rows` feature rows, written into `out` (one network's go
 * straight there; with more, each is written to `partial` and summed). On the engine when `tf` is
 * given, else in TypeScript with `scratch`. Serving and the validation report both average through
 * here, so the figures a fit reports are those of the model it serves.
 */
export function ensembleLogits(
  shape: MlpShape,
  networks: readonly Weights[],
  x: Float32Array,
  rows: number,
  buffers: { scratch: MlpScratch; partial: Float32Array },
  out: Float32Array,
  tf?: Tf,
): void {
  const one = (weights: Weights, target: Float32Array): void => {
    if (tf !== undefined) mlpLogitsOnEngine(tf, shape, weights, x, rows, target);
    else mlpLogits(shape, weights, x, rows, buffers.scratch, target);
  };
  if (networks.length === 1) {
    one(networks[0]!, out);
    return;
  }
  out.fill(0, 0, rows);
  for (const weights of networks) {
    one(weights, buffers.partial);
    for (let r = 0; r < rows; r++) out[r]! += buffers.partial[r]!;
  }
  const scale = 1 / networks.length;
  for (let r = 0; r < rows; r++) out[r]! *= scale;
}
