// Matrices for the dense-algebra tests, built from a fixed LCG so every run sees the same ones.

/**
 * R·Rᵀ + ridge·I for an n×n R with entries uniform in [−0.5, 0.5) drawn from `seed`: symmetric
 * positive definite, and the larger the ridge the better conditioned, like a ridge Gram matrix.
 */
export function randomSpd(n: number, seed: number, ridge: number): Float64Array {
  let s = seed;
  const r = Float64Array.from({ length: n * n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += r[i * n + k]! * r[j * n + k]!;
      a[i * n + j] = sum + (i === j ? ridge : 0);
      a[j * n + i] = a[i * n + j]!;
    }
  }
  return a;
}

/** The largest entry of |A·inv − I| for n×n row-major matrices. */
export function maxErrorFromIdentity(a: Float64Array, inv: Float64Array | Float32Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a[i * n + k]! * inv[k * n + j]!;
      worst = Math.max(worst, Math.abs(sum - (i === j ? 1 : 0)));
    }
  }
  return worst;
}
