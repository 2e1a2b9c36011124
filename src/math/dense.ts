/**
 * Dense Float64 kernels for symmetric matrices stored row-major in one flat array
 * (entry (i, j) of an n×n matrix at `i * n + j`).
 */
import { MagpieError } from '../core/errors.js';
import { transpose } from '../dataset/csr.js';
import type { CsrMatrix } from '../dataset/types.js';
import { rankUpdateUpper } from './rank-update.js';
import { RankUpdateHelper } from './rank-update-worker.js';

/**
 * The Gram matrix XᵀX (cols × cols) of a sparse matrix, exploiting sparsity: each row adds the
 * outer product of its nonzeros. With `binary`, every stored entry counts as 1 (co-occurrence counts).
 *
 * Items are visited in order and each row's columns are sorted, so a per-row cursor finds where
 * item i sits in the row and only the upper triangle (j ≥ i) is accumulated — half the work, and
 * every write lands in one output row that stays in cache. The lower triangle is mirrored at the end.
 *
 * @example
 * const g = gramFromCsr(csrFromTriples(2, 2, Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), Float32Array.of(1, 1, 1)), true);
 * // g = [1, 1, 1, 2]
 */
export function gramFromCsr(m: CsrMatrix, binary = false): Float64Array {
  const n = m.cols;
  const g = new Float64Array(n * n);
  const byCol = transpose(m);
  const cursor = m.indptr.slice(0, m.rows);
  const rowEnd = m.indptr;
  const indices = m.indices;
  const values = m.data;
  for (let i = 0; i < n; i++) {
    const base = i * n;
    for (let p = byCol.indptr[i]!; p < byCol.indptr[i + 1]!; p++) {
      const u = byCol.indices[p]!;
      const start = cursor[u]!++;
      const end = rowEnd[u + 1]!;
      if (binary) {
        for (let q = start; q < end; q++) g[base + indices[q]!]! += 1;
      } else {
        const vi = byCol.data[p]!;
        for (let q = start; q < end; q++) g[base + indices[q]!]! += vi * values[q]!;
      }
    }
  }
  mirrorUpper(g, n);
  return g;
}

/** Copies the upper triangle onto the lower one, in tiles so both sides stay in cache. */
export function mirrorUpper(a: Float64Array, n: number): void {
  const tile = 64;
  for (let i0 = 0; i0 < n; i0 += tile) {
    for (let j0 = i0; j0 < n; j0 += tile) {
      const iEnd = Math.min(n, i0 + tile);
      const jEnd = Math.min(n, j0 + tile);
      for (let i = i0; i < iEnd; i++) {
        for (let j = Math.max(j0, i + 1); j < jEnd; j++) a[j * n + i] = a[i * n + j]!;
      }
    }
  }
}

/** Options of {@link invertSpd}. */
export interface InvertOptions {
  /** Overwrite the input instead of allocating the result (saves n² × 8 bytes). */
  inPlace?: boolean;
  /** Pivot block width; 64 balances the rank-b update against the cache. */
  blockSize?: number;
  /** Called after each pivot block with the number of rows done, for progress bars. */
  onBlock?: (done: number, total: number) => void;
  /** Threads to use; 2 or more runs the update on a second thread for n ≥ 512 (default 1). */
  threads?: number;
}

/**
 * The inverse of a symmetric positive-definite matrix by a blocked symmetric sweep
 * (Gauss–Jordan without pivoting, which is stable for SPD input).
 *
 * Why a sweep rather than Cholesky + triangular inverse: both cost n³ flops when symmetry is
 * exploited, but the sweep spends nearly all of them in one rank-b update kernel over the upper
 * triangle, which runs as a tight contiguous loop — simpler and faster in plain TypeScript than
 * the three different triangular kernels Cholesky needs.
 *
 * Throws MagpieError('invalid_input') when the matrix is not positive definite.
 * For n in the thousands, `invertSpdOnEngine` (`spd-inverse.ts`) is ~5× faster in float32.
 *
 * @example
 * invertSpd(Float64Array.of(4, 2, 2, 3), 2); // [0.375, -0.25, -0.25, 0.5]
 */
export function invertSpd(a: Float64Array, n: number, options: InvertOptions = {}): Float64Array {
  if (a.length !== n * n) {
    throw new MagpieError('invalid_input', `matrix has ${a.length} entries, expected ${n}×${n}`);
  }
  const block = Math.max(1, Math.min(n, Math.floor(options.blockSize ?? 64)));
  const helper = (options.threads ?? 1) >= 2 && n >= 512 ? RankUpdateHelper.start(n, block) : undefined;
  try {
    if (helper === undefined) {
      const m = options.inPlace ? a : a.slice();
      sweepAll(m, n, block, new Float64Array(n * block), new Float64Array(block * n), options.onBlock);
      return m;
    }
    // The helper thread can only see shared memory, so the work happens in a shared copy.
    helper.matrix.set(a);
    sweepAll(helper.matrix, n, block, helper.weighted, helper.transposed, options.onBlock, helper);
    const out = options.inPlace ? a : new Float64Array(n * n);
    out.set(helper.matrix);
    return out;
  } finally {
    helper?.close();
  }
}

