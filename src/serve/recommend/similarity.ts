/**
 * Item–item similarity for MMR and similar-item lists: the model's own neighbours where it has
 * them, scaled to [0, 1] per item, combined with the overlap of the two items' categories.
 */
import { isMagpieError } from '../../core/errors.js';
import { topK } from '../../math/topk.js';
import type { ScoredItem } from '../../models/recommender.js';
import type { Catalog } from '../catalog.js';
import type { LoadedVersion } from '../models/loaded.js';
import { categoryOverlap } from '../rules/diversity.js';

/**
 * The model's most similar items to model item `m`; models without item–item similarity are
 * asked to score a history of just `m` instead.
 */
export function similarItems(version: LoadedVersion, m: number, n: number): ScoredItem[] {
  try {
    return version.model.similarItems(m, { n });
  } catch (error) {
    if (!isMagpieError(error, 'unsupported')) throw error;
    version.model.scoreItems({ history: [m] }, version.explainScores);
    return topK(version.explainScores, n, { exclude: (j) => j === m });
  }
}

/**
 * A similarity function over catalogue indices for one request: max(model similarity, category
 * overlap). Neighbour lists are fetched once per item and kept for the request.
 */
export function itemSimilarity(catalog: Catalog, version: LoadedVersion | null): (a: number, b: number) => number {
  const neighbours = new Map<number, Map<number, number>>();
  const toModel = version?.catToModel();
  const rowOf = (c: number): Map<number, number> | undefined => {
    if (!version || !toModel) return undefined;
    let row = neighbours.get(c);
    if (row) return row;
    row = new Map();
    const m = toModel[c] ?? -1;
    if (m >= 0) {
      const list = similarItems(version, m, 50);
      const top = list[0]?.score ?? 0;
      if (top > 0) for (const entry of list) if (entry.score > 0) row.set(version.modelToCat[entry.item]!, entry.score / top);
    }
    neighbours.set(c, row);
    return row;
  };
  return (a, b) => {
    const model = Math.max(rowOf(a)?.get(b) ?? 0, rowOf(b)?.get(a) ?? 0);
    return Math.max(model, categoryOverlap(catalog, a, b));
  };
}
