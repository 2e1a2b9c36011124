/**
 * TF-IDF item vectors from catalog rows: weighted term counts per field, times a smoothed inverse
 * document frequency, L2-normalised so a dot product is a cosine.
 */
import type { Item } from '../../core/types.js';
import type { CsrMatrix } from '../../dataset/types.js';
import { tokenize, wholeTerm } from './text.js';

/** How much one occurrence of a term counts, per field. */
export interface FieldWeights {
  title: number;
  description: number;
  category: number;
  brand: number;
}

/** A sparse vector: term indices (ascending) and their weights. */
export interface SparseVector {
  terms: Int32Array;
  weights: Float32Array;
}

/** Vocabulary, idf and the items × terms matrix of unit-length TF-IDF vectors. */
export interface TfidfIndex {
  vocabulary: string[];
  termIndex: Map<string, number>;
  idf: Float32Array;
  vectors: CsrMatrix;
}

/**
 * Weighted term counts of a catalog row: each title word counts `title`, each description word
 * `description`, each category (whole) `category`, the brand (whole) `brand`.
 *
 * @example
 * itemTerms(makeItem('m1', { title: 'Red mug', brand: 'Acme' }), { title: 2, description: 1, category: 1, brand: 1 });
 * // Map { 'red' => 2, 'mug' => 2, 'brand:acme' => 1 }
 */
export function itemTerms(item: Pick<Item, 'title' | 'description' | 'categories' | 'brand'>, weights: FieldWeights): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string, weight: number): void => {
    if (weight > 0) counts.set(term, (counts.get(term) ?? 0) + weight);
  };
  if (item.title) for (const t of tokenize(item.title)) add(t, weights.title);
  if (item.description) for (const t of tokenize(item.description)) add(t, weights.description);
  for (const category of new Set(item.categories)) if (category.trim() !== '') add(wholeTerm('category', category), weights.category);
  if (item.brand && item.brand.trim() !== '') add(wholeTerm('brand', item.brand), weights.brand);
  return counts;
}

/**
 * Builds the index over items 0..items-1; items without a catalog row, or whose row yields no
 * terms, get an empty vector. idf(t) = ln((1 + N) / (1 + df(t))) + 1 with N the items that have
 * terms, so a term on every item still counts a little (as scikit-learn's smoothed idf).
 */
export function buildTfidf(catalog: ReadonlyMap<number, Item>, items: number, weights: FieldWeights): TfidfIndex {
  const termIndex = new Map<string, number>();
  const vocabulary: string[] = [];
  const df: number[] = [];
  const perItem: (Map<number, number> | undefined)[] = new Array(items);
  let documents = 0;
  for (let i = 0; i < items; i++) {
    const row = catalog.get(i);
    if (row === undefined) continue;
    const counts = itemTerms(row, weights);
    if (counts.size === 0) continue;
    documents++;
    const byIndex = new Map<number, number>();
    for (const [term, count] of counts) {
      let t = termIndex.get(term);
      if (t === undefined) {
        t = vocabulary.push(term) - 1;
        termIndex.set(term, t);
        df.push(0);
      }
      df[t]!++;
      byIndex.set(t, count);
    }
    perItem[i] = byIndex;
  }
  const idf = Float32Array.from(df, (d) => Math.log((1 + documents) / (1 + d)) + 1);
  const indptr = new Int32Array(items + 1);
  const terms: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < items; i++) {
    const counts = perItem[i];
    if (counts !== undefined) {
      const vector = weigh(counts, idf);
      for (let k = 0; k < vector.terms.length; k++) {
        terms.push(vector.terms[k]!);
        values.push(vector.weights[k]!);
      }
    }
    indptr[i + 1] = terms.length;
  }
  return { vocabulary, termIndex, idf, vectors: { rows: items, cols: vocabulary.length, indptr, indices: Int32Array.from(terms), data: Float32Array.from(values) } };
}

/** tf × idf over known term indices, sorted by term and scaled to unit length (empty stays empty). */
export function weigh(counts: ReadonlyMap<number, number>, idf: Float32Array): SparseVector {
  const terms = Int32Array.from(counts.keys()).sort();
  const raw = Float64Array.from(terms, (t) => counts.get(t)! * idf[t]!);
  let norm = 0;
  for (const v of raw) norm += v * v;
  norm = Math.sqrt(norm);
  return { terms, weights: Float32Array.from(raw, (v) => (norm > 0 ? v / norm : 0)) };
}
