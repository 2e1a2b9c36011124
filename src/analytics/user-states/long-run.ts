import { identityMinus, solve, submatrix } from './linear.js';

/**
 * Where a Markov chain ends up. A chain can have several closed classes (sets of states never left
 * once entered, e.g. `churned` when nobody ever came back), so "the" stationary distribution is
 * unique only when there is exactly one; otherwise the long-run distribution depends on where one
 * starts, and is reported from the given starting distribution.
 */
export interface ChainLongRun {
  /**
   * Long-run share of time in each state, starting from the given initial distribution: the
   * unique stationary distribution when there is one closed class, else the mix of each class's
   * stationary distribution weighted by the chance of ending in it. It satisfies π P = π either way.
   */
  distribution: number[];
  /** Closed communicating classes, as state indices; one class means the stationary distribution is unique. */
  closedClasses: number[][];
  /** `absorption[i][c]`: probability that the chain started in state i ends in `closedClasses[c]`. */
  absorption: number[][];
  /** States outside every closed class: visited for a while, then left for good. */
  transient: number[];
  /**
   * Quasi-stationary distribution over the transient states (0 elsewhere): the long-run mix of
   * states among chains not yet absorbed — the distribution "restricted to the transient part".
   * Null when no state is transient, or when transient states are always left at once.
   */
  quasiStationary: number[] | null;
}

/** reach[i][j]: j can be reached from i in zero or more steps (Warshall's transitive closure). */
export function reachability(p: readonly (readonly number[])[]): boolean[][] {
  const n = p.length;
  const reach = p.map((row, i) => row.map((v, j) => i === j || v > 0));
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < n; i++) {
      if (!reach[i]![k]) continue;
      for (let j = 0; j < n; j++) if (reach[k]![j]) reach[i]![j] = true;
    }
  }
  return reach;
}

/** Communicating classes, and which of them are closed (no transition leaves them). */
export function communicatingClasses(p: readonly (readonly number[])[]): { classes: number[][]; closed: boolean[] } {
  const reach = reachability(p);
  const seen = new Array<boolean>(p.length).fill(false);
  const classes: number[][] = [];
  for (let i = 0; i < p.length; i++) {
    if (seen[i]) continue;
    const members = p.map((_, j) => j).filter((j) => reach[i]![j] && reach[j]![i]);
    for (const j of members) seen[j] = true;
    classes.push(members);
  }
  const closed = classes.map((members) => members.every((i) => p[i]!.every((v, j) => v === 0 || members.includes(j))));
  return { classes, closed };
}

/** The stationary distribution of a closed class (solving π(P − I) = 0 with Σπ = 1 on its states). */
function classStationary(p: readonly (readonly number[])[], members: readonly number[]): number[] {
  const k = members.length;
  if (k === 1) return [1];
  const q = submatrix(p, members);
  // Rows of (P − I)ᵀ, the last replaced by Σπ = 1: the system is singular by one, and that row removes it.
  const a = Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => (r === k - 1 ? 1 : q[c]![r]! - (r === c ? 1 : 0))));
  const b = Array.from({ length: k }, (_, r) => (r === k - 1 ? 1 : 0));
  return solve(a, b).map((v) => Math.max(0, v));
}

/** Power iteration on the lazy chain (Q + I) / 2: the same left eigenvector as Q, with no periodic oscillation. */
function quasiStationaryOf(q: readonly (readonly number[])[]): number[] | null {
  const k = q.length;
  if (q.every((row) => row.every((v) => v === 0))) return null;
  let v = new Array<number>(k).fill(1 / k);
  for (let iter = 0; iter < 100_000; iter++) {
    const next = v.map((vi) => vi / 2);
    v.forEach((vi, i) => q[i]!.forEach((qij, j) => (next[j]! += (vi * qij) / 2)));
    const total = next.reduce((s, x) => s + x, 0);
    if (total === 0) return null;
    let change = 0;
    for (let j = 0; j < k; j++) {
      next[j]! /= total;
      change = Math.max(change, Math.abs(next[j]! - v[j]!));
    }
    v = next;
    if (change < 1e-14) break;
  }
  return v;
}

/**
 * The long-run behaviour of the chain with row-stochastic transition matrix `p`, started from
 * `initial` (a distribution over the same states).
 *
 * @example
 * // Two states that swap with probabilities 0.2 and 0.1: π = (0.1, 0.2) / 0.3.
 * longRun([[0.8, 0.2], [0.1, 0.9]], [1, 0]).distribution; // [0.333…, 0.666…]
 */
export function longRun(p: readonly (readonly number[])[], initial: readonly number[]): ChainLongRun {
  const n = p.length;
  const { classes, closed } = communicatingClasses(p);
  const closedClasses = classes.filter((_, c) => closed[c]);
  const recurrent = new Set(closedClasses.flat());
  const transient = p.map((_, i) => i).filter((i) => !recurrent.has(i));

  const absorption = Array.from({ length: n }, () => new Array<number>(closedClasses.length).fill(0));
  closedClasses.forEach((members, c) => members.forEach((i) => (absorption[i]![c] = 1)));
  if (transient.length > 0) {
    // B = (I − Q)⁻¹ R, one column per closed class: R sums the one-step moves into the class.
    const iq = identityMinus(submatrix(p, transient));
    closedClasses.forEach((members, c) => {
      const r = transient.map((i) => members.reduce((s, j) => s + p[i]![j]!, 0));
      solve(iq, r).forEach((v, t) => (absorption[transient[t]!]![c] = v));
    });
  }

  const distribution = new Array<number>(n).fill(0);
  closedClasses.forEach((members, c) => {
    const weight = initial.reduce((s, x, i) => s + x * absorption[i]![c]!, 0);
    if (weight === 0) return;
    classStationary(p, members).forEach((v, k) => (distribution[members[k]!]! += weight * v));
  });

  let quasiStationary: number[] | null = null;
  if (transient.length > 0) {
    const v = quasiStationaryOf(submatrix(p, transient));
    if (v) {
      quasiStationary = new Array<number>(n).fill(0);
      transient.forEach((i, t) => (quasiStationary![i] = v[t]!));
    }
  }
  return { distribution, closedClasses, absorption, transient, quasiStationary };
}
