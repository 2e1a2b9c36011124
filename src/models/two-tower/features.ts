/**
 * What the item tower reads of a product besides its id: the words of its title and
 * description, its categories and brand (each matched whole), and its price bucket — as a
 * capped vocabulary of feature terms and, per item, a fixed number of (term, weight) slots.
 *
 * Slot weights make each field a mean: every word weighs 1/(its item's word count), every
 * category 1/(category count), the brand and the price bucket 1, so a long description does not
 * drown the category. Missing fields simply contribute no slot.
 */
import type { Item } from '../../core/types.js';
import { tokenize, wholeTerm } from '../content/text.js';

/** The fields of a catalog row the item tower reads. */
export type ItemRow = Pick<Item, 'title' | 'description' | 'categories' | 'brand' | 'price'>;

/** Limits on the vocabulary and on what one item contributes. */
export interface FeatureOptions {
  /** Most feature terms kept (the most frequent). */
  vocabulary: number;
  /** Terms on fewer items are dropped: a term on one item says nothing its id does not. */
  minCount: number;
  /** Most words read per item (title first, then description). */
  maxWords: number;
  /** Price buckets by quantile over the catalogue's prices; 0 turns price off. */
  priceBuckets: number;
}

/** The most categories read per item. */
const MAX_CATEGORIES = 8;

/** The feature terms by index and the price bucket edges. */
export interface FeatureVocabulary {
  readonly terms: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Ascending quantile edges: bucket b holds prices with exactly b edges ≤ price. */
  readonly priceEdges: Float64Array;
}

/**
 * Per item, `slots` (term, weight) pairs, row-major; unused slots hold the padding term
 * (`terms.length`) with weight 0.
 */
export interface FeatureTable {
  readonly slots: number;
  readonly ids: Int32Array;
  readonly weights: Float32Array;
}

/** Raw feature terms of a row, by field, before the vocabulary is applied. */
function rowTerms(row: ItemRow, options: FeatureOptions): { words: string[]; categories: string[]; brand: string | undefined } {
  const words = new Set<string>();
  for (const text of [row.title, row.description]) {
    if (!text) continue;
    for (const token of tokenize(text)) {
      if (words.size >= options.maxWords) break;
      words.add(token);
    }
  }
  const categories = [...new Set((row.categories ?? []).filter((c) => c.trim() !== '').map((c) => wholeTerm('category', c)))].slice(0, MAX_CATEGORIES);
  const brand = row.brand && row.brand.trim() !== '' ? wholeTerm('brand', row.brand) : undefined;
  return { words: [...words], categories, brand };
}

/** `price:<bucket>` of a price, or undefined when there is none (or price is off). */
function priceTerm(price: number | null | undefined, edges: Float64Array, buckets: number): string | undefined {
  if (buckets === 0 || typeof price !== 'number' || !Number.isFinite(price) || price <= 0) return undefined;
  let b = 0;
  while (b < edges.length && edges[b]! <= price) b++;
  return `price:${b}`;
}

/** Quantile edges splitting `prices` into up to `buckets` groups of about equal size (duplicates merged). */
export function quantileEdges(prices: readonly number[], buckets: number): Float64Array {
  const sorted = prices.filter((p) => Number.isFinite(p) && p > 0).sort((a, b) => a - b);
  if (sorted.length === 0 || buckets < 2) return new Float64Array(0);
  const edges: number[] = [];
  for (let q = 1; q < buckets; q++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / buckets))]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  // An edge at the smallest price would leave bucket 0 empty.
  if (edges[0] === sorted[0]) edges.shift();
  return Float64Array.from(edges);
}

/**
 * The vocabulary of a catalogue: terms on at least `minCount` items, the `vocabulary` most
 * frequent kept (ties in term order, so the result is the same on every run), plus every price
 * bucket. Rows are by item index; items without a row have no features.
 *
 * @example
 * const vocab = buildVocabulary(dataset.catalog, { vocabulary: 20000, minCount: 2, maxWords: 24, priceBuckets: 10 });
 */
