import { learnEngagementNetwork, OUTCOME, type EngagementNetwork } from '../../analytics/bayes-net/index.js';
import { chart, fmt, fmtGraph, PALETTE, round, valueAxis } from '../charts.js';
import { defineSection } from '../define.js';
import { date, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, note, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { orNotAvailable } from '../unavailable.js';

const HORIZON_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * Column of each variable in the drawing: its longest chain of ancestors, so every arrow points
 * right; the outcome gets the last column of its own.
 */
export function layers(names: readonly string[], edges: readonly { from: string; to: string }[], outcome: string): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0; // a cycle cannot come from a DAG; guard anyway
    seen.add(name);
    const parents = edges.filter((e) => e.to === name).map((e) => e.from);
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => of(p, seen)));
    depth.set(name, d);
    return d;
  };
  for (const name of names) if (name !== outcome) of(name, new Set());
  const last = Math.max(0, ...[...depth.values()]) + 1;
  depth.set(outcome, last);
  return depth;
}

/** The network's DAG, layered left to right with the outcome last, on hidden axes so circles stay round. */
function dagChart(net: EngagementNetwork): ReportChart {
  const names = net.variables.map((v) => v.name);
  const column = layers(names, net.edges, OUTCOME);
  const columns = Math.max(...column.values());
  const byColumn = new Map<number, string[]>();
  for (const name of names) byColumn.set(column.get(name)!, [...(byColumn.get(column.get(name)!) ?? []), name]);
  const nodes = net.variables.map((v) => {
    const at = column.get(v.name)!;
    const peers = byColumn.get(at)!;
    const row = peers.indexOf(v.name);
    // Lone nodes zig-zag up and down, so an arrow that skips a column does not run through it.
    const shift = peers.length === 1 && v.name !== OUTCOME ? (at % 2 === 0 ? 12 : -12) : 0;
    return {
      name: v.name,
      value: [at, Math.round(((row + 1) / (peers.length + 1)) * 1000) / 10 + shift],
      symbolSize: v.name === OUTCOME ? 30 : 24,
      itemStyle: { color: v.name === OUTCOME ? PALETTE[5] : v.tier === 0 ? PALETTE[4] : PALETTE[0] },
    };
  });
  const hidden = { show: false };
  return chart('bayes-net-dag', {
    tooltip: { formatter: fmtGraph('int') },
    grid: { left: 70, right: 70, top: 30, bottom: 30, containLabel: false },
    xAxis: { type: 'value', min: -0.2, max: columns + 0.2, axisLine: hidden, axisTick: hidden, axisLabel: hidden, splitLine: hidden },
    yAxis: { type: 'value', min: 0, max: 100, axisLine: hidden, axisTick: hidden, axisLabel: hidden, splitLine: hidden },
    series: [
      {
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        edgeSymbol: ['none', 'arrow'] as [string, string],
        edgeSymbolSize: 10,
        label: { show: true, position: 'bottom', color: '#24292f', fontSize: 12 },
        lineStyle: { color: '#57606a', width: 1.5, curveness: 0.2 },
        data: nodes,
        links: net.edges.map((e) => ({ source: e.from, target: e.to })),
      },
    ],
  });
}

