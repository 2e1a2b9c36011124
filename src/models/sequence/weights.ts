/**
 * A sequence network's parameters as plain named Float32Arrays: declared once with shape and
 * initialiser, drawn from the seeded generator (tfjs's own initialisers cannot take our seed
 * stream), turned into engine variables for training and read back for serving and saving.
 */
import { Random } from '../../math/random.js';
import type { Engine, Variable } from '../../math/engine.js';

/** How a parameter starts: Glorot-uniform (matrices), small uniform (embeddings), zeros or ones. */
export type WeightInit = 'glorot' | 'embedding' | 'zeros' | 'ones';

/** One declared parameter. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: WeightInit;
}

/** Named parameter values, row-major. */
export type Weights = Map<string, Float32Array>;

/** Number of entries of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Draws every parameter in declaration order from one stream, so the same seed gives the same
 * start. Glorot: U(±√(6/(fan_in+fan_out))); embeddings: U(±1/√width), which keeps a row's norm
 * near 1/√3 whatever the catalogue size.
 */
export function initialWeights(specs: readonly WeightSpec[], seed: number): Weights {
  const random = new Random(seed);
  const weights: Weights = new Map();
  for (const spec of specs) {
    const values = new Float32Array(sizeOf(spec.shape));
    const rows = spec.shape[0] ?? 1;
    const cols = spec.shape[spec.shape.length - 1] ?? 1;
    const bound = spec.init === 'glorot' ? Math.sqrt(6 / (rows + cols)) : 1 / Math.sqrt(cols);
    if (spec.init === 'ones') values.fill(1);
    else if (spec.init !== 'zeros') for (let i = 0; i < values.length; i++) values[i] = (2 * random.nextFloat() - 1) * bound;
    weights.set(spec.name, values);
  }
  return weights;
}

/** Engine variables holding `weights`, keyed by name (trainable, named uniquely per call). */
export function toVariables(tf: Engine['tf'], specs: readonly WeightSpec[], weights: Weights): Map<string, Variable> {
  const variables = new Map<string, Variable>();
  // Inside tidy, so the initial-value tensors go once the variables hold their data.
  for (const spec of specs) variables.set(spec.name, tf.tidy(() => tf.variable(tf.tensor(weights.get(spec.name)!, [...spec.shape]), true)));
  return variables;
}

/** Copies the variables' current values out (used for the best-epoch snapshot and the final model). */
export function readVariables(variables: ReadonlyMap<string, Variable>): Weights {
  const weights: Weights = new Map();
  for (const [name, variable] of variables) weights.set(name, Float32Array.from(variable.dataSync() as Float32Array));
  return weights;
}

/** Puts saved values back into the variables (restoring the best epoch). */
export function assignVariables(tf: Engine['tf'], variables: ReadonlyMap<string, Variable>, weights: Weights): void {
  for (const [name, variable] of variables) {
    tf.tidy(() => variable.assign(tf.tensor(weights.get(name)!, variable.shape)));
  }
}
