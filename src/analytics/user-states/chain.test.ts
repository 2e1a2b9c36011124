// The Markov algebra of the user-state model against closed forms, brute force and simulation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Random } from '../../math/random.js';
import { longRun } from './long-run.js';
import { estimateChain, wilson } from './markov.js';
import { hitting, reachWithin } from './steps.js';
import { solve } from './linear.js';

const close = (actual: number | null | undefined, expected: number, tolerance: number, what = ''): void => {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${String(actual)} vs ${expected}`);
};

/** A row-stochastic n×n matrix with every entry positive (so irreducible and aperiodic). */
function randomChain(n: number, rng: Random, zeroShare = 0): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const row = Array.from({ length: n }, (_, j) => (j !== i && rng.nextFloat() < zeroShare ? 0 : 0.05 + rng.nextFloat()));
    const total = row.reduce((s, x) => s + x, 0);
    return row.map((x) => x / total);
  });
}

/** P^k by repeated multiplication: the naive reference for limits and k-step probabilities. */
function power(p: number[][], k: number): number[][] {
  let out: number[][] = p.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  for (let s = 0; s < k; s++) out = out.map((row) => p[0]!.map((_, j) => row.reduce((acc, x, m) => acc + x * p[m]![j]!, 0)));
  return out;
}

describe('transition estimates', () => {
  it('Wilson intervals match the published 95% values', () => {
    // 3 of 10: (0.1078, 0.6032); 0 of 10: (0, 0.2775); 10 of 10: (0.7225, 1) — Wilson (1927), z = 1.96.
    const a = wilson(3, 10);
    close(a.low, 0.1078, 5e-5, 'low 3/10');
    close(a.high, 0.6032, 5e-5, 'high 3/10');
    close(wilson(0, 10).low, 0, 1e-15);
    close(wilson(0, 10).high, 0.2775, 5e-5);
    close(wilson(10, 10).low, 0.7225, 5e-5);
    assert.deepEqual(wilson(0, 0), { low: 0, high: 1 });
  });

  it('divides each row by its total and makes an unobserved row absorbing', () => {
    const chain = estimateChain([
      [3, 1, 0],
      [0, 0, 0],
      [2, 2, 4],
    ]);
    assert.deepEqual(chain.matrix, [
      [0.75, 0.25, 0],
      [0, 1, 0],
      [0.25, 0.25, 0.5],
    ]);
    assert.deepEqual(chain.unobservedRows, [1]);
    assert.deepEqual(chain.intervals[0]![1], wilson(1, 4));
  });
});

describe('long run', () => {
  it('two states: π = (b, a) / (a + b)', () => {
    const run = longRun([[0.8, 0.2], [0.1, 0.9]], [1, 0]);
    close(run.distribution[0], 0.1 / 0.3, 1e-14);
    close(run.distribution[1], 0.2 / 0.3, 1e-14);
    assert.deepEqual(run.closedClasses, [[0, 1]]);
    assert.equal(run.quasiStationary, null);
  });

  it('random irreducible chains: π P = π, Σ π = 1, and the rows of P^k converge to π', () => {
    const rng = new Random(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + (trial % 6);
      const p = randomChain(n, rng, 0.4);
      const run = longRun(p, Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)));
      const pi = run.distribution;
      close(pi.reduce((s, x) => s + x, 0), 1, 1e-12, 'sum');
      for (let j = 0; j < n; j++) close(pi.reduce((s, x, i) => s + x * p[i]![j]!, 0), pi[j]!, 1e-12, `πP = π at ${j}`);
      // The off-diagonal zeros can make a chain reducible; only irreducible ones converge to one π from every row.
      if (run.closedClasses.length === 1 && run.transient.length === 0) {
        const limit = power(p, 400);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) close(limit[i]![j], pi[j]!, 1e-9, `P^400[${i}][${j}]`);
      }
    }
  });

  it("gambler's ruin: absorption probabilities, the limit from the start and the quasi-stationary mix", () => {
    // States 0..4, win with p = 0.4; 0 and 4 absorbing. P(reach 4 from i) = (1 − r^i) / (1 − r^4), r = q/p = 1.5.
    const p = [0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].map((j) => (i === 0 || i === 4 ? (i === j ? 1 : 0) : j === i + 1 ? 0.4 : j === i - 1 ? 0.6 : 0)));
    const run = longRun(p, [0, 0, 1, 0, 0]);
    assert.deepEqual(run.closedClasses, [[0], [4]]);
    assert.deepEqual(run.transient, [1, 2, 3]);
    for (const i of [1, 2, 3]) close(run.absorption[i]![1], (1 - 1.5 ** i) / (1 - 1.5 ** 4), 1e-12, `win from ${i}`);
    const win = (1 - 1.5 ** 2) / (1 - 1.5 ** 4);
    close(run.distribution[4], win, 1e-12);
    close(run.distribution[0], 1 - win, 1e-12);
    // Quasi-stationary: v Q = λ v on the transient states, λ the largest eigenvalue of Q.
    const v = run.quasiStationary!;
    const q = [1, 2, 3].map((i) => [1, 2, 3].map((j) => p[i]![j]!));
    const vt = [v[1]!, v[2]!, v[3]!];
    const vq = [0, 1, 2].map((j) => vt.reduce((s, x, i) => s + x * q[i]![j]!, 0));
    const lambda = vq.reduce((s, x) => s + x, 0);
    // Tridiagonal Q with off-diagonals 0.4 and 0.6: eigenvalues 2√0.24 cos(kπ/4), the largest √0.48.
    close(lambda, Math.sqrt(0.48), 1e-10, 'λ');
    vq.forEach((x, j) => close(x, lambda * vt[j]!, 1e-10, `vQ = λv at ${j}`));
    assert.equal(v[0], 0);
  });

  it('a linear solve agrees with its equations', () => {
    const x = solve([[2, 1, 0], [1, 3, 1], [0, 1, 4]], [3, 5, 6]);
    close(2 * x[0]! + x[1]!, 3, 1e-12);
    close(x[0]! + 3 * x[1]! + x[2]!, 5, 1e-12);
    close(x[1]! + 4 * x[2]!, 6, 1e-12);
  });
});

describe('steps to a target', () => {
  it('geometric waiting: 1/q from a state that reaches the target with probability q per step', () => {
    const h = hitting([[0.75, 0.25], [0.5, 0.5]], 1);
    close(h.expectedSteps[0], 4, 1e-12);
    // From the target: once more at once (½), or leave and wait 4 more: 1 + ½ × 4.
    close(h.expectedSteps[1], 3, 1e-12);
    assert.deepEqual(h.probability, [1, 1]);
  });

  it('an absorbing trap makes the expectation infinite (null) and the probability below 1', () => {
    // 0 → target 1 (0.3), → trap 2 (0.2), stays (0.5): reaches the target with 0.3 / 0.5.
    const h = hitting([[0.5, 0.3, 0.2], [1, 0, 0], [0, 0, 1]], 1);
    close(h.probability[0], 0.6, 1e-12);
    assert.equal(h.probability[2], 0);
    assert.deepEqual(h.expectedSteps, [null, null, null]);
    close(h.probability[1], 0.6, 1e-12, 'back to the target');
  });

  it('expected steps agree with a seeded Monte-Carlo simulation within 1.5%', () => {
    const rng = new Random(2024);
    const p = randomChain(5, rng, 0.3);
    const target = 0;
    const h = hitting(p, target);
    const walks = 40_000;
    for (let start = 0; start < 5; start++) {
      let total = 0;
      for (let w = 0; w < walks; w++) {
        let state = start;
        let steps = 0;
        do {
          const u = rng.nextFloat();
          let acc = 0;
          let next = 4;
          for (let j = 0; j < 5; j++) {
            acc += p[state]![j]!;
            if (u < acc) {
              next = j;
              break;
            }
          }
          state = next;
          steps++;
        } while (state !== target);
        total += steps;
      }
      // The hitting time's sd is about its mean here, so 40,000 walks give a standard error near 0.5% of it.
      close(total / walks, h.expectedSteps[start]!, 0.015 * h.expectedSteps[start]!, `from ${start}`);
    }
  });

  it('reaching within k steps equals the k-step absorption probability of the chain with the target absorbing', () => {
    const rng = new Random(11);
    const p = randomChain(4, rng, 0.3);
    const absorbing = p.map((row, i) => (i === 2 ? row.map((_, j) => (j === 2 ? 1 : 0)) : row));
    for (const k of [1, 2, 5]) {
      const within = reachWithin(p, 2, k);
      const reference = power(absorbing, k);
      for (const i of [0, 1, 3]) close(within[i], reference[i]![2]!, 1e-12, `k=${k} from ${i}`);
      // From the target itself: one step to wherever, then the same from there within k − 1.
      const rest = k === 1 ? [0, 0, 0, 0] : power(absorbing, k - 1).map((row) => row[2]!);
      close(within[2], p[2]!.reduce((s, x, j) => s + x * (j === 2 ? 1 : rest[j]!), 0), 1e-12, `k=${k} from the target`);
    }
  });
});
