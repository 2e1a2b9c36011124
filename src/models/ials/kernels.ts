/**
 * The per-row solves of implicit ALS (Hu, Koren & Volinsky 2008). For a row u with observed
 * columns i (confidence c = 1 + extra) and the other side's factors Y, the new vector solves
 *
 *   (YᵀY + λI + Σ_i extra_i · y_i y_iᵀ) x = Σ_i c_i · y_i
 *
 * YᵀY + λI is shared by all rows and computed once per half-iteration (the "YᵀY trick"), so a
 * row costs O(nnz·k) with conjugate gradient (Takács, Pilászy & Tikk 2011) or O(nnz·k² + k³)
 * with an exact Cholesky solve.
 *
 * Every function here is self-contained (no imports, no closures, no nested functions): their
 * source text is also what the helper threads run, which keeps both paths bit-identical.
 */

/** Sizes of the Float64 scratch one thread needs for rank-k solves. */
export function alsScratchLength(k: number): number {
  return k * k + 4 * k;
}

/**
 * out = FᵀF + ridge·I for row-major factors F (rows × k), accumulated in float64.
 * Only the upper triangle is summed, then mirrored.
 */
export function gramWithRidge(factors: Float32Array, rows: number, k: number, ridge: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) {
      const fa = factors[base + a]!;
      if (fa === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] = out[row + b]! + fa * factors[base + b]!;
    }
  }
  for (let a = 0; a < k; a++) {
    out[a * k + a] = out[a * k + a]! + ridge;
    for (let b = a + 1; b < k; b++) out[b * k + a] = out[a * k + b]!;
  }
}

/**
 * Solves A·x = b in place for a small SPD matrix whose lower triangle (diagonal included) holds A:
 * `a` is overwritten by the Cholesky factor, `b` by x. Throws when A is not positive definite.
 */
export function choleskyInPlace(a: Float64Array, k: number, b: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const rj = j * k;
    let d = a[rj + j]!;
    for (let t = 0; t < j; t++) d -= a[rj + t]! * a[rj + t]!;
    if (!(d > 0)) throw new Error(`ials: normal equations not positive definite at pivot ${j}`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = a[ri + j]!;
      for (let t = 0; t < j; t++) s -= a[ri + t]! * a[rj + t]!;
      a[ri + j] = s * inv;
    }
  }
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= a[ri + t]! * b[t]!;
    b[i] = s / a[ri + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let t = i + 1; t < k; t++) s -= a[t * k + i]! * b[t]!;
    b[i] = s / a[i * k + i]!;
  }
}

/**
 * The exact solution for one row whose entries are `cols[from..to)` with `extra` = c − 1,
 * written into `x` (length k). `a` is k×k scratch. Used by training and by fold-in alike.
 */
export function exactRowSolve(
  cols: Int32Array,
  extra: Float32Array,
  from: number,
  to: number,
  other: Float32Array,
  gram: Float64Array,
  k: number,
  a: Float64Array,
  x: Float64Array,
): void {
  for (let t = 0; t < k * k; t++) a[t] = gram[t]!;
  x.fill(0);
  for (let p = from; p < to; p++) {
    const base = cols[p]! * k;
    const e = extra[p]!;
    const c = e + 1;
    for (let r = 0; r < k; r++) {
      const yr = other[base + r]!;
      x[r] = x[r]! + c * yr;
      const s = e * yr;
      const row = r * k;
      for (let t = 0; t <= r; t++) a[row + t] = a[row + t]! + s * other[base + t]!;
    }
  }
  choleskyInPlace(a, k, x);
}

/**
 * Rows [start, end) by a few warm-started conjugate-gradient steps: each step costs one k×k
 * product with the shared Gram matrix and two passes over the row's entries, never forming
 * the row's own k×k matrix.
 */
