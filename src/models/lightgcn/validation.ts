/**
 * The early-stopping signal of `lightgcn`: nDCG@10 of the held-out entries, each validation user
 * ranked over the items of the training graph with their own training items left out — the
 * way offline evaluation ranks test users.
 */
import type { CsrMatrix } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import type { Holdout } from './graph.js';

/** Cut-off of the validation metric. */
export const VALIDATION_K = 10;

/** Users scored per block, bounding the score block at this many × items floats. */
const USERS_PER_BLOCK = 256;

/** Scores of the given users against every item, users.length × items row-major. */
export type UserItemScorer = (users: Int32Array) => Float32Array;

/**
 * Mean nDCG@10 (binary gains, ideal DCG over min(|held-out|, 10) positions) over the holdout's
 * users. `known[j]` is 1 for items with training edges, the only ones ranked.
 */
export function validationNdcg(score: UserItemScorer, holdout: Holdout, train: CsrMatrix, known: Uint8Array): number {
  const items = train.cols;
  const count = holdout.users.length;
  if (count === 0) return 0;
  const seen = new Int32Array(items).fill(-1);
  const heap = new TopKHeap(VALIDATION_K);
  const top = new Int32Array(VALIDATION_K);
  const topScores = new Float32Array(VALIDATION_K);
  let total = 0;
  for (let start = 0; start < count; start += USERS_PER_BLOCK) {
    const block = holdout.users.subarray(start, Math.min(count, start + USERS_PER_BLOCK));
    const scores = score(block);
    for (let r = 0; r < block.length; r++) {
      const v = start + r;
      const u = block[r]!;
      for (let q = train.indptr[u]!; q < train.indptr[u + 1]!; q++) seen[train.indices[q]!] = v;
      heap.reset(VALIDATION_K);
      const row = r * items;
      for (let j = 0; j < items; j++) {
        if (known[j] === 1 && seen[j] !== v && heap.accepts(j, scores[row + j]!)) heap.push(j, scores[row + j]!);
      }
      const listed = heap.drainInto(top, topScores);
      const lo = holdout.offsets[v]!;
      const hi = holdout.offsets[v + 1]!;
      let dcg = 0;
      for (let rank = 0; rank < listed; rank++) if (contains(holdout.items, lo, hi, top[rank]!)) dcg += 1 / Math.log2(rank + 2);
      let ideal = 0;
      for (let rank = 0; rank < Math.min(hi - lo, VALIDATION_K); rank++) ideal += 1 / Math.log2(rank + 2);
      total += dcg / ideal;
    }
  }
  return total / count;
}

/** Binary search for `value` in the ascending run sorted[lo … hi). */
function contains(sorted: Int32Array, lo: number, hi: number, value: number): boolean {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid]! < value) a = mid + 1;
    else b = mid;
  }
  return a < hi && sorted[a] === value;
}
