import { MagpieError } from '../../core/errors.js';
import { chainFigures, type UserStateModel } from './model.js';
import type { UserState } from './states.js';

/** A change to one transition: `delta` probability points moved onto `from → to` (negative moves mass off it). */
export interface WhatIfChange {
  from: UserState;
  to: UserState;
  /** In probability points, e.g. 0.05 for five more in a hundred; clipped so the probability stays in [0, 1]. */
  delta: number;
}

/** A before/after pair of one figure. */
export interface Change {
  before: number;
  after: number;
  /** after − before. */
  change: number;
}

/** What {@link whatIf} found. Per-state vectors are aligned with the model's `states`. */
export interface WhatIfResult {
  from: UserState;
  to: UserState;
  /** The delta applied after clipping. */
  delta: number;
  /** The `from` row of the transition matrix before and after the edit. */
  row: { before: number[]; after: number[] };
  /** The whole edited matrix. */
  matrix: number[][];
  /** Long-run share of actor-periods in purchasing. */
  purchasingShare: Change;
  /** Share of the actors not purchasing now who purchase within the model's conversion window; null without purchases. */
  conversion: (Change & { periods: number }) | null;
  /** Expected periods to the first purchasing period, per state (null where it may never come). */
  stepsToPurchase: { before: (number | null)[]; after: (number | null)[] } | null;
  /** Long-run distribution over the states, before and after. */
  distribution: { before: number[]; after: number[] };
}

const change = (before: number, after: number): Change => ({ before, after, change: after - before });

function stateIndex(model: UserStateModel, state: UserState, field: 'from' | 'to'): number {
  const i = model.states.indexOf(state);
  if (i < 0) {
    throw new MagpieError('invalid_input', `the model has no "${String(state)}" state`, { location: { field }, hint: `use one of ${model.states.join(', ')}` });
  }
  return i;
}

/**
 * Moves `delta` of probability onto one transition and reports how the long-run purchasing share,
 * the conversion within the model's window and the steps to purchase respond. The rest of the row
 * is rescaled to keep its proportions and sum to 1 (when the edited cell held the whole row, the
 * freed mass is spread evenly over the other states). The entry distribution is kept, so the long
 * run is comparable before and after.
 *
 * @example
 * const model = await analyzeUserStates(store);
 * const lift = whatIf(model, { from: 'away', to: 'purchasing', delta: 0.02 });
 * lift.purchasingShare; // { before: 0.041, after: 0.047, change: 0.006 }
 */
export function whatIf(model: UserStateModel, edit: WhatIfChange): WhatIfResult {
  const from = stateIndex(model, edit.from, 'from');
  const to = stateIndex(model, edit.to, 'to');
  if (!Number.isFinite(edit.delta)) throw new MagpieError('invalid_input', `delta must be a number, got ${String(edit.delta)}`, { location: { field: 'delta' }, hint: 'e.g. 0.05 for five more in a hundred' });
  const before = model.matrix[from]!;
  const target = Math.min(1, Math.max(0, before[to]! + edit.delta));
  const rest = 1 - before[to]!;
  const others = before.length - 1;
  const after = before.map((p, j) => {
    if (j === to) return target;
    if (rest > 0) return (p * (1 - target)) / rest;
    return others > 0 ? (1 - target) / others : 0;
  });
  const matrix = model.matrix.map((row, i) => (i === from ? after : [...row]));
  const periods = model.conversion?.periods ?? 1;
  const edited = chainFigures(model.states, matrix, model.entry, periods);
  return {
    from: edit.from,
    to: edit.to,
    delta: target - before[to]!,
    row: { before: [...before], after },
    matrix,
    purchasingShare: change(model.longRun.purchasingShare, edited.longRun.purchasingShare),
    conversion:
      model.conversion && edited.conversion && model.conversion.overall !== null && edited.conversion.overall !== null
        ? { periods, ...change(model.conversion.overall, edited.conversion.overall) }
        : null,
    stepsToPurchase: model.stepsToPurchase && edited.stepsToPurchase ? { before: model.stepsToPurchase.expectedSteps, after: edited.stepsToPurchase.expectedSteps } : null,
    distribution: { before: model.longRun.distribution, after: edited.longRun.distribution },
  };
}
