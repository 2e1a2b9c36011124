import { analyzeUserStates, type UserState, type UserStateModel } from '../../analytics/user-states/index.js';
import { chart, fmt, fmtGraph, legend, round, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection } from '../define.js';
import { dec, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, note, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { NotAvailable } from '../unavailable.js';

/** Colours of the states, fixed so a state looks the same in every chart: buying green, leaving red. */
const STATE_COLOURS: Record<UserState, string> = { purchasing: '#009E73', carting: '#E69F00', browsing: '#56B4E9', away: '#7f7f7f', churned: '#D55E00' };

/** Arrows below this probability are drawn faintly and unlabelled, so the diagram stays readable. */
const MINOR = 0.01;

/**
 * The Markov diagram: states on a circle (area: long-run share), one arrow per observed move to
 * another state (width: probability). Staying put is written under the state rather than drawn as
 * a loop, which would sit on top of the circle's label.
 */
export function stateDiagram(model: UserStateModel): ReportChart {
  const n = model.states.length;
  const largest = Math.max(1e-9, ...model.longRun.distribution);
  const nodes = model.states.map((state, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    const share = model.longRun.distribution[i] ?? 0;
    const stay = model.matrix[i]![i]!;
    return {
      name: state,
      // y grows upwards on the hidden axes, so the first state sits at the top.
      value: [Math.round(Math.cos(angle) * 1000) / 10, Math.round(-Math.sin(angle) * 1000) / 10, round(share, 6) ?? 0],
      symbolSize: 28 + 52 * Math.sqrt(share / largest),
      itemStyle: { color: STATE_COLOURS[state] },
      // The top state's label goes above it, the others' below, away from the arrows between them.
      label: { position: (i === 0 ? 'top' : 'bottom') as 'top' | 'bottom', formatter: `${state}: ${pct(share)} long run\nstays ${pct(stay)}` },
    };
  });
  const links = model.transitions
    .filter((t) => t.count > 0 && t.from !== t.to)
    .map((t) => ({
      source: t.from,
      target: t.to,
      value: round(t.probability, 6) ?? 0,
      lineStyle: { width: 1 + 7 * t.probability, opacity: t.probability < MINOR ? 0.35 : 0.8, curveness: 0.2, color: STATE_COLOURS[t.from] },
      label: { show: t.probability >= MINOR },
    }));
  const hidden = { show: false };
  const axis = { type: 'value' as const, min: -118, max: 118, axisLine: hidden, axisTick: hidden, axisLabel: hidden, splitLine: hidden };
  return chart('user-states-diagram', {
    tooltip: { formatter: fmtGraph('pct') },
    // Hidden axes rather than the graph's own view keep the circles round whatever the chart's shape.
    grid: { left: 90, right: 90, top: 50, bottom: 50, containLabel: false },
    xAxis: axis,
    yAxis: axis,
    series: [
      {
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        edgeSymbol: ['none', 'arrow'] as [string, string],
        edgeSymbolSize: 10,
        label: { show: true, color: '#24292f', fontSize: 12, lineHeight: 16, align: 'center' },
        edgeLabel: { show: true, formatter: fmt('pct'), fontSize: 12, color: '#24292f', backgroundColor: '#ffffff', padding: [1, 3] },
        data: nodes,
        links,
      },
    ],
  });
}

/** The user-state Markov model: diagram, transition matrix, long run and steps to purchase. */
export const userStatesSection = defineSection<UserStateModel>({
  id: 'user-states',
  title: 'User states (Markov model)',
  gather: (ctx) => analyzeUserStates(ctx.store, { ...analyticsRange(ctx), by: 'week' }),
  render(model) {
    if (model.states.length === 0) throw new NotAvailable('no activity of users or sessions in the range');
    const unit = model.by === 'month' ? 'month' : model.by === 'week' ? 'week' : 'day';
    const diagram = stateDiagram(model);
    const index = (s: UserState): number => model.states.indexOf(s);
    const conversion = model.conversion;
    const steps = model.stepsToPurchase;
    const shares = chart('user-states-shares', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
      xAxis: { type: 'category', data: model.states },
      yAxis: valueAxis('share', 'pct0', { min: 0 }),
      series: [
        { name: 'first period', type: 'bar', data: model.entry.map((x) => round(x, 6)) },
        { name: 'long run', type: 'bar', data: model.longRun.distribution.map((x) => round(x, 6)) },
        ...(conversion ? [{ name: `purchase within ${conversion.periods} ${unit}s`, type: 'bar' as const, data: conversion.byState.map((x) => round(x, 6)) }] : []),
      ],
    });
    const matrixColumns = [
      { header: `from \\ to`, cell: (i: number) => model.states[i]! },
      ...model.states.map((to, j) => ({ header: to, cell: (i: number) => `${pct(model.matrix[i]![j]!)} (${int(model.counts[i]![j]!)})` })),
    ];
    const rows = model.states.map((_, i) => i);
    const notes: string[] = [];
    if (model.unobservedRows.length > 0) notes.push(`${model.unobservedRows.join(', ')} ${model.unobservedRows.length === 1 ? 'is' : 'are'} only seen in the last ${unit} of the data, so ${model.unobservedRows.length === 1 ? 'its row is' : 'their rows are'} set to stay put: read them with care.`);
    if (model.longRun.absorbing.length > 0) notes.push(`Nobody ever left ${model.longRun.absorbing.join(', ')}: the chain ends there, and the long run shows where actors are absorbed.`);
    const missing = (['carting', 'browsing'] as const).filter((s) => index(s) < 0);
    if (missing.length > 0) notes.push(`No ${missing.join(' or ')} periods: the data has no ${missing.map((s) => (s === 'carting' ? 'add-to-cart' : 'view, click or search')).join(' or ')} events, so the model has only the states it can see.`);
    const html = [
      paragraph(
        `Every known user (and anonymous session) is in one state per ISO ${unit}: purchasing (a purchase), carting (an add-to-cart, no purchase), browsing (views, clicks or searches only), away (nothing, fewer than ${model.churnAfter} ${unit}s since the last activity) or churned (nothing for ${model.churnAfter} ${unit}s or more). The diagram shows the estimated probability of moving from one ${unit}'s state to the next; circle area is the long-run share of ${unit}s spent in each state.`,
      ),
      ...notes.map(note),
      keyFigures([
        { label: 'users followed', value: int(model.users) },
        { label: 'anonymous sessions followed', value: int(model.sessions) },
        { label: `long-run share of ${unit}s purchasing`, value: pct(model.longRun.purchasingShare) },
        ...(conversion ? [{ label: `P(purchase within ${conversion.periods} ${unit}s), not buying now`, value: pct(conversion.overall) }] : []),
      ]),
      chartRow(chartBox(diagram.id, `Transitions between ${unit}ly states (arrow labels: probability; faint arrows are below 1%)`, 420), chartBox(shares.id, 'State shares: first period, long run, and the chance of a purchase soon', 420)),
      dataTable('user-states-matrix', `Transition matrix: probability (count) of the next ${unit}'s state`, matrixColumns, rows),
      dataTable(
        'user-states-figures',
        'Per state',
        [
          { header: 'state', cell: (i) => model.states[i]! },
          { header: `${unit}s observed`, cell: (i) => int(model.visits[i]!) },
          { header: 'share of first periods', cell: (i) => pct(model.entry[i]!) },
          { header: 'long-run share', cell: (i) => pct(model.longRun.distribution[i]!) },
          ...(conversion ? [{ header: `P(purchase within ${conversion.periods} ${unit}s)`, cell: (i: number) => pct(conversion.byState[i]!) }] : []),
          ...(steps ? [{ header: `expected ${unit}s to the next purchase`, cell: (i: number) => dec(steps.expectedSteps[i] ?? null, 1) }] : []),
        ],
        rows,
      ),
    ].join('\n');
    const purchasing = index('purchasing');
    return {
      id: 'user-states',
      title: 'User states (Markov model)',
      html,
      charts: [diagram, shares],
      summary:
        `${pct(model.longRun.purchasingShare)} of ${unit}s are spent purchasing in the long run` +
        (purchasing >= 0 ? `; a buyer buys again the next ${unit} with probability ${pct(model.matrix[purchasing]![purchasing]!)}` : '') +
        (conversion ? `; ${pct(conversion.overall)} of the others buy within ${conversion.periods} ${unit}s.` : '.'),
      status: 'ok',
      data: model,
    };
  },
});
