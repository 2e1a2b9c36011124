/**
 * A small seeded pseudo-random generator (xoshiro128**), so that splits, negative sampling and
 * initialisations are reproducible across runs and machines: `Math.random` cannot be seeded.
 */

const TWO_POW_32 = 4294967296;

/** Expands a 32-bit seed into well-mixed state words (splitmix32), so nearby seeds diverge at once. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A deterministic random stream. Two generators built from the same seed yield the same numbers
 * in the same order on every platform (only 32-bit integer arithmetic is used).
 *
 * @example
 * const rng = new Random(42);
 * const order = Int32Array.of(0, 1, 2, 3);
 * rng.shuffle(order); // the same permutation every run for seed 42
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed any number; only its low 32 bits are used. */
  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    // xoshiro's only bad state is all zeros; splitmix32 cannot produce four zero words in a row,
    // but guard anyway so the invariant is local.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * A generator with its four state words given directly (not all zero), for checking against
   * published xoshiro128** reference outputs.
   */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const rng = new Random(0);
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0) throw new RangeError('xoshiro128** state must not be all zeros');
    return rng;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float uniformly distributed in [0, 1), with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** An integer uniformly distributed in [0, n); `n` must be a positive integer ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new RangeError(`nextInt: n must be a positive integer ≤ 2^32, got ${n}`);
    // Rejection keeps the draw unbiased when n does not divide 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends Int32Array | Uint32Array | Float32Array | Float64Array | unknown[]>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = values[i]!;
      values[i] = values[j]!;
      values[j] = tmp;
    }
    return values;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
