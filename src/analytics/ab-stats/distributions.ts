// The distribution functions the A/B tests need: log-gamma, the regularized incomplete gamma and
// beta functions, and from them the normal, Student-t and chi-square distributions. Everything is
// derived here from the series and continued fractions themselves (no tables of fitted
// coefficients), and is accurate to about 1e-14 relative in the ranges A/B tests use.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-15;
// Lentz's method replaces exact zeros in a continued fraction's partial denominators by this.
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;
// Above this many degrees of freedom the t CDF is taken from its expansion around the normal.
const LARGE_DF = 1e7;

/** Σ B2k / (2k(2k − 1) z^(2k−1)) for k = 1…7: the part of ln Γ(z) beyond Stirling's leading terms, for z ≥ 10. */
function stirlingTail(z: number): number {
  const inv = 1 / z;
  const inv2 = inv * inv;
  return inv * (1 / 12 + inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 * (1 / 156)))))));
}

/**
 * ln Γ(x) for x > 0. Shifts x up to ≥ 10 with Γ(x + 1) = xΓ(x), then sums Stirling's series
 * (Bernoulli terms up to B14), whose first omitted term is below 1e-16 there.
 *
 * @example
 * logGamma(0.5); // ln √π = 0.5723649429247001
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let z = x;
  let product = 1;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  return (z - 0.5) * Math.log(z) - z + LN_SQRT_2PI + stirlingTail(z) - Math.log(product);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When one argument is large, ln Γ(big) − ln Γ(big + small)
 * is taken from the difference of the two Stirling series, not as a difference of two huge
 * logarithms: the t distribution with a million degrees of freedom keeps full precision.
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return Number.NaN;
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const sum = big + small;
  const difference = -(big - 0.5) * Math.log1p(small / big) - small * Math.log(sum) + small + stirlingTail(big) - stirlingTail(sum);
  return logGamma(small) + difference;
}

/** P(a, x) by its power series; converges fast for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by Legendre's continued fraction (modified Lentz); converges fast for x ≥ a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** The regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a), for a > 0, x ≥ 0. */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * The continued fraction of I_x(a, b) (modified Lentz): I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1/(1 + d1/(1 + d2/(1 + …)))
 * with d(2m+1) = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and d(2m) = m(b−m)x / ((a+2m−1)(a+2m)).
 */
function betaContinuedFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let coefficient = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    coefficient = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. Pass `y = 1 − x`
 * when it is known more precisely than `1 - x` (the t distribution near 0 needs that).
 *
 * @example
 * regularizedBeta(0.25, 1, 3); // 1 − 0.75³ = 0.578125
 */
export function regularizedBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return Number.NaN;
  if (x === 0) return 0;
  if (y <= 0) return 1;
  // Whichever of x and y is nearer 1 goes through log1p of the other, which is the precise one.
  const logX = x <= 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y <= 0.5 ? Math.log(y) : Math.log1p(-x);
  const logFront = a * logX + b * logY - logBeta(a, b);
  // The fraction converges quickly for x < (a+1)/(a+b+2); beyond, use I_x(a,b) = 1 − I_(1−x)(b,a).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, y)) / b;
}

/**
 * The standard normal CDF Φ(x) = ½ erfc(−x/√2), from the incomplete gamma function (erfc(z) = Q(½, z²)),
 * so both tails keep their relative precision.
 *
 * @example
 * normalCdf(1.959963984540054); // 0.975
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x === Number.POSITIVE_INFINITY) return 1;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  const half = 0.5 * x * x;
  return x < 0 ? 0.5 * regularizedGammaQ(0.5, half) : 0.5 + 0.5 * regularizedGammaP(0.5, half);
}

/** The standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LN_SQRT_2PI);
}

/**
 * Solves cdf(x) = p for an increasing cdf with density pdf by Newton steps kept inside a bracket
 * [lo, hi] that always holds the root (bisection when a step would leave it).
 */
function invert(cdf: (x: number) => number, pdf: (x: number) => number, p: number, start: number, lo: number, hi: number): number {
  let x = start < lo || start > hi ? 0.5 * (lo + hi) : start;
  for (let i = 0; i < 200; i++) {
    const error = cdf(x) - p;
    if (error === 0) return x;
    if (error < 0) lo = x;
    else hi = x;
    const density = pdf(x);
    let next = density > 0 ? x - error / density : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || hi - lo <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/**
 * The standard normal quantile Φ⁻¹(p): Newton's method on {@link normalCdf} from the tail
 * asymptote, kept in a bracket; accurate to ~1e-15 for p in [1e-300, 1 − 1e-16].
 *
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (p > 0.5) return -normalQuantile(1 - p);
  // Lower tail: Φ(x) ≈ φ(x)/|x| gives x ≈ −√(2 ln(1/p) − ln(2 ln(1/p)) − ln 2π) as a first guess.
  const l = -2 * Math.log(p);
  const guess = -Math.sqrt(Math.max(l - Math.log(Math.max(l, 1)) - 2 * LN_SQRT_2PI, 0.01));
  return invert(normalCdf, normalPdf, p, guess, -40, 0);
}

/**
 * The Student-t CDF with `df` degrees of freedom (any real df > 0, as Welch's test gives):
 * P(T ≤ t) from P(|T| > |t|) = I_(df/(df+t²))(df/2, ½).
 *
 * @example
 * studentTCdf(2.228138851986274, 10); // 0.975
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  // With millions of degrees of freedom the beta continued fraction needs ~√df terms near t² = 3;
  // the first term of the expansion in 1/df is then exact to ~1e-15 (the next one is O(1/df²)).
  if (df >= LARGE_DF) return normalCdf(t) - (normalPdf(t) * (t * t * t + t)) / (4 * df);
  const t2 = t * t;
  const tail = 0.5 * regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t > 0 ? 1 - tail : tail;
}

/** The Student-t density with `df` degrees of freedom. */
export function studentTPdf(t: number, df: number): number {
  if (df === Number.POSITIVE_INFINITY) return normalPdf(t);
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The Student-t quantile: the t with P(T ≤ t) = p.
 *
 * @example
 * studentTQuantile(0.975, 10); // 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // t's tails are heavier than the normal's: widen from the normal quantile until the CDF is below p.
  const z = normalQuantile(p);
  let lo = Math.min(2 * z, -1);
  while (studentTCdf(lo, df) > p) lo *= 2;
  return invert((t) => studentTCdf(t, df), (t) => studentTPdf(t, df), p, z, lo, 0);
}

/**
 * P(X > x) for a chi-square variable with `df` degrees of freedom: Q(df/2, x/2).
 *
 * @example
 * chiSquareSurvival(3.841458820694124, 1); // 0.05
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
