/**
 * `item-knn`: "people who liked this also liked" — sparse top-k item–item similarities,
 * scored by summing the neighbours of the items in a user's history.
 */
import type { Dataset } from '../../dataset/types.js';
import type { ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { emptyNeighborLists, neighborsOf, readNeighborLists, scoreByNeighbors, type NeighborLists, type SimilarityKind } from '../neighbors.js';
import type { FitOptions, ScoredItem, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { UserHistory } from '../user-history.js';
import { itemNeighbors } from './similarity.js';

/** The params of `item-knn`. */
export const ITEM_KNN_PARAMS = {
  similarity: {
    type: 'choice',
    default: 'cosine',
    choices: ['cosine', 'jaccard', 'lift', 'cooccurrence'],
    doc: 'how co-occurrence becomes similarity',
  },
  neighbors: { type: 'number', default: 100, min: 1, integer: true, doc: 'neighbours kept per item' },
  shrink: { type: 'number', default: 0, min: 0, doc: 'added to the similarity denominator to damp rare pairs' },
  binary: { type: 'boolean', default: true, doc: 'treat every interaction as 1 instead of its weight' },
  alpha: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'asymmetric cosine exponent (0.5 = cosine)' },
} as const;

/**
 * Item-based nearest neighbours. Scores for a user are Σ over history items h of sim(h → j),
 * so new events change recommendations without a refit (`historyAware`).
 *
 * @example
 * const model = new ItemKnn({ similarity: 'cosine', neighbors: 50 });
 * await model.fit(dataset);
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) });
 * model.similarItems(3, { n: 5 });
 */
export class ItemKnn extends BaseRecommender<typeof ITEM_KNN_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private lists: NeighborLists = emptyNeighborLists();
  private history: UserHistory | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('item-knn', ITEM_KNN_PARAMS, params);
  }

  /** Builds the neighbour lists from the dataset's users × items matrix. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const progress = options.progress ?? silentProgress;
    const { similarity, neighbors, shrink, binary, alpha } = this.current;
    progress.start('item-knn similarities', data.matrix.cols);
    try {
      this.lists = itemNeighbors(data.matrix, {
        similarity: similarity as SimilarityKind,
        neighbors,
        shrink,
        binary,
        alpha,
        onItem: (done) => {
          if (done % 256 === 0) progress.tick(done);
        },
      });
    } finally {
      progress.stop();
    }
    this.history = new UserHistory(data.matrix);
    this.itemCount = data.matrix.cols;
    this.userCount = data.matrix.rows;
  }

  /** Σ over the query's items h of sim(h → j); 0 for items no history item points to. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    if (query.history === undefined && query.user !== undefined) this.checkUser(query.user);
    scoreByNeighbors(this.lists, this.history!, query, this.current.binary, out);
  }

  /** The item's stored neighbours, best first (at most `neighbors` of them). */
  override similarItems(item: number, options: { n: number }): ScoredItem[] {
    this.requireFitted();
    this.checkItem(item);
    return neighborsOf(this.lists, item, options.n);
  }

  protected exportState(): ModelState {
    return {
      arrays: { neighborIndptr: this.lists.indptr, neighborItems: this.lists.items, neighborScores: this.lists.scores, ...this.history!.toArrays() },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const n = this.itemCount;
    const keys = { indptr: 'neighborIndptr', items: 'neighborItems', scores: 'neighborScores' };
    const lists = readNeighborLists(dir, artifact, keys, n, 'neighbour lists', 'items');
    const history = UserHistory.fromArtifact(dir, artifact, this.userCount, n);
    this.lists = lists;
    this.history = history;
  }
}
