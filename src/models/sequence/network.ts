/**
 * What the shared training loop needs from a sequence network (`sasrec`'s Transformer,
 * `gru4rec`'s GRU): its parameters and a forward pass from a batch of item windows to one
 * output vector per position, scored against an item table by dot product.
 */
import type { Engine, Tensor2D, Variable } from '../../math/engine.js';
import { PAD } from './examples.js';
import type { WeightSpec } from './weights.js';

/** A batch of left-padded windows as the engine takes them. */
export interface SequenceBatch {
  /** rows × length item ids; empty slots hold the padding row's id (the item count). */
  readonly ids: Int32Array;
  /** rows × length: 1 where the slot holds an item, 0 where it is padding. */
  readonly present: Float32Array;
  readonly rows: number;
  readonly length: number;
}

/** A network the training loop can fit. */
export interface SequenceNetwork {
  /** Every parameter, in the order they are drawn from the seed. */
  readonly specs: readonly WeightSpec[];
  /** Name of the (items + 1) × width table that outputs are scored against; its last row is padding. */
  readonly table: string;
  /** Name of the (items + 1) item bias added to every score: popularity is learnt there at once, not in the embeddings. */
  readonly bias: string;
  /** The output at every position, [rows · length, width]; dropout only when `training`. */
  forward(tf: Engine['tf'], variables: ReadonlyMap<string, Variable>, batch: SequenceBatch, training: boolean): Tensor2D;
}

/**
 * Packs `rows` windows of `length` slots, read from `source` at `offsets` (each window's first
 * slot, PAD for empty), into a batch; `items` is the padding id.
 */
export function packBatch(source: Int32Array, offsets: ArrayLike<number>, length: number, items: number): SequenceBatch {
  const rows = offsets.length;
  const ids = new Int32Array(rows * length);
  const present = new Float32Array(rows * length);
  for (let r = 0; r < rows; r++) {
    const from = offsets[r]!;
    for (let t = 0; t < length; t++) {
      const item = source[from + t]!;
      const slot = r * length + t;
      if (item === PAD) ids[slot] = items;
      else {
        ids[slot] = item;
        present[slot] = 1;
      }
    }
  }
  return { ids, present, rows, length };
}
