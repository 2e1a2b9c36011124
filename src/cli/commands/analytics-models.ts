// The tables `magpie analytics` prints for recommendation impact, the user-state Markov model and
// the engagement Bayesian network (the row-per-period analyses live in analytics.ts).
import type { EngagementNetwork, RecImpactRow, UserStateModel } from '../../analytics/index.js';
import { int } from '../format.js';
import type { PrintedTable } from './analytics.js';

const dash = '—';
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? dash : `${(x * 100).toFixed(1)}%`);
const money = (x: number | null): string => (x === null ? dash : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const dec = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined ? dash : x.toFixed(digits));

/** Recommendation impact: one row per source and period, the whole range first. */
export function recImpactTable(rows: RecImpactRow[]): PrintedTable {
  return {
    title: 'Recommendation impact (per response shown; the period is when it was shown, "all" the whole range)',
    header: ['period', 'surface', 'source', 'model', 'variant', 'exposures', 'users', 'clicks', 'CTR', 'add-to-cart', 'conversion', 'revenue', 'revenue/exposure'],
    rows: rows.map((r) => [
      r.period,
      r.surface ?? dash,
      r.source ?? dash,
      r.model ?? dash,
      r.experiment === null ? dash : `${r.experiment}:${r.variant ?? ''}`,
      int(r.exposures),
      int(r.usersExposed),
      int(r.clicks),
      pct(r.clickThroughRate),
      pct(r.addToCartRate),
      pct(r.conversionRate),
      money(r.revenue),
      money(r.revenuePerExposure),
    ]),
  };
}

/** The transition matrix with intervals, then the long run, steps to purchase and conversion per state. */
export function userStateTables(model: UserStateModel): PrintedTable[] {
  const unit = model.by;
  const cell = (i: number, j: number): string => {
    const t = model.transitions[i * model.states.length + j]!;
    return `${pct(t.probability)} [${(t.low * 100).toFixed(1)}–${(t.high * 100).toFixed(1)}]`;
  };
  const matrix: PrintedTable = {
    title:
      `User states by ${unit}, ${int(model.users)} users and ${int(model.sessions)} anonymous sessions, ${model.firstPeriod ?? dash} to ${model.lastPeriod ?? dash}; ` +
      `churned after ${model.churnAfter} quiet ${unit}s.\nTransition probabilities, row to column, with 95% Wilson intervals`,
    header: ['from \\ to', ...model.states, 'transitions'],
    rows: model.states.map((from, i) => [from, ...model.states.map((_, j) => cell(i, j)), int(model.counts[i]!.reduce((a, b) => a + b, 0))]),
  };
  const run = model.longRun;
  const notes = [
    run.closedClasses.length === 1 ? 'Long run: the unique stationary distribution (π P = π)' : 'Long run: several closed classes, so the shares are the limit from the observed entry mix',
    run.absorbing.length > 0 ? `; absorbing: ${run.absorbing.join(', ')} (the quasi-stationary column is the mix among those not yet absorbed)` : '',
    `; long-run purchasing share ${pct(run.purchasingShare)}`,
    model.conversion ? `; ${pct(model.conversion.overall)} of those not purchasing purchase within ${model.conversion.periods} ${unit}s` : '',
    model.unobservedRows.length > 0 ? `. No transition seen out of ${model.unobservedRows.join(', ')} (treated as absorbing)` : '',
  ].join('');
  const quasi = run.quasiStationary;
  const summary: PrintedTable = {
    title: notes,
    header: ['state', `${unit}s observed`, 'entry', 'long-run share', ...(quasi ? ['quasi-stationary'] : []), `${unit}s to purchase`, `P(purchase within ${model.conversion?.periods ?? dash})`, 'P(ever purchase)'],
    rows: model.states.map((state, i) => [
      state,
      int(model.visits[i]!),
      pct(model.entry[i]),
      pct(run.distribution[i]),
      ...(quasi ? [pct(quasi[i])] : []),
      dec(model.stepsToPurchase?.expectedSteps[i]),
      pct(model.conversion?.byState[i]),
      pct(model.stepsToPurchase?.probability[i]),
    ]),
  };
  return [matrix, summary];
}

/** The variables, the outcome's CPT under the learned (or given) structure, and driver-by-driver queries. */
export function bayesNetTables(net: EngagementNetwork): PrintedTable[] {
  const variables: PrintedTable = {
    title:
      `Engagement network: ${int(net.users)} users active before ${net.asOf.slice(0, 10)}, ${int(net.purchasers)} (${pct(net.baseRate)}) bought in the ` +
      `${net.horizonDays} days after${net.windowComplete ? '' : ' (the window runs past the data)'}`,
    header: ['variable', 'states (users)', 'meaning'],
    rows: [
      ...net.variables.map((v) => [v.name, v.states.map((s, k) => `${s} ${int(v.counts[k]!)}`).join(', '), v.description]),
      ...net.unavailable.map((u) => [u.name, dash, `not built: ${u.reason}`]),
    ],
  };
  const edges = net.edges.map((e) => `${e.from} → ${e.to}`).join(', ') || 'no edges';
  const parents = net.outcomeCpt.parents;
  const cpt: PrintedTable = {
    title: `Structure (${net.learned ? 'learned by hill climbing on BIC' : 'given'}, BIC ${net.bic.toFixed(1)}): ${edges}.\nP(${net.outcome} = yes | ${parents.join(', ') || 'no parents'})`,
    header: [...parents, 'users', `P(${net.outcome})`],
    rows: net.outcomeCpt.rows.map((r) => [...parents.map((p) => r.given[p]!), int(r.users), pct(r.probability)]),
  };
  const queries: PrintedTable = {
    title: `Example queries: P(${net.outcome} = yes | one driver) by exact inference, beside the share observed`,
    header: ['driver', 'state', 'users', 'network', 'observed'],
    rows: net.drivers.map((d) => [d.variable, d.state, int(d.users), pct(d.probability), pct(d.observed)]),
  };
  return [variables, cpt, queries];
}
