/**
 * The early-stopping signal: hit@10 and nDCG@10 of the held-out last items, ranked over every
 * known item with each user's training items left out, as leave-last-out evaluation ranks.
 */
import type { Engine, Variable } from '../../math/engine.js';
import type { EpochValidation } from '../training.js';
import type { ValidationSet } from './examples.js';
import { packBatch, type SequenceNetwork } from './network.js';

/** Cut-off of the validation metrics. */
export const VALIDATION_K = 10;

/** Validation metrics, averaged over the validation users. */
export interface ValidationScore {
  ndcg: number;
  hit: number;
}

/**
 * Early stopping on the validation nDCG@10 (hit@10 reported beside it), as the sequence models and
 * `two-tower` stop: `measure` gives the figures after an epoch.
 */
export function ndcgValidation(measure: EpochValidation<ValidationScore>['measure']): EpochValidation<ValidationScore> {
  return { label: `ndcg@${VALIDATION_K}`, measure, score: (figures) => figures.ndcg };
}

/**
 * Scores the validation users in batches of `batchSize`: one forward pass, the last position's
 * output against the item table, then the target's rank (items scoring strictly higher).
 */
export function validate(
  tf: Engine['tf'],
  network: SequenceNetwork,
  variables: ReadonlyMap<string, Variable>,
  set: ValidationSet,
  options: { items: number; known: Uint8Array; maxLength: number; batchSize: number },
): ValidationScore {
  const { items, known, maxLength } = options;
  if (set.count === 0) return { ndcg: 0, hit: 0 };
  const excluded = new Int32Array(items).fill(-1);
  let ndcg = 0;
  let hit = 0;
  for (let start = 0; start < set.count; start += options.batchSize) {
    const rows = Math.min(options.batchSize, set.count - start);
    const offsets = Array.from({ length: rows }, (_, r) => (start + r) * maxLength);
    const batch = packBatch(set.inputs, offsets, maxLength, items);
    const scores = tf.tidy(() => {
      const hidden = network.forward(tf, variables, batch, false);
      const lastRows = tf.tensor1d(
        Int32Array.from({ length: rows }, (_, r) => r * maxLength + maxLength - 1),
        'int32',
      );
      const table = tf.slice(variables.get(network.table)!, [0, 0], [items, -1]);
      const bias = tf.slice(variables.get(network.bias)!, [0], [items]);
      return tf.add(tf.matMul(tf.gather(hidden, lastRows), table, false, true), bias).dataSync() as Float32Array;
    });
    const sums = rankHeldOut(scores, rows, start, set, known, excluded);
    ndcg += sums.ndcg;
    hit += sums.hit;
  }
  return { ndcg: ndcg / set.count, hit: hit / set.count };
}

/**
 * Sums of nDCG@10 and hit@10 of validation users `start … start + rows − 1`, from their scores
 * (`rows` × items, row-major): each target's rank counts the known items scoring strictly
 * higher, the user's training items left out. `excluded` is scratch of one slot per item, -1 at
 * first, reused across calls without clearing (it is stamped with the user's index).
 */
export function rankHeldOut(scores: Float32Array, rows: number, start: number, set: ValidationSet, known: Uint8Array, excluded: Int32Array): ValidationScore {
  const items = known.length;
  let ndcg = 0;
  let hit = 0;
  for (let r = 0; r < rows; r++) {
    const v = start + r;
    for (let p = set.seenOffsets[v]!; p < set.seenOffsets[v + 1]!; p++) excluded[set.seenItems[p]!] = v;
    const target = set.targets[v]!;
    const row = scores.subarray(r * items, (r + 1) * items);
    const own = row[target]!;
    let rank = 0;
    for (let j = 0; j < items && rank < VALIDATION_K; j++) {
      if (j !== target && known[j] === 1 && excluded[j] !== v && row[j]! > own) rank++;
    }
    if (rank < VALIDATION_K) {
      hit++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  }
  return { ndcg, hit };
}