export function buildVocabulary(catalog: ReadonlyMap<number, ItemRow>, options: FeatureOptions): FeatureVocabulary {
  const counts = new Map<string, number>();
  const prices: number[] = [];
  for (const row of catalog.values()) {
    const { words, categories, brand } = rowTerms(row, options);
    for (const term of [...words, ...categories, ...(brand ? [brand] : [])]) counts.set(term, (counts.get(term) ?? 0) + 1);
    if (typeof row.price === 'number') prices.push(row.price);
  }
  const kept = [...counts]
    .filter(([, count]) => count >= options.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.vocabulary)
    .map(([term]) => term);
  const priceEdges = options.priceBuckets > 0 ? quantileEdges(prices, options.priceBuckets) : new Float64Array(0);
  if (options.priceBuckets > 0 && prices.some((p) => p > 0)) for (let b = 0; b <= priceEdges.length; b++) kept.push(`price:${b}`);
  return { terms: kept, index: new Map(kept.map((term, t) => [term, t])), priceEdges };
}

/**
 * The (term index, weight) pairs of one row under `vocabulary`; terms outside it are dropped.
 * With `slots`, words are cut (the last first) until the pairs fit.
 *
 * @example
 * rowFeatures({ title: 'Red mug', description: null, categories: ['Kitchen'], brand: null, price: 4 }, vocab, options);
 * // [[12, 0.5], [40, 0.5], [3, 1], [101, 1]]: two words, one category, one price bucket
 */
export function rowFeatures(row: ItemRow, vocabulary: FeatureVocabulary, options: FeatureOptions, slots = Infinity): [number, number][] {
  const { words, categories, brand } = rowTerms(row, options);
  const known = (terms: readonly (string | undefined)[]): number[] =>
    terms.flatMap((term) => (term === undefined ? [] : (vocabulary.index.get(term) ?? [])));
  const fieldCategories = known(categories).slice(0, slots);
  const single = known([brand, priceTerm(row.price, vocabulary.priceEdges, options.priceBuckets)]).slice(0, Math.max(0, slots - fieldCategories.length));
  const fieldWords = known(words).slice(0, Math.max(0, slots - fieldCategories.length - single.length));
  return [
    ...fieldWords.map((t): [number, number] => [t, 1 / fieldWords.length]),
    ...fieldCategories.map((t): [number, number] => [t, 1 / fieldCategories.length]),
    ...single.map((t): [number, number] => [t, 1]),
  ];
}

/** The padded feature table of `count` items whose rows come from `rowOf` (undefined: no features). */
export function featureTable(count: number, rowOf: (item: number) => ItemRow | undefined, vocabulary: FeatureVocabulary, options: FeatureOptions, slots?: number): FeatureTable {
  const perItem = Array.from({ length: count }, (_, i) => {
    const row = rowOf(i);
    return row === undefined ? [] : rowFeatures(row, vocabulary, options, slots);
  });
  const width = slots ?? Math.max(1, ...perItem.map((f) => f.length));
  const ids = new Int32Array(count * width).fill(vocabulary.terms.length);
  const weights = new Float32Array(count * width);
  perItem.forEach((features, i) => {
    features.forEach(([t, w], s) => {
      ids[i * width + s] = t;
      weights[i * width + s] = w;
    });
  });
  return { slots: width, ids, weights };
}

/** The table with `more` appended (same slot count). */
export function appendFeatures(table: FeatureTable, more: FeatureTable): FeatureTable {
  const ids = new Int32Array(table.ids.length + more.ids.length);
  ids.set(table.ids);
  ids.set(more.ids, table.ids.length);
  const weights = new Float32Array(table.weights.length + more.weights.length);
  weights.set(table.weights);
  weights.set(more.weights, table.weights.length);
  return { slots: table.slots, ids, weights };
}