/** P(purchase | one driver state) by inference on the network, beside the share observed, with the base rate. */
function driversChart(net: EngagementNetwork): ReportChart {
  const labels = net.drivers.map((d) => `${d.variable} = ${d.state}`);
  return chart('bayes-net-drivers', {
    legend: { top: 0, left: 'center' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
    grid: { left: 28, right: 32, top: 44, bottom: 36, containLabel: true },
    xAxis: valueAxis(`P(${OUTCOME} within ${net.horizonDays} days)`, 'pct0', { min: 0 }, 'bottom'),
    yAxis: { type: 'category', inverse: true, data: labels },
    series: [
      {
        name: 'network (exact inference)',
        type: 'bar',
        barMaxWidth: 18,
        data: net.drivers.map((d) => round(d.probability, 6)),
        markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#24292f' }, label: { position: 'start', formatter: `base rate ${pct(net.baseRate)}` }, data: [{ xAxis: round(net.baseRate, 6) ?? 0 }] },
      },
      { name: 'observed share', type: 'scatter', symbol: 'diamond', symbolSize: 10, itemStyle: { color: PALETTE[1] }, data: net.drivers.map((d) => round(d.observed, 6)) },
    ],
  });
}

/** The engagement Bayesian network: its structure, and P(purchase) given each driver. */
export const bayesNetSection = defineSection<EngagementNetwork>({
  id: 'bayes-net',
  title: 'Engagement drivers (Bayesian network)',
  gather: (ctx) =>
    orNotAvailable(() =>
      learnEngagementNetwork(ctx.store, {
        horizonDays: HORIZON_DAYS,
        // With an end to the range, the outcome window is its last 30 days; the drivers come before it.
        ...(ctx.range.to !== null ? { asOf: ctx.range.to - HORIZON_DAYS * DAY_MS } : {}),
        ...(ctx.range.from !== null ? { from: ctx.range.from } : {}),
      }),
    ),
  render(net) {
    const dag = dagChart(net);
    const drivers = driversChart(net);
    const rows = net.outcomeCpt.rows.filter((r) => r.users > 0);
    const telling = rows.filter((r) => r.users >= 30);
    const pool = telling.length >= 2 ? telling : rows;
    const low = pool.reduce((a, b) => (b.probability < a.probability ? b : a), pool[0]!);
    const high = pool.reduce((a, b) => (b.probability > a.probability ? b : a), pool[0]!);
    const given = (g: Record<string, string>): string => Object.entries(g).map(([k, v]) => `${k} ${v}`).join(', ') || 'everyone';
    const html = [
      paragraph(
        `A discrete Bayesian network over known users active before ${date(Date.parse(net.asOf))}: drivers measured before that cut-off, and the outcome "${OUTCOME}" = a purchase in the ${net.horizonDays} days after it. The structure (${net.learned ? 'learned by hill climbing on BIC' : 'given'}) lets who the user is influence behaviour, and both influence the outcome; conditional probability tables are smoothed counts, and every probability below comes from exact inference on the network.`,
      ),
      ...(net.windowComplete ? [] : [note(`The outcome window runs past the last event, so some purchases in it are missing: the probabilities are too low.`)]),
      ...(net.unavailable.length > 0 ? [note(`Drivers this data cannot support: ${net.unavailable.map((u) => `${u.name} (${u.reason})`).join('; ')}.`)] : []),
      keyFigures([
        { label: 'users', value: int(net.users) },
        { label: `bought within ${net.horizonDays} days`, value: `${int(net.purchasers)} (${pct(net.baseRate)})` },
        { label: `parents of ${OUTCOME}`, value: net.outcomeCpt.parents.join(', ') || 'none' },
        { label: 'edges', value: int(net.edges.length) },
      ]),
      chartRow(chartBox(dag.id, 'Structure: arrows from cause to effect (the outcome in red)', 380), chartBox(drivers.id, `P(${OUTCOME}) given one driver's state: network against the share observed`, Math.max(380, 60 + 22 * net.drivers.length))),
      dataTable(
        'bayes-net-outcome',
        `P(${OUTCOME} within ${net.horizonDays} days) for each combination of its parents`,
        [
          { header: net.outcomeCpt.parents.join(' · ') || 'everyone', cell: (r) => given(r.given) },
          { header: 'users', cell: (r) => int(r.users) },
          { header: `P(${OUTCOME})`, cell: (r) => pct(r.probability) },
        ],
        net.outcomeCpt.rows,
        { collapsed: net.outcomeCpt.rows.length > 16 },
      ),
      dataTable(
        'bayes-net-drivers',
        'Each driver state: users, the network’s probability and the observed share',
        [
          { header: 'driver = state', cell: (d) => `${d.variable} = ${d.state}` },
          { header: 'users', cell: (d) => int(d.users) },
          { header: `P(${OUTCOME} | state)`, cell: (d) => pct(d.probability) },
          { header: 'observed share', cell: (d) => pct(d.observed) },
        ],
        net.drivers,
        { collapsed: true },
      ),
      dataTable(
        'bayes-net-variables',
        'Variables',
        [
          { header: 'variable', cell: (v) => v.name },
          { header: 'states (users)', cell: (v) => v.states.map((s, i) => `${s} ${int(v.counts[i]!)}`).join(' · '), numeric: false, wide: true },
          { header: 'meaning', cell: (v) => v.description, numeric: false, wide: true },
        ],
        net.variables,
        { collapsed: true },
      ),
    ].join('\n');
    const { network: _network, ...readings } = net;
    return {
      id: 'bayes-net',
      title: 'Engagement drivers (Bayesian network)',
      html,
      charts: [dag, drivers],
      summary: `${pct(net.baseRate)} of ${int(net.users)} users bought within ${net.horizonDays} days; from ${pct(low?.probability ?? null)} (${given(low?.given ?? {})}) to ${pct(high?.probability ?? null)} (${given(high?.given ?? {})}).`,
      status: 'ok',
      data: readings,
    };
  },
});
