import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chiSquareSurvival,
  logBeta,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  studentTCdf,
  studentTQuantile,
} from './distributions.js';

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: got ${actual}, expected ${expected} ± ${tolerance}`);
}

describe('log-gamma and the incomplete gamma and beta functions', () => {
  it('ln Γ matches factorials and Γ(½) = √π', () => {
    // Γ(n) = (n − 1)!: 1, 1, 2, 6, 24, …, 9! = 362880; Γ(½) = √π; Γ(3/2) = √π/2.
    const cases: [number, number][] = [
      [1, 0],
      [2, 0],
      [3, Math.log(2)],
      [5, Math.log(24)],
      [10, Math.log(362_880)],
      [0.5, 0.5 * Math.log(Math.PI)],
      [1.5, 0.5 * Math.log(Math.PI) - Math.log(2)],
    ];
    for (const [x, expected] of cases) near(logGamma(x), expected, 1e-13, `lnΓ(${x})`);
    // lnΓ(100) = ln(99!) summed term by term.
    let lnFactorial = 0;
    for (let k = 2; k <= 99; k++) lnFactorial += Math.log(k);
    near(logGamma(100), lnFactorial, 1e-11, 'lnΓ(100)');
    // Γ(x) ≈ 1/x − γ near 0 (γ = 0.5772…), so lnΓ(1e-6) ≈ −ln(1e-6) − γ·1e-6.
    near(logGamma(1e-6), -Math.log(1e-6) - 0.5772156649015329e-6, 1e-12, 'lnΓ(1e-6)');
    assert.ok(Number.isNaN(logGamma(0)) && Number.isNaN(logGamma(-1)));
  });

  it('ln B with one huge argument agrees with the exact ratio of gammas', () => {
    // B(a, 1) = 1/a exactly, whatever the size of a: the large-argument path must not lose it.
    for (const a of [12, 1e3, 1e6, 1e9]) near(logBeta(a, 1), -Math.log(a), 1e-12 * Math.max(1, Math.log(a)), `lnB(${a}, 1)`);
    // B(a, ½)·√a → √π as a grows (Γ(a)/Γ(a+½) ≈ a^(−½)(1 + 1/(8a))).
    near(logBeta(1e8, 0.5) + 0.5 * Math.log(1e8), 0.5 * Math.log(Math.PI) + 1 / 8e8, 1e-13, 'lnB(1e8, ½)');
  });

  it('I_x(a, b) reproduces the closed forms and the symmetry', () => {
    for (const x of [0.01, 0.25, 0.5, 0.9, 0.999]) {
      near(regularizedBeta(x, 1, 3), 1 - (1 - x) ** 3, 1e-14, `I_${x}(1, 3)`);
      near(regularizedBeta(x, 2.5, 1), x ** 2.5, 1e-14, `I_${x}(2.5, 1)`);
      // I_x(½, ½) = (2/π)·asin(√x): the arcsine distribution.
      near(regularizedBeta(x, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(x)), 1e-14, `I_${x}(½, ½)`);
      near(regularizedBeta(x, 3.3, 7.1) + regularizedBeta(1 - x, 7.1, 3.3), 1, 1e-14, `symmetry at ${x}`);
    }
    assert.equal(regularizedBeta(0, 2, 3), 0);
    assert.equal(regularizedBeta(1, 2, 3), 1);
  });

  it('P(a, x): the exponential (a = 1) and chi-square tails', () => {
    for (const x of [0.1, 1, 5, 30]) near(regularizedGammaP(1, x), 1 - Math.exp(-x), 1e-15, `P(1, ${x})`);
    // χ²₂ survival is e^(−x/2); χ²₁(3.841459) is the 5% point (1.959964²).
    for (const x of [0.5, 4, 20, 100]) near(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-15, `χ²₂ survival at ${x}`);
    near(chiSquareSurvival(1.959963984540054 ** 2, 1), 0.05, 1e-14, 'χ²₁ 5% point');
  });
});

describe('normal distribution', () => {
  it('Φ at textbook points and in the far tail', () => {
    const cases: [number, number][] = [
      [0, 0.5],
      [1.959963984540054, 0.975],
      [-1.6448536269514722, 0.05],
      [1, 0.8413447460685429],
      [-3, 0.0013498980316300946],
      // Far tail: relative precision, not just absolute (1 − Φ(8) would round to 0).
      [-8, 6.22096057427178e-16],
      [-20, 2.7536241186061556e-89],
    ];
    for (const [x, p] of cases) near(normalCdf(x), p, 1e-13 * p, `Φ(${x})`);
  });

  it('Φ⁻¹ inverts Φ, including p = 1e-300', () => {
    near(normalQuantile(0.975), 1.959963984540054, 1e-14, 'z 0.975');
    near(normalQuantile(0.8), 0.8416212335729143, 1e-14, 'z 0.8');
    near(normalQuantile(0.05), -1.6448536269514722, 1e-14, 'z 0.05');
    for (const p of [1e-300, 1e-20, 1e-5, 0.3, 0.6, 0.999999]) {
      const x = normalQuantile(p);
      // Φ changes by a factor 1 + |x|·dx for a step dx, so at x ≈ −37 one ulp of x is ~3e-13 of Φ.
      near(normalCdf(x) / p, 1, 1e-11, `Φ(Φ⁻¹(${p}))`);
    }
    assert.equal(normalQuantile(0.5), 0);
    assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });
});

describe('Student t distribution', () => {
  it('matches the critical values of a printed t table to 1e-4', () => {
    // Two-sided 5% and 1% points as printed (three decimals) in every statistics textbook's t table.
    const table: [p: number, df: number, t: number][] = [
      [0.975, 1, 12.706],
      [0.975, 2, 4.303],
      [0.975, 5, 2.571],
      [0.975, 10, 2.228],
      [0.975, 20, 2.086],
      [0.975, 30, 2.042],
      [0.975, 120, 1.98],
      [0.995, 1, 63.657],
      [0.995, 5, 4.032],
      [0.95, 10, 1.812],
      [0.9995, 10, 4.587],
    ];
    for (const [p, df, t] of table) {
      near(studentTCdf(t, df), p, 1e-4, `F(${t}; ${df})`);
      near(studentTCdf(-t, df), 1 - p, 1e-4, `F(−${t}; ${df})`);
      // The table is rounded to 3 decimals, so the quantile matches it to half a unit in the last place.
      near(studentTQuantile(p, df), t, 5e-4 + 1e-12, `t(${p}; ${df})`);
    }
  });

  it('equals the closed forms for 1, 2 and 3 degrees of freedom', () => {
    for (const t of [-25, -2.5, -0.3, 0, 0.7, 3, 40]) {
      near(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14, `Cauchy at ${t}`);
      near(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-14, `df 2 at ${t}`);
      const u = t / Math.sqrt(3);
      near(studentTCdf(t, 3), 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 1e-14, `df 3 at ${t}`);
    }
  });

  it('handles the fractional and huge df of Welch tests', () => {
    // Quantile ↔ CDF round trips at fractional df.
    for (const df of [0.5, 2.7, 7.3375678747358, 41.9]) {
      for (const p of [0.001, 0.025, 0.3, 0.975]) near(studentTCdf(studentTQuantile(p, df), df), p, 1e-12, `round trip p=${p} df=${df}`);
    }
    // As df grows, t → normal: F(1.96; 1e6) lies within 1e-6 of Φ(1.96), and the gap shrinks like 1/df.
    for (const df of [1e5, 1e6, 1e8, 1e12]) {
      const gap = normalCdf(1.96) - studentTCdf(1.96, df);
      // First-order term of the expansion: φ(t)(t³ + t)/(4·df).
      const firstOrder = (Math.exp(-0.5 * 1.96 * 1.96) / Math.sqrt(2 * Math.PI)) * (1.96 ** 3 + 1.96) / (4 * df);
      near(gap, firstOrder, firstOrder * 1e-3 + 1e-15, `normal gap at df ${df}`);
    }
    assert.equal(studentTCdf(Number.POSITIVE_INFINITY, 4), 1);
    assert.ok(Number.isNaN(studentTCdf(1, 0)));
  });
});
