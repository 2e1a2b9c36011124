/**
 * `content`: recommendations from what items are, not who bought them — TF-IDF over titles,
 * descriptions, categories and brands, so a new item nobody has touched can be recommended.
 */
import type { Item } from '../../core/types.js';
import { transpose } from '../../dataset/csr.js';
import type { CsrMatrix, Dataset } from '../../dataset/types.js';
import { topK } from '../../math/topk.js';
import { corruptModelError, requireArray, type ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { UserHistory } from '../user-history.js';
import { buildTfidf, itemTerms, weigh, type FieldWeights, type SparseVector } from './tfidf.js';
import { tokenize } from './text.js';

export type { SparseVector } from './tfidf.js';

/** The params of `content`. */
export const CONTENT_PARAMS = {
  titleWeight: { type: 'number', default: 2, min: 0, doc: 'weight of each title word' },
  descriptionWeight: { type: 'number', default: 1, min: 0, doc: 'weight of each description word' },
  categoryWeight: { type: 'number', default: 1, min: 0, doc: 'weight of each category (matched whole)' },
  brandWeight: { type: 'number', default: 1, min: 0, doc: 'weight of the brand (matched whole)' },
  binary: { type: 'boolean', default: true, doc: "sum a user's item vectors unweighted instead of by interaction weight" },
} as const;

/**
 * Content-based recommender. A query's profile is the (weighted) sum of its items' unit TF-IDF
 * vectors; every item with catalog text scores the cosine between the profile and its vector —
 * interactions play no part, so items nobody has touched score like any other. Items without
 * catalog text score -Infinity.
 *
 * @example
 * const model = new Content({ titleWeight: 3 });
 * await model.fit(dataset);
 * model.recommend({ history: [12] }, { n: 10, exclude: new Set([12]) });
 * model.similarToVector(model.embedText('red enamel mug'), { n: 5 }); // for an item not in the dataset
 */
export class Content extends BaseRecommender<typeof CONTENT_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private vocabulary: string[] = [];
  private termIndex = new Map<string, number>();
  private idf: Float32Array = new Float32Array(0);
  private vectors: CsrMatrix = { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), data: new Float32Array(0) };
  private postings: CsrMatrix = this.vectors;
  private history: UserHistory | undefined;
  private profile: Float64Array = new Float64Array(0);
  private touched: Int32Array = new Int32Array(0);
  private acc: Float64Array = new Float64Array(0);

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('content', CONTENT_PARAMS, params);
  }

  /** Builds the vocabulary and item vectors from `data.catalog`. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    void options;
    const index = buildTfidf(data.catalog, data.matrix.cols, this.fieldWeights());
    this.install(index.vocabulary, index.idf, index.vectors, new UserHistory(data.matrix));
  }

  /** Cosine between the query's profile and every item; -Infinity for items without text. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    if (query.history === undefined && query.user !== undefined) this.checkUser(query.user);
    const { indptr, indices, data } = this.vectors;
    const profile = this.profile;
    let count = 0;
    this.history!.forEach(query, this.current.binary, (h, weight) => {
      for (let p = indptr[h]!; p < indptr[h + 1]!; p++) {
        const t = indices[p]!;
        // 0 marks a term not yet in the profile: every contribution is positive, so a used term
        // never reads 0 again.
        if (profile[t] === 0) this.touched[count++] = t;
        profile[t] = profile[t]! + weight * data[p]!;
      }
    });
    this.scoreTerms(this.touched.subarray(0, count), out);
  }

  /** Items whose text is closest to `item`'s, best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    const { indptr, indices, data } = this.vectors;
    const vector = { terms: indices.subarray(indptr[item]!, indptr[item + 1]!), weights: data.subarray(indptr[item]!, indptr[item + 1]!) };
    return this.similarToVector(vector, { n: options.n, exclude: new Set([item]) });
  }

  /**
   * The unit TF-IDF vector of free text (a new product's title and description), over this
   * model's vocabulary; words the catalog never used are dropped, since they have no idf.
   *
   * @example
   * const vector = model.embedText('Vintage red enamel mug');
   */
  embedText(text: string): SparseVector {
    this.requireFitted();
    const counts = new Map<number, number>();
    for (const token of tokenize(text)) {
      const t = this.termIndex.get(token);
      if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return weigh(counts, this.idf);
  }

  /** The unit TF-IDF vector of a catalog row not in the dataset, weighted by field like the fitted items. */
  embedItem(item: Pick<Item, 'title' | 'description' | 'categories' | 'brand'>): SparseVector {
    this.requireFitted();
    const counts = new Map<number, number>();
    for (const [term, count] of itemTerms(item, this.fieldWeights())) {
      const t = this.termIndex.get(term);
      if (t !== undefined) counts.set(t, count);
    }
    return weigh(counts, this.idf);
  }

  /** Fitted items closest to a vector from {@link embedText} or {@link embedItem}, best first. */
  similarToVector(vector: SparseVector, options: { n: number; exclude?: ReadonlySet<number> }): ScoredItem[] {
    this.requireFitted();
    let count = 0;
    for (let k = 0; k < vector.terms.length; k++) {
      const t = vector.terms[k]!;
      if (!(t >= 0 && t < this.vocabulary.length)) continue;
      if (this.profile[t] === 0) this.touched[count++] = t;
      this.profile[t] = this.profile[t]! + vector.weights[k]!;
    }
    const out = new Float32Array(this.itemCount);
    this.scoreTerms(this.touched.subarray(0, count), out);
    return topK(out, options.n, { exclude: options.exclude });
  }

  /** The vocabulary terms (words, `category:…`, `brand:…`) by term index. */
  terms(): readonly string[] {
    return this.vocabulary;
  }

  /** Scores every item against the profile held in `this.profile` at `terms`, then clears it. */
  private scoreTerms(terms: Int32Array, out: Float32Array): void {
    const profile = this.profile;
    let norm = 0;
    for (const t of terms) norm += profile[t]! * profile[t]!;
    norm = Math.sqrt(norm);
    const acc = this.acc;
    acc.fill(0);
    const { indptr, indices, data } = this.postings;
    for (const t of terms) {
      const w = norm > 0 ? profile[t]! / norm : 0;
      profile[t] = 0;
      if (w === 0) continue;
      for (let p = indptr[t]!; p < indptr[t + 1]!; p++) acc[indices[p]!] = acc[indices[p]!]! + w * data[p]!;
    }
    const rows = this.vectors.indptr;
    for (let j = 0; j < out.length; j++) out[j] = rows[j + 1]! > rows[j]! ? acc[j]! : -Infinity;
  }

  private fieldWeights(): FieldWeights {
    const { titleWeight, descriptionWeight, categoryWeight, brandWeight } = this.current;
    return { title: titleWeight, description: descriptionWeight, category: categoryWeight, brand: brandWeight };
  }

  private install(vocabulary: string[], idf: Float32Array, vectors: CsrMatrix, history: UserHistory): void {
    this.vocabulary = vocabulary;
    this.termIndex = new Map(vocabulary.map((term, t) => [term, t]));
    this.idf = idf;
    this.vectors = vectors;
    this.postings = transpose(vectors);
    this.history = history;
    this.profile = new Float64Array(vocabulary.length);
    this.touched = new Int32Array(vocabulary.length);
    this.acc = new Float64Array(vectors.rows);
    this.itemCount = vectors.rows;
    this.userCount = history.matrix.rows;
  }

  protected exportState(): ModelState {
    return {
      arrays: {
        vocabulary: new TextEncoder().encode(this.vocabulary.join('\n')),
        idf: this.idf,
        vectorIndptr: this.vectors.indptr,
        vectorTerms: this.vectors.indices,
        vectorWeights: this.vectors.data,
        ...this.history!.toArrays(),
      },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const bytes = requireArray(dir, artifact, 'vocabulary', Uint8Array);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw corruptModelError(dir, 'the vocabulary is not valid UTF-8');
    }
    const idf = requireArray(dir, artifact, 'idf', Float32Array);
    const vocabulary = idf.length === 0 ? [] : text.split('\n');
    if (vocabulary.length !== idf.length) throw corruptModelError(dir, `the vocabulary has ${vocabulary.length} terms for ${idf.length} idf values`);
    const indptr = requireArray(dir, artifact, 'vectorIndptr', Int32Array, n + 1);
    const terms = requireArray(dir, artifact, 'vectorTerms', Int32Array, indptr[n]);
    const weights = requireArray(dir, artifact, 'vectorWeights', Float32Array, indptr[n]);
    for (let i = 0; i < n; i++) if (indptr[i]! > indptr[i + 1]!) throw corruptModelError(dir, 'item vectors are out of order');
    for (const t of terms) if (t < 0 || t >= idf.length) throw corruptModelError(dir, 'item vectors name unknown terms');
    const history = UserHistory.fromArtifact(dir, artifact, this.userCount, n);
    this.install(vocabulary, idf, { rows: n, cols: idf.length, indptr, indices: terms, data: weights }, history);
  }
}
