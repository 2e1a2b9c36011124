/**
 * The serving half of the factor models that fold in history-only queries (`bpr`, `lightgcn`):
 * user and item vectors, scoring by dot products, similar items by cosine. Each model brings its
 * own training and its own fold-in.
 */
import { BaseRecommender, type ParamSpecs } from './base.js';
import { cosineSimilarItems, dotScores, factorNorms } from './factors.js';
import type { ScoredItem, UserQuery } from './recommender.js';

/**
 * A model scoring by b_j + x · v_j: x a known user's trained vector (a history-only query's
 * fold-in), v_j item j's vector, b_j its bias where the model has biases; untrained items score
 * -Infinity. Vectors are row-major float32, `factors` per row. `historyAware` is false because a
 * known user's stored vector, trained jointly with the items, is better than re-deriving one, and
 * fold-in is approximate.
 */
export abstract class FactorModel<S extends ParamSpecs & { readonly factors: { readonly type: 'number' } }> extends BaseRecommender<S> {
  /** Known users are scored from their trained vectors (history-only queries are folded in). */
  readonly historyAware = false;
  protected userVectors: Float32Array = new Float32Array(0);
  protected itemVectors: Float32Array = new Float32Array(0);
  /** Added to every item's score; undefined for a model without biases. */
  protected itemBias: Float32Array | undefined;
  /** 1 where the item had training interactions; the others score -Infinity. */
  protected itemKnown: Uint8Array = new Uint8Array(0);
  /** The fold-in's output, reused by every call. */
  protected queryVector: Float32Array = new Float32Array(0);
  private itemNorms: Float64Array = new Float64Array(0);

  /** A user vector for a history (a buffer that the next call may reuse). */
  abstract foldIn(history: readonly number[]): Float32Array;

  /** b_j + x · v_j for every item, x the user's vector (or the history's fold-in); -Infinity for untrained items. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    const k = this.factorCount;
    let vector: Float32Array;
    if (query.user !== undefined) {
      this.checkUser(query.user);
      vector = this.userVectors.subarray(query.user * k, query.user * k + k);
    } else {
      vector = this.foldIn(query.history ?? []);
    }
    dotScores(vector, this.itemVectors, k, this.itemKnown, out, this.itemBias);
  }

  /** Items whose vectors point the same way as `item`'s (cosine; biases left out), best first. */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    return cosineSimilarItems(this.itemVectors, this.itemNorms, this.factorCount, this.itemKnown, item, options.n);
  }

  /** Takes fitted or loaded vectors, caching the item norms and sizing the fold-in buffer. */
  protected installVectors(users: Float32Array, items: Float32Array, known: Uint8Array, bias?: Float32Array): void {
    const k = this.factorCount;
    this.userVectors = users;
    this.itemVectors = items;
    this.itemBias = bias;
    this.itemKnown = known;
    // Float64 so cosines match the unrounded norms they were computed from before caching.
    this.itemNorms = new Float64Array(known.length);
    factorNorms(items, k, this.itemNorms);
    this.queryVector = new Float32Array(k);
  }

  /** The `factors` param in force. */
  protected get factorCount(): number {
    // `S` is generic here, so its resolved `factors` is not known to be a number until narrowed.
    return (this.current as { factors: number }).factors;
  }
}