/** The blocked sweep over all pivot blocks; leaves A⁻¹ in `m`. */
function sweepAll(
  m: Float64Array,
  n: number,
  block: number,
  weighted: Float64Array,
  colT: Float64Array,
  onBlock: InvertOptions['onBlock'],
  helper?: RankUpdateHelper,
): void {
  const colBlock = new Float64Array(n * block); // A[:, K] before the sweep, row i at i*bs
  const pivot = new Float64Array(block * block);

  for (let k0 = 0; k0 < n; k0 += block) {
    const k1 = Math.min(n, k0 + block);
    const bs = k1 - k0;
    for (let r = 0; r < bs; r++) {
      for (let c = 0; c < bs; c++) {
        pivot[r * bs + c] = r <= c ? m[(k0 + r) * n + k0 + c]! : m[(k0 + c) * n + k0 + r]!;
      }
    }
    sweepSmall(pivot, bs, k0);

    // Only the upper triangle is kept current: A[i, K] lives in row i for i < k0, in rows K for i ≥ k1.
    colBlock.fill(0, 0, n * bs);
    for (let i = 0; i < k0; i++) {
      for (let kk = 0; kk < bs; kk++) colBlock[i * bs + kk] = m[i * n + k0 + kk]!;
    }
    for (let kk = 0; kk < bs; kk++) {
      const row = (k0 + kk) * n;
      for (let i = k1; i < n; i++) colBlock[i * bs + kk] = m[row + i]!;
    }
    for (let i = 0; i < n; i++) {
      for (let kk = 0; kk < bs; kk++) colT[kk * n + i] = colBlock[i * bs + kk]!;
    }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < bs; c++) {
        let s = 0;
        for (let kk = 0; kk < bs; kk++) s += colBlock[i * bs + kk]! * pivot[kk * bs + c]!;
        weighted[i * bs + c] = s;
      }
    }

    if (helper) helper.update(bs, k0, k1);
    else rankUpdateUpper(m, n, weighted, colT, bs, k0, k1, 0, n);

    for (let i = 0; i < k0; i++) {
      for (let kk = 0; kk < bs; kk++) m[i * n + k0 + kk] = weighted[i * bs + kk]!;
    }
    for (let kk = 0; kk < bs; kk++) {
      const row = (k0 + kk) * n;
      for (let i = k1; i < n; i++) m[row + i] = weighted[i * bs + kk]!;
      for (let c = 0; c < bs; c++) m[row + k0 + c] = -pivot[kk * bs + c]!;
    }
    onBlock?.(k1, n);
  }

  // A full sweep leaves −A⁻¹ in the upper triangle.
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) m[i * n + j] = -m[i * n + j]!;
  }
  mirrorUpper(m, n);
}

/** In-place inverse of a small full symmetric SPD block by an unblocked sweep. */
function sweepSmall(p: Float64Array, b: number, offset: number): void {
  for (let k = 0; k < b; k++) {
    const d = p[k * b + k]!;
    if (!(d > 0) || !Number.isFinite(d)) throw notPositiveDefinite(offset + k);
    const inv = 1 / d;
    for (let i = 0; i < b; i++) {
      if (i === k) continue;
      const f = p[i * b + k]! * inv;
      if (f === 0) continue;
      for (let j = 0; j < b; j++) if (j !== k) p[i * b + j]! -= f * p[k * b + j]!;
    }
    for (let j = 0; j < b; j++) {
      if (j === k) continue;
      p[k * b + j]! *= inv;
      p[j * b + k]! *= inv;
    }
    p[k * b + k] = -inv;
  }
  for (let i = 0; i < b * b; i++) p[i] = -p[i]!;
}

function notPositiveDefinite(row: number): MagpieError {
  return new MagpieError('invalid_input', `matrix is not positive definite (pivot ${row} is not positive)`, {
    hint: 'add a ridge term to the diagonal (e.g. raise lambda / regularization)',
  });
}

/**
 * Overwrites the lower triangle of the SPD matrix `a` (n×n, row-major) with its Cholesky factor L
 * (A = L·Lᵀ); the strict upper triangle is left untouched. Meant for small systems (n ≲ 500).
 */
export function choleskyFactor(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0)) throw notPositiveDefinite(j);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s * inv;
    }
  }
}

/**
 * Solves A·x = b for a small SPD matrix A (n×n, row-major) by Cholesky. Both arguments are
 * overwritten — `a` with its factor, `b` with the solution (returned) — so hot loops (one solve
 * per user in ALS) allocate nothing.
 *
 * @example
 * choleskySolve(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(2, 1)); // [0.5, 0]
 */
export function choleskySolve(a: Float64Array, n: number, b: Float64Array): Float64Array {
  choleskyFactor(a, n);
  // Forward: L·y = b.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[ri + k]! * b[k]!;
    b[i] = s / a[ri + i]!;
  }
  // Back: Lᵀ·x = y.
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * b[k]!;
    b[i] = s / a[i * n + i]!;
  }
  return b;
}
