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
  // The larger of CG's four vectors and an exact solve's scratch followed by its x.
  return Math.max(4 * k, exactScratchLength(k) + k);
}

/**
 * out = FᵀF + ridge·I for row-major factors F (rows × k), accumulated in float64.
 * Only the upper triangle is summed, then mirrored.
 */
export function gramWithRidge(factors: Float32Array, rows: number, k: number, ridge: number, out: Float64Array): void {
  out.fill(0);
  // Two factor rows per pass: each element of the triangle is loaded and stored half as often.
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const b0 = r * k;
    const b1 = b0 + k;
    for (let a = 0; a < k; a++) {
      const f0 = factors[b0 + a]!;
      const f1 = factors[b1 + a]!;
      if (f0 === 0 && f1 === 0) continue;
      const row = a * k;
      for (let b = a; b < k; b++) out[row + b] = out[row + b]! + f0 * factors[b0 + b]! + f1 * factors[b1 + b]!;
    }
  }
  for (; r < rows; r++) {
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
      // Four partial sums: one running sum would wait on each add's latency.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t = 0;
      for (; t + 3 < j; t += 4) {
        s0 += a[ri + t]! * a[rj + t]!;
        s1 += a[ri + t + 1]! * a[rj + t + 1]!;
        s2 += a[ri + t + 2]! * a[rj + t + 2]!;
        s3 += a[ri + t + 3]! * a[rj + t + 3]!;
      }
      for (; t < j; t++) s0 += a[ri + t]! * a[rj + t]!;
      a[ri + j] = (a[ri + j]! - (s0 + s1 + s2 + s3)) * inv;
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
 * Length of the Float64 scratch {@link exactRowSolve} needs for rank `k`: the k×k matrix, then a
 * block of 32 entries gathered twice (k × 32 each).
 */
export function exactScratchLength(k: number): number {
  return k * k + 64 * k;
}

/**
 * The exact solution for one row whose entries are `cols[from..to)` with `extra` = c − 1,
 * written into `x` (length k). `scratch` holds the k×k matrix first, then room for a block of
 * entries (see {@link exactScratchLength}). Used by training and by fold-in alike.
 *
 * The row's part of the matrix, Σ extra·y yᵀ, is summed a block of entries at a time: the block's
 * factors are gathered transposed (factor-major), so each element of the triangle is one
 * contiguous dot product over the block, with four partial sums, instead of a load and a store
 * per entry.
 */
export function exactRowSolve(
  cols: Int32Array,
  extra: Float32Array,
  from: number,
  to: number,
  other: Float32Array,
  gram: Float64Array,
  k: number,
  scratch: Float64Array,
  x: Float64Array,
): void {
  const kk = k * k;
  const block = Math.floor((scratch.length - kk) / (2 * k));
  if (block < 1) throw new Error(`ials: exact solve scratch of ${scratch.length} is under ${kk + 2 * k}`);
  for (let t = 0; t < kk; t++) scratch[t] = gram[t]!;
  x.fill(0);
  // plain[f·block + j] = y_j[f]; scaled[f·block + j] = extra_j · y_j[f].
  const plain = kk;
  const scaled = kk + k * block;
  for (let start = from; start < to; start += block) {
    const n = Math.min(block, to - start);
    for (let j = 0; j < n; j++) {
      const base = cols[start + j]! * k;
      const e = extra[start + j]!;
      const c = e + 1;
      for (let f = 0; f < k; f++) {
        const y = other[base + f]!;
        x[f] = x[f]! + c * y;
        scratch[plain + f * block + j] = y;
        scratch[scaled + f * block + j] = e * y;
      }
    }
    for (let r = 0; r < k; r++) {
      const pr = plain + r * block;
      const row = r * k;
      for (let t = 0; t <= r; t++) {
        const st = scaled + t * block;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 3 < n; j += 4) {
          s0 += scratch[pr + j]! * scratch[st + j]!;
          s1 += scratch[pr + j + 1]! * scratch[st + j + 1]!;
          s2 += scratch[pr + j + 2]! * scratch[st + j + 2]!;
          s3 += scratch[pr + j + 3]! * scratch[st + j + 3]!;
        }
        for (; j < n; j++) s0 += scratch[pr + j]! * scratch[st + j]!;
        scratch[row + t] = scratch[row + t]! + (s0 + s1 + s2 + s3);
      }
    }
  }
  choleskyInPlace(scratch, k, x);
}

/**
 * out = M·v for the symmetric k×k matrix `m` (row-major): two rows per pass with two partial sums
 * each, so four independent sums are in flight and `v` is read once per pair of rows.
 */
