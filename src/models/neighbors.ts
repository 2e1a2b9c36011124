/**
 * What the neighbourhood models (`item-knn`, `user-knn`, `sar`) share: the similarity formulas,
 * and sparse neighbour lists stored as CSR — scored against a history, listed, and read back.
 */
import { corruptModelError, requireArray, type ModelArtifact } from './artifacts.js';
import type { ScoredItem, UserQuery } from './recommender.js';
import type { UserHistory } from './user-history.js';

/** How co-occurrence c(i, j) becomes a similarity; d(i) = Σ x_i² (the count when binary). */
export type SimilarityKind = 'cosine' | 'jaccard' | 'lift' | 'cooccurrence';

/**
 * The similarity of two rows with co-occurrence `c` and squared norms `di`, `dj`:
 * cosine c / (cosineNorm + shrink), jaccard c / (di + dj − c + shrink), lift c / (di·dj + shrink),
 * cooccurrence c. `cosineNorm` is √di·√dj (or di^α·dj^(1−α), asymmetric cosine), computed by the
 * caller, which can hoist one side out of its loop; the other kinds ignore it.
 *
 * @example
 * similarityOf('jaccard', 2, 3, 4, 0); // 2 / (3 + 4 − 2) = 0.4
 */
export function similarityOf(kind: SimilarityKind, c: number, di: number, dj: number, shrink: number, cosineNorm = 0): number {
  if (kind === 'cosine') return c / (cosineNorm + shrink);
  if (kind === 'jaccard') return c / (di + dj - c + shrink);
  if (kind === 'lift') return c / (di * dj + shrink);
  return c;
}

/** Neighbours per row as CSR: row i lists its neighbours best first, with their similarities. */
export interface NeighborLists {
  indptr: Int32Array;
  items: Int32Array;
  scores: Float32Array;
}

/** Lists with no rows, for an unfitted model. */
export function emptyNeighborLists(): NeighborLists {
  return { indptr: new Int32Array(1), items: new Int32Array(0), scores: new Float32Array(0) };
}

/**
 * out[j] = Σ over the query's history items h of weight(h) · sim(h → j), 0 where no history item
 * points; weights come from `history` (1 per item when `binary`).
 */
export function scoreByNeighbors(lists: NeighborLists, history: UserHistory, query: UserQuery, binary: boolean, out: Float32Array): void {
  out.fill(0);
  const { indptr, items, scores } = lists;
  history.forEach(query, binary, (h, weight) => {
    for (let p = indptr[h]!; p < indptr[h + 1]!; p++) out[items[p]!]! += weight * scores[p]!;
  });
}

/** The first `n` entries of row `row`, best first. */
export function neighborsOf(lists: NeighborLists, row: number, n: number): ScoredItem[] {
  const { indptr, items, scores } = lists;
  const start = indptr[row]!;
  const end = Math.min(indptr[row + 1]!, start + Math.max(0, n));
  const out: ScoredItem[] = [];
  for (let p = start; p < end; p++) out.push({ item: items[p]!, score: scores[p]! });
  return out;
}

/**
 * Reads lists of `rows` rows over the same `rows` targets from the artifact arrays named in
 * `keys`, checking their shape; damage throws MagpieError('corrupt') naming `what` and `unit`
 * ("neighbour lists name unknown items").
 */
export function readNeighborLists(
  dir: string,
  artifact: ModelArtifact,
  keys: { indptr: string; items: string; scores: string },
  rows: number,
  what: string,
  unit: string,
): NeighborLists {
  const indptr = requireArray(dir, artifact, keys.indptr, Int32Array, rows + 1);
  const items = requireArray(dir, artifact, keys.items, Int32Array, indptr[rows]);
  const scores = requireArray(dir, artifact, keys.scores, Float32Array, indptr[rows]);
  for (let i = 0; i < rows; i++) if (indptr[i]! > indptr[i + 1]!) throw corruptModelError(dir, `${what} are out of order`);
  for (const j of items) if (j < 0 || j >= rows) throw corruptModelError(dir, `${what} name unknown ${unit}`);
  return { indptr, items, scores };
}
