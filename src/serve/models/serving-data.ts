/**
 * What serving needs from the training data besides the model, saved with each version:
 * co-purchase lists ("often bought with") computed from baskets, and each user's bought items
 * (so feeds can leave out what a shopper already owns without reading their whole history).
 *
 * Co-purchase score of b for a: c(a, b) / √(n(a) · n(b)) · c(a, b) / (c(a, b) + 1), with c the
 * number of baskets holding both and n the baskets holding one: cosine, damped for pairs seen in
 * only one or two baskets, so a single shared order does not outrank a steady pairing.
 */
import type { Dataset } from '../../dataset/types.js';
import { TopKHeap } from '../../math/topk.js';
import { corruptModelError, loadArtifact, requireArray, saveArtifact } from '../../models/artifacts.js';

/** Item lists per row (user or item) as CSR, with scores where they mean something. */
export interface Lists {
  indptr: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

/** Serving-side facts of one model version, in model indices. */
export interface ServingData {
  /** Per item: items often bought with it, best first. */
  together: Lists;
  /** Per user: items bought (scores unused). */
  purchased: Lists;
}

const ARTIFACT = 'serving';
/** Baskets larger than this are skipped: bulk orders say little about pairs and cost size². */
const MAX_BASKET = 100;

/** Co-purchase lists (at most `perItem` per item) from the dataset's baskets. */
export function coPurchases(data: Dataset, perItem = 50): Lists {
  const items = data.items.ids.length;
  const baskets = data.baskets.filter((b) => b.length <= MAX_BASKET);
  const count = new Int32Array(items);
  for (const basket of baskets) for (const i of basket) count[i]!++;
  // Item → baskets holding it, as CSR.
  const start = new Int32Array(items + 1);
  for (let i = 0; i < items; i++) start[i + 1] = start[i]! + count[i]!;
  const member = new Int32Array(start[items]!);
  const fill = start.slice(0, items);
  baskets.forEach((basket, b) => {
    for (const i of basket) member[fill[i]!++] = b;
  });
  const co = new Float32Array(items);
  const touched: number[] = [];
  const heap = new TopKHeap(perItem);
  const indptr = new Int32Array(items + 1);
  const outItems: number[] = [];
  const outScores: number[] = [];
  for (let a = 0; a < items; a++) {
    touched.length = 0;
    for (let p = start[a]!; p < start[a + 1]!; p++) {
      for (const x of baskets[member[p]!]!) {
        if (x === a) continue;
        if (co[x] === 0) touched.push(x);
        co[x]!++;
      }
    }
    heap.reset(perItem);
    for (const x of touched) {
      const c = co[x]!;
      heap.push(x, (c / Math.sqrt(count[a]! * count[x]!)) * (c / (c + 1)));
      co[x] = 0;
    }
    for (const entry of heap.drain()) {
      outItems.push(entry.item);
      outScores.push(entry.score);
    }
    indptr[a + 1] = outItems.length;
  }
  return { indptr, items: Int32Array.from(outItems), scores: Float32Array.from(outScores) };
}

/** Per user, the items whose strongest event was a purchase. */
export function purchasedItems(data: Dataset): Lists {
  const users = data.users.ids.length;
  const log = data.log;
  const indptr = new Int32Array(users + 1);
  for (let k = 0; k < log.length; k++) if (log.type[k] === 'purchase') indptr[log.user[k]! + 1]!++;
  for (let u = 0; u < users; u++) indptr[u + 1]! += indptr[u]!;
  const items = new Int32Array(indptr[users]!);
  const fill = indptr.slice(0, users);
  for (let k = 0; k < log.length; k++) if (log.type[k] === 'purchase') items[fill[log.user[k]!]!++] = log.item[k]!;
  return { indptr, items, scores: new Float32Array(0) };
}

/** Builds both lists from a dataset. */
export function servingData(data: Dataset): ServingData {
  return { together: coPurchases(data), purchased: purchasedItems(data) };
}

/** Writes the serving data into `dir`. */
export async function saveServingData(dir: string, data: ServingData, users: number, items: number): Promise<void> {
  await saveArtifact(dir, {
    model: ARTIFACT,
    params: {},
    arrays: {
      togetherIndptr: data.together.indptr,
      togetherItems: data.together.items,
      togetherScores: data.together.scores,
      purchasedIndptr: data.purchased.indptr,
      purchasedItems: data.purchased.items,
    },
    meta: { users, items },
  });
}

/** Reads serving data written by {@link saveServingData}, checking every index against the version's counts. */
export async function loadServingData(dir: string, users: number, items: number): Promise<ServingData> {
  const artifact = await loadArtifact(dir, ARTIFACT);
  const lists = (prefix: string, rows: number, withScores: boolean): Lists => {
    const indptr = requireArray(dir, artifact, `${prefix}Indptr`, Int32Array, rows + 1);
    const nnz = indptr[rows]!;
    const list = requireArray(dir, artifact, `${prefix}Items`, Int32Array, nnz);
    const scores = withScores ? requireArray(dir, artifact, `${prefix}Scores`, Float32Array, nnz) : new Float32Array(0);
    for (let r = 0; r < rows; r++) if (indptr[r]! > indptr[r + 1]!) throw corruptModelError(dir, `${prefix} rows are out of order`);
    for (let p = 0; p < nnz; p++) if (list[p]! < 0 || list[p]! >= items) throw corruptModelError(dir, `${prefix} lists name unknown items`);
    return { indptr, items: list, scores };
  };
  return { together: lists('together', items, true), purchased: lists('purchased', users, false) };
}
