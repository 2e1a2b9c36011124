/**
 * The leading eigenvectors of a symmetric positive semi-definite matrix by block subspace
 * iteration with a final Rayleigh–Ritz step: a few products of the n×n matrix with an n×p block
 * (p = k + oversampling), which the tensor engine runs fast, instead of a full n³ eigensolver.
 */
import { getEngine } from '../../math/engine.js';
import { Random } from '../../math/random.js';

/** Options of {@link topEigenvectors}. */
export interface TopEigenOptions {
  /** Subspace (power) iterations before the Rayleigh–Ritz step (default 12). */
  iterations?: number;
  /** Extra block columns beyond k; they speed up convergence of the k-th vector (default 16). */
  oversample?: number;
  /** Seed of the random start block (default 1). */
  seed?: number;
  /** Threads for the engine's matMul. */
  threads?: number;
}

/** k eigenpairs, largest eigenvalue first; `vectors` is n×k row-major with orthonormal columns. */
export interface EigenPairs {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/**
 * The k largest eigenpairs of the symmetric PSD matrix `a` (n×n, row-major). The products run on
 * the tensor engine in float32 when it starts, else in Float64 TypeScript.
 *
 * @example
 * const { values } = await topEigenvectors(Float32Array.of(2, 0, 0, 1), 2, 1); // values [2]
 */
export async function topEigenvectors(a: Float32Array, n: number, k: number, options: TopEigenOptions = {}): Promise<EigenPairs> {
  if (!(k >= 1 && k <= n)) throw new RangeError(`need 1 ≤ k ≤ n, got k=${k}, n=${n}`);
  const p = Math.min(n, k + (options.oversample ?? 16));
  const iterations = options.iterations ?? 12;
  const multiply = await productWith(a, n, p, options.threads);
  const rng = new Random(options.seed ?? 1);
  let q: Float64Array = new Float64Array(n * p);
  for (let i = 0; i < q.length; i++) q[i] = rng.nextFloat() - 0.5;
  orthonormalizeColumns(q, n, p);
  for (let it = 0; it < iterations; it++) {
    q = await multiply(q);
    orthonormalizeColumns(q, n, p);
  }
  // Rayleigh–Ritz: eigenvectors of the p×p projection H = Qᵀ A Q, mapped back through Q.
  const aq = await multiply(q);
  const h = new Float64Array(p * p);
  for (let r = 0; r < n; r++) {
    const row = r * p;
    for (let i = 0; i < p; i++) {
      const qi = q[row + i]!;
      if (qi === 0) continue;
      for (let j = 0; j < p; j++) h[i * p + j]! += qi * aq[row + j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) h[i * p + j] = h[j * p + i] = 0.5 * (h[i * p + j]! + h[j * p + i]!);
  const { values, vectors: w } = symmetricEigen(h, p);
  const order = Array.from({ length: p }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);
  const topValues = new Float64Array(k);
  const vectors = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const src = order[c]!;
    topValues[c] = values[src]!;
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (let i = 0; i < p; i++) sum += q[r * p + i]! * w[i * p + src]!;
      vectors[r * k + c] = sum;
    }
  }
  return { values: topValues, vectors };
}

/** A function computing A·Q for n×p blocks, on the engine when it is available. */
async function productWith(a: Float32Array, n: number, p: number, threads: number | undefined): Promise<(q: Float64Array) => Promise<Float64Array>> {
  try {
    const engine = await getEngine();
    return async (q) => Float64Array.from(await engine.matMul(a, Float32Array.from(q), n, n, p, { threads }));
  } catch {
    return async (q) => {
      const out = new Float64Array(n * p);
      for (let r = 0; r < n; r++) {
        const o = r * p;
        for (let m = 0; m < n; m++) {
          const v = a[r * n + m]!;
          if (v === 0) continue;
          const s = m * p;
          for (let j = 0; j < p; j++) out[o + j]! += v * q[s + j]!;
        }
      }
      return out;
    };
  }
}

/**
 * Modified Gram–Schmidt on the columns of `q` (n×p row-major), in place, done twice for
 * stability. A column that collapses (rank deficiency) is replaced by a unit vector orthogonal
 * to the earlier ones where one can be found, else left zero.
 *
 * @example
 * const q = Float64Array.of(3, 1, 4, 1); // columns (3, 4) and (1, 1)
 * orthonormalizeColumns(q, 2, 2); // first column (0.6, 0.8)
 */
export function orthonormalizeColumns(q: Float64Array, n: number, p: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[r * p + i]! * q[r * p + j]!;
        for (let r = 0; r < n; r++) q[r * p + j]! -= dot * q[r * p + i]!;
      }
      let norm = 0;
      for (let r = 0; r < n; r++) norm += q[r * p + j]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-10) {
        for (let r = 0; r < n; r++) q[r * p + j]! /= norm;
      } else if (pass === 0) {
        // Restart the column from a basis vector; the next pass orthogonalises it.
        for (let r = 0; r < n; r++) q[r * p + j] = r === j % n ? 1 : 0;
      } else {
        for (let r = 0; r < n; r++) q[r * p + j] = 0;
      }
    }
  }
}

/**
 * All eigenpairs of a small symmetric matrix (p×p row-major) by cyclic Jacobi rotations.
 * Returns unsorted eigenvalues and the eigenvectors as the columns of `vectors` (p×p row-major).
 *
 * @example
 * symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values; // [1, 3] in some order
 */
export function symmetricEigen(matrix: Float64Array, p: number): EigenPairs {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const x = a[i * p + j]! ** 2;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-24 * total || off === 0) break;
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]!;
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (a[j * p + j]! - a[i * p + i]!) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(a, v, p, i, j, c, s);
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = a[i * p + i]!;
  return { values, vectors: v };
}

/** Applies the Jacobi rotation (i, j, c, s) to both sides of `a` and accumulates it into `v`. */
function rotate(a: Float64Array, v: Float64Array, p: number, i: number, j: number, c: number, s: number): void {
  for (let r = 0; r < p; r++) {
    const ri = a[r * p + i]!;
    const rj = a[r * p + j]!;
    a[r * p + i] = c * ri - s * rj;
    a[r * p + j] = s * ri + c * rj;
  }
  for (let r = 0; r < p; r++) {
    const ir = a[i * p + r]!;
    const jr = a[j * p + r]!;
    a[i * p + r] = c * ir - s * jr;
    a[j * p + r] = s * ir + c * jr;
  }
  for (let r = 0; r < p; r++) {
    const ri = v[r * p + i]!;
    const rj = v[r * p + j]!;
    v[r * p + i] = c * ri - s * rj;
    v[r * p + j] = s * ri + c * rj;
  }
}
