/**
 * The hot kernel of the blocked SPD inverse: a symmetric rank-b update of the upper triangle.
 * Every function here is self-contained so its source text can be shipped to a worker thread.
 */

/**
 * a[i, j] −= Σ_k w[i, k] · vT[k, j] for i ≤ j, rows in [rowStart, rowEnd) outside the pivot rows
 * K = [k0, k1). Tiled along j
 * so the slice of vT in use stays in L2 while the rows stream past it.
 */
export function rankUpdateUpper(
  a: Float64Array,
  n: number,
  w: Float64Array,
  vT: Float64Array,
  bs: number,
  k0: number,
  k1: number,
  rowStart: number,
  rowEnd: number,
): void {
  const tile = 256;
  for (let j0 = 0; j0 < n; j0 += tile) {
    const j1 = Math.min(n, j0 + tile);
    const last = Math.min(rowEnd, j1);
    updateRows(a, n, w, vT, bs, rowStart, Math.min(k0, last), j0, j1);
    updateRows(a, n, w, vT, bs, Math.max(k1, rowStart), last, j0, j1);
  }
}

/**
 * The update for rows [iStart, iEnd) and columns [j0, j1): two rows × four k per pass, so each
 * load of vT feeds eight multiply-adds (measured ~1.5× faster than one row at a time in V8).
 * Self-contained on purpose (no imports, no closures): its source is also run in a worker thread.
 */
export function updateRows(a: Float64Array, n: number, w: Float64Array, vT: Float64Array, bs: number, iStart: number, iEnd: number, j0: number, j1: number): void {
  let i = iStart;
  for (; i + 1 < iEnd; i += 2) {
    const ai = i * n;
    const bi = ai + n;
    const wi = i * bs;
    const wb = wi + bs;
    let js = i > j0 ? i : j0;
    if (js === i) {
      // The diagonal entry belongs to row i only; after it both rows start at i + 1.
      let s = 0;
      for (let kk = 0; kk < bs; kk++) s += w[wi + kk]! * vT[kk * n + i]!;
      a[ai + i] = a[ai + i]! - s;
      js = i + 1;
    }
    if (js >= j1) continue;
    let kk = 0;
    for (; kk + 3 < bs; kk += 4) {
      const w0 = w[wi + kk]!;
      const w1 = w[wi + kk + 1]!;
      const w2 = w[wi + kk + 2]!;
      const w3 = w[wi + kk + 3]!;
      const x0 = w[wb + kk]!;
      const x1 = w[wb + kk + 1]!;
      const x2 = w[wb + kk + 2]!;
      const x3 = w[wb + kk + 3]!;
      const o0 = kk * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      for (let j = js; j < j1; j++) {
        const v0 = vT[o0 + j]!;
        const v1 = vT[o1 + j]!;
        const v2 = vT[o2 + j]!;
        const v3 = vT[o3 + j]!;
        a[ai + j] = a[ai + j]! - (w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3);
        a[bi + j] = a[bi + j]! - (x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3);
      }
    }
    for (; kk < bs; kk++) {
      const w0 = w[wi + kk]!;
      const x0 = w[wb + kk]!;
      const o0 = kk * n;
      for (let j = js; j < j1; j++) {
        const v0 = vT[o0 + j]!;
        a[ai + j] = a[ai + j]! - w0 * v0;
        a[bi + j] = a[bi + j]! - x0 * v0;
      }
    }
  }
  if (i < iEnd) {
    const ai = i * n;
    const wi = i * bs;
    const js = i > j0 ? i : j0;
    for (let kk = 0; kk < bs; kk++) {
      const w0 = w[wi + kk]!;
      const o0 = kk * n;
      for (let j = js; j < j1; j++) a[ai + j] = a[ai + j]! - w0 * vT[o0 + j]!;
    }
  }
}

/**
 * The thread-gang entry (see `thread-gang.ts`): {@link rankUpdateUpper} over the shared buffers
 * `matrix`, `weighted` and `transposed`, with args [n, bs, k0, k1, rowStart, rowEnd].
 */
export function rankUpdateJob(buffers: Readonly<Record<string, ArrayBufferLike>>, args: Float64Array): void {
  const a = new Float64Array(buffers['matrix']!);
  const w = new Float64Array(buffers['weighted']!);
  const vT = new Float64Array(buffers['transposed']!);
  rankUpdateUpper(a, args[0]!, w, vT, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
}
