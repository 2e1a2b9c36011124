/**
 * The training users' rows kept by history-aware models, so a query naming only a `user`
 * can be scored (and saved/loaded with the model).
 */
import type { CsrMatrix } from '../dataset/types.js';
import { corruptModelError, requireArray, type ModelArtifact, type StoredArray } from './artifacts.js';
import type { UserQuery } from './recommender.js';

/**
 * Training rows (users × items CSR) plus a reusable de-duplication stamp, turning a query into
 * (item, weight) pairs without allocating per call.
 */
export class UserHistory {
  /** users × items training matrix. */
  readonly matrix: CsrMatrix;
  private readonly stamp: Int32Array;
  private epoch = 0;

  /** Wraps a training matrix (kept by reference, not copied). */
  constructor(matrix: CsrMatrix) {
    this.matrix = matrix;
    this.stamp = new Int32Array(matrix.cols);
  }

  /** The arrays to persist under the given name prefix. */
  toArrays(): Record<string, StoredArray> {
    return { userIndptr: this.matrix.indptr, userIndices: this.matrix.indices, userData: this.matrix.data };
  }

  /** Rebuilds from a loaded artifact, checking shapes; MagpieError('corrupt') when they do not fit. */
  static fromArtifact(dir: string, artifact: ModelArtifact, users: number, items: number): UserHistory {
    const indptr = requireArray(dir, artifact, 'userIndptr', Int32Array, users + 1);
    const nnz = indptr[users]!;
    const indices = requireArray(dir, artifact, 'userIndices', Int32Array, nnz);
    const data = requireArray(dir, artifact, 'userData', Float32Array, nnz);
    for (let u = 0; u < users; u++) if (indptr[u]! > indptr[u + 1]!) throw corruptModelError(dir, 'user rows are out of order');
    for (let p = 0; p < nnz; p++) if (indices[p]! < 0 || indices[p]! >= items) throw corruptModelError(dir, 'user rows name unknown items');
    return new UserHistory({ rows: users, cols: items, indptr, indices, data });
  }

  /**
   * Calls `visit(item, weight)` once per distinct item of the query: its `history` when given
   * (weight 1; items outside the model are skipped — they are newer than the model), else the
   * user's training row (its stored weight, or 1 when `binary`).
   */
  forEach(query: UserQuery, binary: boolean, visit: (item: number, weight: number) => void): void {
    const history = query.history;
    if (history !== undefined) {
      const items = this.matrix.cols;
      const epoch = this.nextEpoch();
      for (const item of history) {
        if (!Number.isInteger(item) || item < 0 || item >= items || this.stamp[item] === epoch) continue;
        this.stamp[item] = epoch;
        visit(item, 1);
      }
      return;
    }
    const user = query.user;
    if (user === undefined) return;
    const { indptr, indices, data } = this.matrix;
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) visit(indices[p]!, binary ? 1 : data[p]!);
  }

  private nextEpoch(): number {
    if (this.epoch === 0x7fffffff) {
      this.stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}
