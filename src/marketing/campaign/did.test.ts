import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { differenceInDifferences, type DidObservation } from './did.js';

const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);

describe('difference in differences', () => {
  // Test units a, b; control units c, d; one measurement before and one after each.
  //   a 10 → 16 (+6), b 12 → 20 (+8); c 9 → 11 (+2), d 11 → 15 (+4).
  const obs: DidObservation[] = [
    ['a', true, 10, 16],
    ['b', true, 12, 20],
    ['c', false, 9, 11],
    ['d', false, 11, 15],
  ].flatMap(([unit, treated, before, after]) => [
    { unit: unit as string, treated: treated as boolean, post: false, value: before as number },
    { unit: unit as string, treated: treated as boolean, post: true, value: after as number },
  ]);

  it('matches the hand-worked estimate, clustered and classical errors, interval and p-value', () => {
    const did = differenceInDifferences(obs);
    // Cell means: test 11 → 18, control 10 → 13; DiD = 7 − 3 = 4.
    close(did.estimate, 4, 1e-12);
    assert.deepEqual(
      [did.cells.testBefore.mean, did.cells.testAfter.mean, did.cells.controlBefore.mean, did.cells.controlAfter.mean].map((m) => Math.round(m * 1e9) / 1e9),
      [11, 18, 10, 13],
    );
    // Clustered by unit, the DiD's variance is Σ_test (Δᵢ − Δ̄)²/n² + Σ_control (Δᵢ − Δ̄)²/n²
    // = (1 + 1)/4 + (1 + 1)/4 = 1, times CR1's G/(G−1)·(N−1)/(N−K) = 4/3 · 7/4 = 7/3.
    close(did.standardError, Math.sqrt(7 / 3), 1e-12);
    // Classical: residuals ±1, ±2 in each cell, SSR 20 over N − K = 4 → σ² = 5; Var = σ²·Σ 1/nₖ = 5 · 2.
    close(did.olsStandardError, Math.sqrt(10), 1e-12);
    assert.equal(did.degreesOfFreedom, 3);
    const half = 3.182446305284263 * Math.sqrt(7 / 3);
    close(did.confidenceInterval[0], 4 - half, 1e-8);
    close(did.confidenceInterval[1], 4 + half, 1e-8);
    close(did.tStatistic, 4 / Math.sqrt(7 / 3), 1e-12);
    // Student t with 3 df in closed form: F(t) = ½ + (u/(1 + u²) + atan u)/π with u = t/√3.
    const u = 4 / Math.sqrt(7 / 3) / Math.sqrt(3);
    close(did.pValue, 2 * (0.5 - (u / (1 + u * u) + Math.atan(u)) / Math.PI), 1e-10);
    assert.ok(did.pValue > 0.05 && did.pValue < 0.1, `${did.pValue}`);
    assert.deepEqual([did.clusters, did.observations, did.cells.testAfter.units], [4, 8, 2]);
  });

  it('counts repeated weeks of one customer as one cluster, not as independent evidence', () => {
    // The same data measured four times a period: the classical error shrinks, the clustered one barely moves.
    const repeated = obs.flatMap((o) => [o, o, o, o]);
    const did = differenceInDifferences(repeated);
    close(did.estimate, 4, 1e-12);
    assert.equal(did.clusters, 4);
    // CR1 = 4/3 · 31/28 with N = 32; the meat is unchanged per cluster after scaling, so SE² = 4/3·31/28.
    close(did.standardError, Math.sqrt((4 / 3) * (31 / 28)), 1e-12);
    assert.ok(did.olsStandardError < 0.6 * Math.sqrt(10));
  });

  it('refuses a unit in both groups and an empty cell', () => {
    assert.throws(() => differenceInDifferences([...obs, { unit: 'a', treated: false, post: true, value: 1 }]), (e) => isMagpieError(e, 'invalid_input') && /both the test and the control/.test(e.message));
    assert.throws(() => differenceInDifferences(obs.filter((o) => o.treated || !o.post)), /control after/);
  });
});
