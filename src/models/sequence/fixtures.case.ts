// Synthetic sequences for the sequence models' tests: the next item is a fixed function of the
// previous one, so a model that reads order can learn it exactly and one that does not cannot.
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import { datasetFromTriples, type Triple } from '../fixtures.case.js';
import type { Recommender } from '../recommender.js';

/** The rule of {@link successorDataset}: item i is followed by (7i + 3) mod items. */
export function successor(item: number, items: number): number {
  return (7 * item + 3) % items;
}

/**
 * `users` users, each walking `length` steps of the successor rule from a random start (items
 * must be coprime with 7 so the rule is a permutation without fixed points for 20 items).
 */
export function successorDataset(options: { users: number; items: number; length: number; seed: number }): Dataset {
  const random = new Random(options.seed);
  const triples: Triple[] = [];
  for (let u = 0; u < options.users; u++) {
    let item = random.nextInt(options.items);
    for (let t = 0; t < options.length; t++) {
      triples.push([u, item, 1, t]);
      item = successor(item, options.items);
    }
  }
  return datasetFromTriples(options.users, options.items, triples);
}

/**
 * Share of items i whose top-1 recommendation after the two-step history [prev, i] is the
 * successor of i (prev chosen so the history follows the rule).
 */
export function successorHitRate(model: Recommender, items: number): number {
  let hits = 0;
  for (let i = 0; i < items; i++) {
    let previous = 0;
    while (successor(previous, items) !== i) previous++;
    const top = model.recommend({ history: [previous, i] }, { n: 1 })[0];
    if (top?.item === successor(i, items)) hits++;
  }
  return hits / items;
}