export function cgRows(
  indptr: Int32Array,
  cols: Int32Array,
  extra: Float32Array,
  other: Float32Array,
  target: Float32Array,
  gram: Float64Array,
  k: number,
  steps: number,
  start: number,
  end: number,
  scratch: Float64Array,
): void {
  const x = scratch.subarray(0, k);
  const r = scratch.subarray(k, 2 * k);
  const p = scratch.subarray(2 * k, 3 * k);
  const ap = scratch.subarray(3 * k, 4 * k);
  for (let u = start; u < end; u++) {
    const base = u * k;
    if (indptr[u] === indptr[u + 1]) {
      // An empty row's exact solution is zero; CG from a random start would only approach it.
      target.fill(0, base, base + k);
      continue;
    }
    for (let f = 0; f < k; f++) x[f] = target[base + f]!;
    // r = b − A·x with A = gram + Σ extra·y yᵀ and b = Σ c·y.
    for (let f = 0; f < k; f++) {
      const row = f * k;
      let s = 0;
      for (let g = 0; g < k; g++) s += gram[row + g]! * x[g]!;
      r[f] = -s;
    }
    for (let q = indptr[u]!; q < indptr[u + 1]!; q++) {
      const yb = cols[q]! * k;
      const e = extra[q]!;
      let d = 0;
      for (let f = 0; f < k; f++) d += other[yb + f]! * x[f]!;
      const w = e + 1 - e * d;
      for (let f = 0; f < k; f++) r[f] = r[f]! + w * other[yb + f]!;
    }
    let rsOld = 0;
    for (let f = 0; f < k; f++) {
      p[f] = r[f]!;
      rsOld += r[f]! * r[f]!;
    }
    for (let step = 0; step < steps && rsOld > 1e-20; step++) {
      for (let f = 0; f < k; f++) {
        const row = f * k;
        let s = 0;
        for (let g = 0; g < k; g++) s += gram[row + g]! * p[g]!;
        ap[f] = s;
      }
      for (let q = indptr[u]!; q < indptr[u + 1]!; q++) {
        const yb = cols[q]! * k;
        let d = 0;
        for (let f = 0; f < k; f++) d += other[yb + f]! * p[f]!;
        const w = extra[q]! * d;
        for (let f = 0; f < k; f++) ap[f] = ap[f]! + w * other[yb + f]!;
      }
      let pap = 0;
      for (let f = 0; f < k; f++) pap += p[f]! * ap[f]!;
      if (!(pap > 0)) break;
      const alpha = rsOld / pap;
      let rsNew = 0;
      for (let f = 0; f < k; f++) {
        x[f] = x[f]! + alpha * p[f]!;
        r[f] = r[f]! - alpha * ap[f]!;
        rsNew += r[f]! * r[f]!;
      }
      const beta = rsNew / rsOld;
      for (let f = 0; f < k; f++) p[f] = r[f]! + beta * p[f]!;
      rsOld = rsNew;
    }
    for (let f = 0; f < k; f++) target[base + f] = x[f]!;
  }
}

/** Rows [start, end) solved exactly (see {@link exactRowSolve}). */
export function choleskyRows(
  indptr: Int32Array,
  cols: Int32Array,
  extra: Float32Array,
  other: Float32Array,
  target: Float32Array,
  gram: Float64Array,
  k: number,
  start: number,
  end: number,
  scratch: Float64Array,
): void {
  const a = scratch.subarray(0, k * k);
  const x = scratch.subarray(k * k, k * k + k);
  for (let u = start; u < end; u++) {
    exactRowSolve(cols, extra, indptr[u]!, indptr[u + 1]!, other, gram, k, a, x);
    const base = u * k;
    for (let f = 0; f < k; f++) target[base + f] = x[f]!;
  }
}

/**
 * One half-iteration's share for one thread: rows are claimed in chunks from a shared cursor
 * (`buffers.cursor`), so fast threads take more and the result does not depend on who solved
 * which row. args: [0] side (0 = users, 1 = items), [1] k, [2] exact (1) or CG (0),
 * [3] CG steps, [4] rows, [5] chunk size.
 */
export function alsWork(buffers: Readonly<Record<string, ArrayBufferLike>>, args: Float64Array, worker: number): void {
  void worker;
  const users = args[0] === 0;
  const k = args[1]!;
  const exact = args[2] === 1;
  const steps = args[3]!;
  const rows = args[4]!;
  const chunk = args[5]!;
  const indptr = new Int32Array(users ? buffers['userIndptr']! : buffers['itemIndptr']!);
  const cols = new Int32Array(users ? buffers['userCols']! : buffers['itemCols']!);
  const extra = new Float32Array(users ? buffers['userExtra']! : buffers['itemExtra']!);
  const target = new Float32Array(users ? buffers['userFactors']! : buffers['itemFactors']!);
  const other = new Float32Array(users ? buffers['itemFactors']! : buffers['userFactors']!);
  const gram = new Float64Array(buffers['gram']!);
  const cursor = new Int32Array(buffers['cursor']!);
  const scratch = new Float64Array(k * k + 4 * k);
  for (;;) {
    const start = Atomics.add(cursor, 0, chunk);
    if (start >= rows) break;
    const end = Math.min(rows, start + chunk);
    if (exact) choleskyRows(indptr, cols, extra, other, target, gram, k, start, end, scratch);
    else cgRows(indptr, cols, extra, other, target, gram, k, steps, start, end, scratch);
  }
}

/** The kernel source shipped to helper threads (see `math/thread-gang.ts`). */
export const ALS_KERNEL = {
  source: [choleskyInPlace, exactRowSolve, cgRows, choleskyRows, alsWork].map((f) => f.toString()).join('\n'),
  entry: 'alsWork',
} as const;
