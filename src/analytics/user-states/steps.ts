import { identityMinus, solve, submatrix } from './linear.js';
import { reachability } from './long-run.js';

/** How a chain reaches one target state (purchasing, for the user-state model). */
export interface Hitting {
  /**
   * Per state: probability of ever reaching the target. From the target itself: of coming back to
   * it after leaving (or staying: P(target → target) counts).
   */
  probability: number[];
  /**
   * Per state: expected number of steps until the target is first reached, from the fundamental
   * matrix of the chain with the target made absorbing, t = (I − Q)⁻¹·1. From the target itself:
   * the expected steps until the next visit (1 when it recurs at once). Null where the target is
   * reached with probability below 1, since the expectation is then infinite.
   */
  expectedSteps: (number | null)[];
}

/** Probabilities within this distance of 1 count as certain: they come out of a linear solve. */
const CERTAIN = 1e-9;

/**
 * Hitting probabilities and expected hitting times of `target` in the chain `p`.
 *
 * Only states that can reach the target enter the solves: on them I − Q is invertible (every one
 * leaks mass towards the target), whereas the full I − Q is singular as soon as some other closed
 * class exists (e.g. churned users that never come back).
 *
 * @example
 * // From state 0, the target 1 is reached with probability 0.25 each step: 4 steps on average.
 * hitting([[0.75, 0.25], [0.5, 0.5]], 1).expectedSteps; // [4, 3]: back to 1 takes one step, or 1 + 4
 */
export function hitting(p: readonly (readonly number[])[], target: number): Hitting {
  const n = p.length;
  const reach = reachability(p);
  const others = p.map((_, i) => i).filter((i) => i !== target);
  const canReach = others.filter((i) => reach[i]![target]);
  const probability = new Array<number>(n).fill(0);
  if (canReach.length > 0) {
    const h = solve(identityMinus(submatrix(p, canReach)), canReach.map((i) => p[i]![target]!));
    canReach.forEach((i, k) => (probability[i] = Math.min(1, Math.max(0, h[k]!))));
  }
  // From the target: one step, then the hitting probability of wherever it lands.
  probability[target] = p[target]!.reduce((s, pij, j) => s + pij * (j === target ? 1 : probability[j]!), 0);

  const expectedSteps = new Array<number | null>(n).fill(null);
  // States that reach the target surely move only among themselves and the target.
  const sure = others.filter((i) => probability[i]! > 1 - CERTAIN);
  if (sure.length > 0) {
    const t = solve(identityMinus(submatrix(p, sure)), sure.map(() => 1));
    sure.forEach((i, k) => (expectedSteps[i] = t[k]!));
  }
  if (probability[target]! > 1 - CERTAIN) {
    expectedSteps[target] = 1 + p[target]!.reduce((s, pij, j) => s + (j === target ? 0 : pij * (expectedSteps[j] ?? 0)), 0);
  }
  return { probability, expectedSteps };
}

/**
 * Per state: probability of reaching `target` within `steps` steps (at step 1, 2, …, `steps`; being
 * in the target now does not count). Iterates f ← P[·, target] + Q f, `steps` times.
 *
 * @example
 * reachWithin([[0.5, 0.5], [0, 1]], 1, 2); // [0.75, 1]
 */
export function reachWithin(p: readonly (readonly number[])[], target: number, steps: number): number[] {
  let f = new Array<number>(p.length).fill(0);
  for (let s = 0; s < steps; s++) {
    f = p.map((row) => row.reduce((acc, pij, j) => acc + pij * (j === target ? 1 : f[j]!), 0));
  }
  return f;
}