export function symmetricTimes(m: Float64Array, k: number, v: Float64Array, out: Float64Array): void {
  let f = 0;
  for (; f + 1 < k; f += 2) {
    const r0 = f * k;
    const r1 = r0 + k;
    let a0 = 0;
    let a1 = 0;
    let b0 = 0;
    let b1 = 0;
    let g = 0;
    for (; g + 1 < k; g += 2) {
      const v0 = v[g]!;
      const v1 = v[g + 1]!;
      a0 += m[r0 + g]! * v0;
      a1 += m[r0 + g + 1]! * v1;
      b0 += m[r1 + g]! * v0;
      b1 += m[r1 + g + 1]! * v1;
    }
    if (g < k) {
      a0 += m[r0 + g]! * v[g]!;
      b0 += m[r1 + g]! * v[g]!;
    }
    out[f] = a0 + a1;
    out[f + 1] = b0 + b1;
  }
  if (f < k) {
    const row = f * k;
    let s = 0;
    for (let g = 0; g < k; g++) s += m[row + g]! * v[g]!;
    out[f] = s;
  }
}

/**
 * acc += Σ_q w_q · y_q over the row's entries `cols[from..to)`, where w_q = a_q + b_q · (y_q · v)
 * (a from `constant`, or 0 without it; b from `slope`): the product of the row's own part of the
 * normal-equations matrix with `v`, or the residual's right-hand side. Entries go two at a time,
 * so `v` and `acc` are each read once per pair, with four independent sums in the dot products.
 */
export function rowEntriesTimes(
  cols: Int32Array,
  slope: Float32Array,
  constant: Float32Array | null,
  sign: number,
  from: number,
  to: number,
  other: Float32Array,
  k: number,
  v: Float64Array,
  acc: Float64Array,
): void {
  let q = from;
  for (; q + 1 < to; q += 2) {
    const y0 = cols[q]! * k;
    const y1 = cols[q + 1]! * k;
    let d0 = 0;
    let d1 = 0;
    let e0 = 0;
    let e1 = 0;
    let f = 0;
    for (; f + 1 < k; f += 2) {
      const v0 = v[f]!;
      const v1 = v[f + 1]!;
      d0 += other[y0 + f]! * v0;
      e0 += other[y0 + f + 1]! * v1;
      d1 += other[y1 + f]! * v0;
      e1 += other[y1 + f + 1]! * v1;
    }
    if (f < k) {
      d0 += other[y0 + f]! * v[f]!;
      d1 += other[y1 + f]! * v[f]!;
    }
    const w0 = (constant === null ? 0 : constant[q]! + 1) + sign * slope[q]! * (d0 + e0);
    const w1 = (constant === null ? 0 : constant[q + 1]! + 1) + sign * slope[q + 1]! * (d1 + e1);
    for (let g = 0; g < k; g++) acc[g] = acc[g]! + w0 * other[y0 + g]! + w1 * other[y1 + g]!;
  }
  if (q < to) {
    const yb = cols[q]! * k;
    let d = 0;
    for (let f = 0; f < k; f++) d += other[yb + f]! * v[f]!;
    const w = (constant === null ? 0 : constant[q]! + 1) + sign * slope[q]! * d;
    for (let g = 0; g < k; g++) acc[g] = acc[g]! + w * other[yb + g]!;
  }
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
    const from = indptr[u]!;
    const to = indptr[u + 1]!;
    if (from === to) {
      // An empty row's exact solution is zero; CG from a random start would only approach it.
      target.fill(0, base, base + k);
      continue;
    }
    for (let f = 0; f < k; f++) x[f] = target[base + f]!;
    // r = b − A·x with A = gram + Σ extra·y yᵀ and b = Σ c·y: each entry adds (c − extra·(y·x))·y.
    symmetricTimes(gram, k, x, r);
    for (let f = 0; f < k; f++) r[f] = -r[f]!;
    rowEntriesTimes(cols, extra, extra, -1, from, to, other, k, x, r);
    let rsOld = 0;
    for (let f = 0; f < k; f++) {
      p[f] = r[f]!;
      rsOld += r[f]! * r[f]!;
    }
    for (let step = 0; step < steps && rsOld > 1e-20; step++) {
      // ap = A·p: the shared Gram part, then each entry's extra·(y·p)·y.
      symmetricTimes(gram, k, p, ap);
      rowEntriesTimes(cols, extra, null, 1, from, to, other, k, p, ap);
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
  // scratch: the exact solve's (k×k matrix and gathered block), then x.
  const solve = scratch.subarray(0, scratch.length - k);
  const x = scratch.subarray(scratch.length - k);
  for (let u = start; u < end; u++) {
    exactRowSolve(cols, extra, indptr[u]!, indptr[u + 1]!, other, gram, k, solve, x);
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
  const scratch = new Float64Array(alsScratchLength(k));
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
  source: [exactScratchLength, alsScratchLength, choleskyInPlace, exactRowSolve, symmetricTimes, rowEntriesTimes, cgRows, choleskyRows, alsWork].map((f) => f.toString()).join('\n'),
  entry: 'alsWork',
} as const;
