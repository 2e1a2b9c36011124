import type { Granularity } from '../periods.js';
import { longRun } from './long-run.js';
import { estimateChain } from './markov.js';
import { USER_STATES, type StateTally, type UserState } from './states.js';
import { hitting, reachWithin } from './steps.js';

/** One cell of the transition matrix, for charts (a Markov diagram draws one arrow per cell with a count). */
export interface StateTransition {
  from: UserState;
  to: UserState;
  /** Periods in `from` followed by a period in `to`. */
  count: number;
  /** Maximum-likelihood probability: count ÷ periods in `from` that have a next period. */
  probability: number;
  /** 95% Wilson interval of the probability. */
  low: number;
  high: number;
}

/** Long-run behaviour of the model's chain; vectors are aligned with `UserStateModel.states`. */
export interface UserStateLongRun {
  /**
   * Long-run share of actor-periods in each state (π with π P = π). Unique when there is one closed
   * class; otherwise the limit from the observed entry distribution (see `absorption`).
   */
  distribution: number[];
  /** distribution of `purchasing` (0 when the state never occurs). */
  purchasingShare: number;
  /** Sets of states never left once entered; a single one holding every state means the chain is irreducible. */
  closedClasses: UserState[][];
  /** Closed classes of one state, e.g. `churned` when no churned actor ever came back. */
  absorbing: UserState[];
  /** `absorption[i][c]`: probability that an actor now in `states[i]` ends in `closedClasses[c]`. */
  absorption: number[][];
  /** Quasi-stationary distribution over the transient states (0 on the others): the mix among actors not yet absorbed; null when no state is transient. */
  quasiStationary: number[] | null;
}

/** Reaching `purchasing`, per state; null in the model when the data has no purchases. */
export interface StepsToPurchase {
  /** Probability of a purchasing period ever following (from purchasing: another one after this). */
  probability: number[];
  /**
   * Expected periods until the first purchasing period, (I − Q)⁻¹·1 with purchasing absorbing; from
   * purchasing, until the next one (1 when the next period is one). Null where purchasing may never come.
   */
  expectedSteps: (number | null)[];
}

/** Chance of a purchasing period within `periods` periods. */
export interface Conversion {
  periods: number;
  /** Per state (a purchasing period now does not count; the next `periods` ones do). */
  byState: number[];
  /** Over the actors not purchasing now, weighted by the long-run distribution; null when they have no long-run weight. */
  overall: number | null;
}

/** The figures derived from a transition matrix; recomputed by what-if analysis on an edited one. */
export interface ChainFigures {
  longRun: UserStateLongRun;
  stepsToPurchase: StepsToPurchase | null;
  conversion: Conversion | null;
}

/** The user-state Markov model of {@link analyzeUserStates}. Every per-state vector is aligned with `states`. */
export interface UserStateModel extends ChainFigures {
  by: Granularity;
  /** A period without activity is `churned` once this many periods have passed since the last active one. */
  churnAfter: number;
  /** First and last period observed (labels as the other analyses print them); null without data. */
  firstPeriod: string | null;
  lastPeriod: string | null;
  /** Known users and anonymous sessions followed. */
  users: number;
  sessions: number;
  /** The states that occur, in {@link USER_STATES} order. */
  states: UserState[];
  /** Actor-periods spent in each state. */
  visits: number[];
  /** Share of actors whose first period is in each state. */
  entry: number[];
  /** counts[i][j]: periods in states[i] followed by one in states[j]. */
  counts: number[][];
  /** The maximum-likelihood transition matrix (rows sum to 1). */
  matrix: number[][];
  /** Every cell of the matrix with its count and 95% Wilson interval, row by row. */
  transitions: StateTransition[];
  /** States never followed by another period (only seen at the end of the data): made absorbing, so read their row with care. */
  unobservedRows: UserState[];
}

/**
 * Long-run distribution, steps to purchase and conversion of the chain `matrix` over `states`,
 * started from `entry`.
 */
export function chainFigures(states: readonly UserState[], matrix: readonly (readonly number[])[], entry: readonly number[], conversionWithin: number): ChainFigures {
  const run = longRun(matrix, entry);
  const names = (indices: number[]): UserState[] => indices.map((i) => states[i]!);
  const purchasing = states.indexOf('purchasing');
  const longRunOut: UserStateLongRun = {
    distribution: run.distribution,
    purchasingShare: purchasing < 0 ? 0 : run.distribution[purchasing]!,
    closedClasses: run.closedClasses.map(names),
    absorbing: run.closedClasses.filter((c) => c.length === 1).map((c) => states[c[0]!]!),
    absorption: run.absorption,
    quasiStationary: run.quasiStationary,
  };
  if (purchasing < 0) return { longRun: longRunOut, stepsToPurchase: null, conversion: null };
  const byState = reachWithin(matrix, purchasing, conversionWithin);
  let weight = 0;
  let converted = 0;
  run.distribution.forEach((share, i) => {
    if (i === purchasing) return;
    weight += share;
    converted += share * byState[i]!;
  });
  return {
    longRun: longRunOut,
    stepsToPurchase: hitting(matrix, purchasing),
    conversion: { periods: conversionWithin, byState, overall: weight > 0 ? converted / weight : null },
  };
}

/** Builds the model from the tallied sequences: keeps the states that occur and estimates the chain on them. */
export function modelFromTally(
  tally: StateTally,
  meta: { by: Granularity; churnAfter: number; conversionWithin: number; firstPeriod: string | null; lastPeriod: string | null; users: number; sessions: number },
): UserStateModel {
  const s = USER_STATES.length;
  const present = USER_STATES.map((_, i) => i).filter((i) => tally.visits[i]! > 0);
  const states = present.map((i) => USER_STATES[i]!);
  const counts = present.map((i) => present.map((j) => tally.counts[i * s + j]!));
  const { matrix, intervals, unobservedRows } = estimateChain(counts);
  const actors = tally.actors;
  const entry = present.map((i) => (actors === 0 ? 0 : tally.entries[i]! / actors));
  const transitions: StateTransition[] = [];
  states.forEach((from, i) =>
    states.forEach((to, j) => transitions.push({ from, to, count: counts[i]![j]!, probability: matrix[i]![j]!, low: intervals[i]![j]!.low, high: intervals[i]![j]!.high })),
  );
  return {
    by: meta.by,
    churnAfter: meta.churnAfter,
    firstPeriod: meta.firstPeriod,
    lastPeriod: meta.lastPeriod,
    users: meta.users,
    sessions: meta.sessions,
    states,
    visits: present.map((i) => tally.visits[i]!),
    entry,
    counts,
    matrix,
    transitions,
    unobservedRows: unobservedRows.map((i) => states[i]!),
    ...chainFigures(states, matrix, entry, meta.conversionWithin),
  };
}
