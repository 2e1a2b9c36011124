/**
 * `user-knn`: "shoppers like you also bought" — each query's nearest training users, scored by
 * summing what those neighbours interacted with, weighted by how similar they are.
 */
import type { Dataset } from '../../dataset/types.js';
import type { ModelArtifact } from '../artifacts.js';
import { BaseRecommender, type ModelState } from '../base.js';
import { readNeighborLists } from '../neighbors.js';
import type { FitOptions, UserQuery } from '../recommender.js';
import { silentProgress } from '../recommender.js';
import { UserHistory } from '../user-history.js';
import { UserNeighborhood, type QueryVector, type UserSimilarityKind } from './neighborhood.js';

/** The params of `user-knn`. */
export const USER_KNN_PARAMS = {
  similarity: { type: 'choice', default: 'cosine', choices: ['cosine', 'jaccard'], doc: 'how shared items become user–user similarity' },
  neighbors: { type: 'number', default: 50, min: 1, integer: true, doc: 'neighbours used per query' },
  shrink: { type: 'number', default: 0, min: 0, doc: 'added to the similarity denominator to damp users sharing few items' },
  binary: { type: 'boolean', default: true, doc: 'treat every interaction as 1 instead of its weight' },
} as const;

/**
 * User-based nearest neighbours. Neighbour lists of the training users are computed at fit time;
 * a history-only query (a new session) finds its neighbours on the fly with the same code, so
 * it needs no refit (`historyAware`).
 *
 * @example
 * const model = new UserKnn({ neighbors: 30, similarity: 'jaccard' });
 * await model.fit(dataset);
 * model.recommend({ user: 12 }, { n: 10 });
 * model.recommend({ history: [3, 17] }, { n: 10, exclude: new Set([3, 17]) });
 */
export class UserKnn extends BaseRecommender<typeof USER_KNN_PARAMS> {
  /** Reads the query's history at request time. */
  readonly historyAware = true;
  private neighborhood: UserNeighborhood | undefined;
  private history: UserHistory | undefined;
  private indptr: Int32Array = new Int32Array(1);
  private users: Int32Array = new Int32Array(0);
  private sims: Float32Array = new Float32Array(0);
  private scratchUsers = new Int32Array(0);
  private scratchSims = new Float32Array(0);

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('user-knn', USER_KNN_PARAMS, params);
  }

  /** Computes every training user's neighbour list. */
  async fit(data: Dataset, options: FitOptions = {}): Promise<void> {
    const progress = options.progress ?? silentProgress;
    const matrix = data.matrix;
    const users = matrix.rows;
    const neighborhood = this.makeNeighborhood(matrix);
    const history = new UserHistory(matrix);
    const k = Math.min(this.current.neighbors, users);
    const indptr = new Int32Array(users + 1);
    let ids = new Int32Array(users * k);
    let sims = new Float32Array(users * k);
    let written = 0;
    progress.start('user-knn neighbours', users);
    try {
      for (let u = 0; u < users; u++) {
        indptr[u] = written;
        written += neighborhood.find(this.queryVector(history, { user: u }), ids, sims, written);
        if ((u + 1) % 256 === 0) progress.tick(256);
      }
    } finally {
      progress.stop();
    }
    indptr[users] = written;
    if (written < ids.length) {
      ids = ids.slice(0, written);
      sims = sims.slice(0, written);
    }
    this.install(neighborhood, history, indptr, ids, sims, matrix.cols);
  }

  /** Σ over the query's neighbours v of sim(q, v) · x_vj; 0 for items no neighbour has. */
  scoreItems(query: UserQuery, out: Float32Array): void {
    this.checkScoreBuffer(out);
    out.fill(0);
    const neighborhood = this.neighborhood!;
    if (query.history === undefined) {
      if (query.user === undefined) return;
      this.checkUser(query.user);
      neighborhood.accumulate(this.users, this.sims, this.indptr[query.user]!, this.indptr[query.user + 1]!, out);
      return;
    }
    const found = neighborhood.find(this.queryVector(this.history!, query), this.scratchUsers, this.scratchSims, 0);
    neighborhood.accumulate(this.scratchUsers, this.scratchSims, 0, found, out);
  }

  protected exportState(): ModelState {
    return {
      arrays: { neighborIndptr: this.indptr, neighborUsers: this.users, neighborScores: this.sims, ...this.history!.toArrays() },
    };
  }

  protected importState(dir: string, artifact: ModelArtifact): void {
    const users = this.userCount;
    const keys = { indptr: 'neighborIndptr', items: 'neighborUsers', scores: 'neighborScores' };
    const { indptr, items: ids, scores: sims } = readNeighborLists(dir, artifact, keys, users, 'neighbour lists', 'users');
    const history = UserHistory.fromArtifact(dir, artifact, users, this.itemCount);
    this.install(this.makeNeighborhood(history.matrix), history, indptr, ids, sims, this.itemCount);
  }

  private makeNeighborhood(matrix: Dataset['matrix']): UserNeighborhood {
    const { similarity, neighbors, shrink, binary } = this.current;
    return new UserNeighborhood(matrix, { similarity: similarity as UserSimilarityKind, neighbors, shrink, binary });
  }

  private install(neighborhood: UserNeighborhood, history: UserHistory, indptr: Int32Array, ids: Int32Array, sims: Float32Array, items: number): void {
    this.neighborhood = neighborhood;
    this.history = history;
    this.indptr = indptr;
    this.users = ids;
    this.sims = sims;
    const k = Math.min(this.current.neighbors, history.matrix.rows);
    this.scratchUsers = new Int32Array(k);
    this.scratchSims = new Float32Array(k);
    this.itemCount = items;
    this.userCount = history.matrix.rows;
  }

  /** The query's distinct items with their weights (1 for history items, the stored weight when not binary). */
  private queryVector(history: UserHistory, query: UserQuery): QueryVector {
    const vector: QueryVector = { items: [], weights: [] };
    history.forEach(query, this.current.binary, (item, weight) => {
      vector.items.push(item);
      vector.weights.push(weight);
    });
    return vector;
  }
}
