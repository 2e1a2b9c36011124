/**
 * The two towers on the engine. Both start from an item's input vector
 *
 *   x_i = m_i · E_id[i] + Σ_s w_s · E_feat[f_s]
 *
 * (its id embedding, masked to 0 for items never seen in training and, while training, dropped
 * at random so the features learn to stand alone; plus its feature slots, see features.ts).
 * Both sums over rows are sparse-times-dense products (pooling.ts).
 *
 * - Item tower: v_i = x_i + MLP_item(x_i) and a scalar b_i = x_i · w_b + c_b (the item's prior,
 *   popularity mostly); an item scores u · v_i + b_i.
 * - User tower: p = mean of x over the user's recent distinct items (0 for none), then
 *   u = p + MLP_user(p). Reading items rather than a user id is what lets a user or session the
 *   model never saw be served from its history without refitting.
 *
 * MLP(x) = relu(x·W₁ + b₁)·W₂ + b₂, dropout on the hidden layer while training. `inference.ts`
 * computes the same functions in TypeScript for serving.
 */
import type { Engine, Tensor, Tensor1D, Tensor2D, Variable } from '../../math/engine.js';
import { dense, type Dropout } from '../sequence/layers.js';
import type { WeightSpec } from '../sequence/weights.js';
import type { FeatureTable } from './features.js';
import { weightedRowSums, type SparseRows } from './pooling.js';

type Tf = Engine['tf'];

/** Sizes of a two-tower network. */
export interface TwoTowerShape {
  /** Items with an id embedding (those of the training data). */
  items: number;
  /** Feature terms (the padding term is one more). */
  features: number;
  width: number;
}

/** Every parameter, in the order they are drawn from the seed. */
export function twoTowerSpecs(shape: TwoTowerShape): WeightSpec[] {
  const d = shape.width;
  const mlp = (prefix: string): WeightSpec[] => [
    { name: `${prefix}Hidden`, shape: [d, d], init: 'glorot' },
    { name: `${prefix}HiddenBias`, shape: [d], init: 'zeros' },
    { name: `${prefix}Out`, shape: [d, d], init: 'glorot' },
    { name: `${prefix}OutBias`, shape: [d], init: 'zeros' },
  ];
  return [
    { name: 'idEmbedding', shape: [Math.max(1, shape.items), d], init: 'embedding' },
    { name: 'featureEmbedding', shape: [shape.features + 1, d], init: 'embedding' },
    ...mlp('item'),
    { name: 'priorWeight', shape: [d, 1], init: 'zeros' },
    { name: 'priorBias', shape: [1], init: 'zeros' },
    ...mlp('user'),
  ];
}

/** Items fed to the towers in one pass: their ids, id masks and feature terms. */
export interface ItemBatch {
  /** Item indices (< shape.items where the id mask is 1; anything otherwise). */
  readonly ids: Int32Array;
  /** 1 where the id embedding counts, 0 where it is left out. */
  readonly idMask: Float32Array;
  /** The items' feature terms and weights, one output row per item. */
  readonly features: SparseRows;
}

/** Collects the feature slots of `ids` from `table` into an {@link ItemBatch}. */
export function itemBatch(ids: Int32Array, idMask: Float32Array, table: FeatureTable): ItemBatch {
  const s = table.slots;
  const outRow: number[] = [];
  const tableRow: number[] = [];
  const weight: number[] = [];
  ids.forEach((item, r) => {
    for (let k = item * s; k < (item + 1) * s; k++) {
      if (table.weights[k] === 0) continue;
      outRow.push(r);
      tableRow.push(table.ids[k]!);
      weight.push(table.weights[k]!);
    }
  });
  return { ids, idMask, features: { rows: ids.length, outRow: Int32Array.from(outRow), tableRow: Int32Array.from(tableRow), weight: Float32Array.from(weight) } };
}

/** The mean-pooling matrix of `rows` histories of `length` slots each (row numbers, −1 for empty). */
export function historyPooling(history: Int32Array, rows: number): SparseRows {
  const length = history.length / rows;
  const outRow: number[] = [];
  const tableRow: number[] = [];
  const weight: number[] = [];
  for (let r = 0; r < rows; r++) {
    let count = 0;
    for (let t = 0; t < length; t++) if (history[r * length + t]! >= 0) count++;
    for (let t = 0; t < length; t++) {
      const row = history[r * length + t]!;
      if (row < 0) continue;
      outRow.push(r);
      tableRow.push(row);
      weight.push(1 / count);
    }
  }
  return { rows, outRow: Int32Array.from(outRow), tableRow: Int32Array.from(tableRow), weight: Float32Array.from(weight) };
}

/** The two towers for the training loop. */
export class TwoTowerNetwork {
  readonly specs: WeightSpec[];

  constructor(
    readonly shape: TwoTowerShape,
    private readonly dropout: Dropout,
  ) {
    this.specs = twoTowerSpecs(shape);
  }

  /** Input vectors x of a batch of items, [n, width]. */
  inputs(tf: Tf, variables: ReadonlyMap<string, Variable>, batch: ItemBatch): Tensor2D {
    const n = batch.ids.length;
    // Masked-out ids may lie outside the id table; they are read as row 0 and zeroed.
    const safeIds = Int32Array.from(batch.ids, (id, r) => (batch.idMask[r] === 1 ? id : 0));
    const ids = tf.mul(tf.gather(variables.get('idEmbedding')!, tf.tensor1d(safeIds, 'int32')), tf.tensor2d(batch.idMask, [n, 1]));
    return tf.add(ids, weightedRowSums(tf, variables.get('featureEmbedding')!, batch.features)) as Tensor2D;
  }

  /** Item vectors v [n, width] and priors b [n] from input vectors x. */
  itemTower(tf: Tf, variables: ReadonlyMap<string, Variable>, x: Tensor2D, training: boolean): { vectors: Tensor2D; prior: Tensor1D } {
    const vectors = tf.add(x, this.mlp(tf, variables, 'item', x, training)) as Tensor2D;
    const prior = tf.reshape(dense(tf, x, variables.get('priorWeight')!, variables.get('priorBias')!), [x.shape[0]]) as Tensor1D;
    return { vectors, prior };
  }

  /**
   * User vectors [rows, width] from the input vectors of their recent items: `history` holds
   * rows × length row numbers into `x` (−1 for an empty slot).
   */
  userTower(tf: Tf, variables: ReadonlyMap<string, Variable>, x: Tensor2D, history: Int32Array, rows: number, training: boolean): Tensor2D {
    const pooled = weightedRowSums(tf, x, historyPooling(history, rows));
    return tf.add(pooled, this.mlp(tf, variables, 'user', pooled, training)) as Tensor2D;
  }

  private mlp(tf: Tf, variables: ReadonlyMap<string, Variable>, prefix: string, x: Tensor2D, training: boolean): Tensor {
    const w = (name: string): Tensor => variables.get(`${prefix}${name}`)!;
    const hidden = this.dropout.apply(tf, tf.relu(dense(tf, x, w('Hidden'), w('HiddenBias'))), training) as Tensor2D;
    return dense(tf, hidden, w('Out'), w('OutBias'));
  }
}
