/**
 * The inverse of a large symmetric positive-definite matrix on the tensor engine, in float32.
 *
 * Why recursive 2×2 blocks (Schur complements) rather than Cholesky → triangular inverse →
 * L⁻ᵀL⁻¹: the engine has only a general matMul. Cholesky's n³ flops need triangular and
 * symmetric products at block level; done with general matMuls they grow to ~2n³, while the
 * Schur recursion spends 4/3·n³ in four large, square products per level — the shape matMul
 * runs fastest on. For SPD input every Schur complement is SPD again, so no pivoting is needed
 * and the recursion is as stable as a block LDLᵀ.
 *
 * With A = [[A₁₁, A₁₂], [A₂₁, A₂₂]], P = A₁₁⁻¹, W = P·A₁₂, S = A₂₂ − A₂₁·W:
 *   A⁻¹ = [[P + W·S⁻¹·Wᵀ, −W·S⁻¹], [−S⁻¹·Wᵀ, S⁻¹]].
 * Blocks at or below `leafSize` are inverted in Float64 TypeScript, where matMul overhead
 * would dominate.
 */
import { MagpieError } from '../core/errors.js';
import { getEngine, type Engine } from './engine.js';
import { invertSpd } from './dense.js';

/** Options of {@link invertSpdOnEngine}. */
export interface EngineInvertOptions {
  /** Blocks this size or smaller are inverted in Float64 TypeScript (default 128). */
  leafSize?: number;
  /** Threads for the large products, this one included (default: available parallelism). */
  threads?: number;
  /** Called as rows of the result are finished (leaf blocks done), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * A⁻¹ of an SPD matrix (n×n, row-major) in float32, computed with engine matMuls; the result
 * is exactly symmetric. Relative accuracy is about float32 ε times the condition number.
 * Throws MagpieError('invalid_input') when the matrix is not positive definite.
 *
 * @example
 * const inv = await invertSpdOnEngine(Float64Array.of(4, 2, 2, 3), 2); // ≈ [0.375, -0.25, -0.25, 0.5]
 */
export async function invertSpdOnEngine(
  a: Float64Array | Float32Array,
  n: number,
  options: EngineInvertOptions = {},
): Promise<Float32Array> {
  if (a.length !== n * n) {
    throw new MagpieError('invalid_input', `matrix has ${a.length} entries, expected ${n}×${n}`);
  }
  const engine = await getEngine();
  const context: Context = {
    engine,
    leaf: Math.max(1, Math.floor(options.leafSize ?? 128)),
    threads: options.threads,
    done: 0,
    total: n,
    onProgress: options.onProgress,
  };
  const out = await invert(context, a instanceof Float32Array ? a : Float32Array.from(a), n, 0);
  symmetrise(out, n);
  return out;
}

interface Context {
  readonly engine: Engine;
  readonly leaf: number;
  readonly threads: number | undefined;
  done: number;
  readonly total: number;
  readonly onProgress: ((done: number, total: number) => void) | undefined;
}

/** The recursion on a dense n×n block; `offset` is its first row in the whole matrix, for errors. */
async function invert(ctx: Context, a: Float32Array, n: number, offset: number): Promise<Float32Array> {
  if (n <= ctx.leaf) {
    const inverse = invertLeaf(a, n, offset);
    ctx.done += n;
    ctx.onProgress?.(ctx.done, ctx.total);
    return inverse;
  }
  const h = splitPoint(n);
  const m = n - h;
  const mul = (x: Float32Array, y: Float32Array, rows: number, inner: number, cols: number): Promise<Float32Array> =>
    ctx.engine.matMul(x, y, rows, inner, cols, { threads: ctx.threads });
  const p = await invert(ctx, block(a, n, 0, 0, h, h), h, offset);
  const w = await mul(p, block(a, n, 0, h, h, m), h, h, m);
  const s = await mul(block(a, n, h, 0, m, h), w, m, h, m);
  subtractFrom(block(a, n, h, h, m, m), s); // s = A₂₂ − A₂₁·W
  const q = await invert(ctx, s, m, offset + h);
  const x12 = await mul(w, q, h, m, m);
  for (let i = 0; i < x12.length; i++) x12[i] = -x12[i]!;
  // X₂₁ = X₁₂ᵀ is both the lower block and the right factor of X₁₁ = P + W·S⁻¹·Wᵀ = P − W·X₂₁.
  const x21 = transposed(x12, h, m);
  const x11 = await mul(w, x21, h, m, h);
  subtractFrom(p, x11);
  const out = new Float32Array(n * n);
  place(out, n, x11, 0, 0, h, h);
  place(out, n, x12, 0, h, h, m);
  place(out, n, x21, h, 0, m, h);
  place(out, n, q, h, h, m, m);
  return out;
}

/** Halves n, rounding the first block up to a multiple of 32 so matMul panels stay aligned. */
function splitPoint(n: number): number {
  const half = Math.ceil(n / 2);
  const aligned = Math.ceil(half / 32) * 32;
  return aligned < n ? aligned : half;
}

function invertLeaf(a: Float32Array, n: number, offset: number): Float32Array {
  try {
    return Float32Array.from(invertSpd(Float64Array.from(a), n, { inPlace: true }));
  } catch (error) {
    throw new MagpieError('invalid_input', `matrix is not positive definite (trouble in rows ${offset}–${offset + n - 1})`, {
      cause: error,
      hint: 'add a ridge term to the diagonal (e.g. raise lambda / regularization)',
    });
  }
}

/** A copy of rows × cols entries of the n-wide matrix a starting at (r0, c0). */
function block(a: Float32Array, n: number, r0: number, c0: number, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(a.subarray((r0 + r) * n + c0, (r0 + r) * n + c0 + cols), r * cols);
  return out;
}

/** Writes the rows × cols matrix b into the n-wide matrix a at (r0, c0). */
function place(a: Float32Array, n: number, b: Float32Array, r0: number, c0: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) a.set(b.subarray(r * cols, r * cols + cols), (r0 + r) * n + c0);
}

/** target = minuend − target, in place. */
function subtractFrom(minuend: Float32Array, target: Float32Array): void {
  for (let i = 0; i < target.length; i++) target[i] = minuend[i]! - target[i]!;
}

/** The cols × rows transpose of a rows × cols matrix, in tiles so reads and writes stay in cache. */
function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const r1 = Math.min(rows, r0 + tile);
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = a[r * cols + c]!;
    }
  }
  return out;
}

/** Replaces both triangles by their mean, removing the round-off asymmetry of X₁₁. */
function symmetrise(x: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean = (x[i * n + j]! + x[j * n + i]!) / 2;
      x[i * n + j] = mean;
      x[j * n + i] = mean;
    }
  }
}
