/**
 * A second thread for the rank-b update of the blocked SPD inverse: a one-helper
 * {@link ThreadGang} running the kernels of `rank-update.ts`, one round trip per pivot block.
 */
import { rankUpdateJob, rankUpdateUpper, updateRows } from './rank-update.js';
import { ThreadGang, type GangKernel } from './thread-gang.js';

const RANK_UPDATE_KERNEL: GangKernel = {
  source: [updateRows, rankUpdateUpper, rankUpdateJob].map(String).join('\n'),
  entry: 'rankUpdateJob',
};

/** Shared buffers of one inversion plus the helper thread working on them. */
export class RankUpdateHelper {
  /** The matrix being inverted, in shared memory. */
  readonly matrix: Float64Array;
  /** A[:, K] · A_KK⁻¹, row i at i * blockSize. */
  readonly weighted: Float64Array;
  /** A[:, K] transposed, row k at k * n. */
  readonly transposed: Float64Array;

  /**
   * Starts a helper for an n×n matrix with pivot blocks up to `blockSize` wide, or returns
   * undefined when the thread does not come up (the caller then works alone).
   */
  static start(n: number, blockSize: number): RankUpdateHelper | undefined {
    const buffers = {
      matrix: new SharedArrayBuffer(n * n * 8),
      weighted: new SharedArrayBuffer(n * blockSize * 8),
      transposed: new SharedArrayBuffer(blockSize * n * 8),
    };
    const gang = ThreadGang.start(RANK_UPDATE_KERNEL, 1, buffers);
    return gang === undefined ? undefined : new RankUpdateHelper(n, gang, buffers);
  }

  private constructor(
    private readonly n: number,
    private readonly gang: ThreadGang,
    buffers: { matrix: SharedArrayBuffer; weighted: SharedArrayBuffer; transposed: SharedArrayBuffer },
  ) {
    this.matrix = new Float64Array(buffers.matrix);
    this.weighted = new Float64Array(buffers.weighted);
    this.transposed = new Float64Array(buffers.transposed);
  }

  /**
   * Runs one block's update on both threads: the helper takes rows [0, split), this thread the
   * rest. Upper-triangle row i costs n − i, so the split at n(1 − 1/√2) halves the work.
   */
  update(bs: number, k0: number, k1: number): void {
    const n = this.n;
    const split = Math.round(n * (1 - Math.SQRT1_2));
    this.gang.args.set([n, bs, k0, k1, 0, split]);
    this.gang.run(() => rankUpdateUpper(this.matrix, n, this.weighted, this.transposed, bs, k0, k1, split, n));
  }

  /** Stops the helper thread. */
  close(): void {
    this.gang.close();
  }
}
