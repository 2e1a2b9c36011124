import { DEFAULT_FUNNEL, funnel, type FunnelRow } from '../../analytics/funnel.js';
import type { EventType } from '../../core/types.js';
import { chart, fmt, legend, round, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection } from '../define.js';
import { duration, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, note, paragraph } from '../html.js';
import type { RangeExtent } from '../types.js';
import { NotAvailable } from '../unavailable.js';

/** Which funnel the data allows: over event types, or (purchases only) over successive orders. */
export type FunnelMode = 'events' | 'orders';

/** A measured funnel and how it was chosen. */
export interface FunnelInput {
  mode: FunnelMode;
  steps: EventType[];
  windowDays: number;
  /** Steps of the default funnel the data has no events of. */
  missing: EventType[];
  rows: FunnelRow[];
}

const EVENT_NAMES: Partial<Record<EventType, string>> = { view: 'view', add_to_cart: 'add to cart', purchase: 'purchase' };

/** Window of the order funnel: a second order within a quarter of the first is a common loyalty yardstick. */
const ORDER_WINDOW_DAYS = 90;
const EVENT_WINDOW_DAYS = 30;

/**
 * The funnel to measure on this data: the default view → add to cart → purchase, keeping the step
 * types the range has events of; with purchases alone, first → second → third order.
 */
export function chooseFunnel(extent: Pick<RangeExtent, 'eventsByType'>): Omit<FunnelInput, 'rows'> {
  const has = (t: EventType): boolean => (extent.eventsByType[t] ?? 0) > 0;
  const present = DEFAULT_FUNNEL.filter(has);
  const missing = DEFAULT_FUNNEL.filter((t) => !has(t));
  if (present.length >= 2) return { mode: 'events', steps: [...present], windowDays: EVENT_WINDOW_DAYS, missing };
  if (has('purchase')) return { mode: 'orders', steps: ['purchase', 'purchase', 'purchase'], windowDays: ORDER_WINDOW_DAYS, missing };
  if (present.length === 1) throw new NotAvailable(`the range has ${EVENT_NAMES[present[0]!]} events but no ${missing.map((t) => EVENT_NAMES[t]).join(' or ')} events, and a funnel needs two steps`);
  throw new NotAvailable('no view, add-to-cart or purchase events in the range');
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** The unit the step times are charted in: days when the longest is two days or more, else hours or minutes. */
export function timeUnit(maxSeconds: number): { name: string; seconds: number; format: 'days' | 'hours' | 'minutes' } {
  if (maxSeconds >= 2 * 86_400) return { name: 'days', seconds: 86_400, format: 'days' };
  if (maxSeconds >= 2 * 3600) return { name: 'hours', seconds: 3600, format: 'hours' };
  return { name: 'minutes', seconds: 60, format: 'minutes' };
}

/** The name of a step as the chart and table show it. */
export function stepName(input: Pick<FunnelInput, 'mode'>, row: FunnelRow): string {
  return input.mode === 'orders' ? `${ORDINALS[row.step - 1] ?? `#${row.step}`} order` : (EVENT_NAMES[row.event] ?? row.event.replace(/_/g, ' '));
}

/** The conversion funnel with drop-off and median time between steps. */
export const funnelSection = defineSection<FunnelInput>({
  id: 'funnel',
  title: 'Conversion funnel',
  async gather(ctx) {
    const choice = chooseFunnel(ctx.extent);
    const rows = await funnel(ctx.store, { ...analyticsRange(ctx), steps: choice.steps, windowDays: choice.windowDays });
    return { ...choice, rows };
  },
  render(input) {
    const { rows, mode, windowDays, missing } = input;
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last || first.users === 0) throw new NotAvailable(`nobody reached the first step (${input.steps[0]}) in the range`);
    const names = rows.map((r) => `${r.step}. ${stepName(input, r)}`);
    const worst = rows.slice(1).reduce<FunnelRow | null>((w, r) => (w === null || (r.stepConversion ?? 1) < (w.stepConversion ?? 1) ? r : w), null);
    const bars = chart('funnel-steps', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: names },
      yAxis: [valueAxis('users', 'int'), valueAxis('conversion', 'pct0', { min: 0, max: 1, splitLine: { show: false } }, 'right')],
      series: [
        { name: 'reached the step', type: 'bar', stack: 'step', barMaxWidth: 90, data: rows.map((r) => r.users), label: { show: true, position: 'inside', formatter: fmt('int') }, tooltip: { valueFormatter: fmt('int') } },
        { name: 'dropped off', type: 'bar', stack: 'step', barMaxWidth: 90, data: rows.map((r) => r.dropOff), itemStyle: { color: '#d0d7de' }, tooltip: { valueFormatter: fmt('int') } },
        { name: 'conversion from step 1', type: 'line', yAxisIndex: 1, data: rows.map((r) => round(r.conversion, 6)), label: { show: true, position: 'top', formatter: fmt('pct') }, tooltip: { valueFormatter: fmt('pct') } },
      ],
    });
    const unit = timeUnit(Math.max(0, ...rows.map((r) => r.medianSecondsFromPrevious ?? 0)));
    const timing = chart('funnel-times', {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt(unit.format) },
      grid: { left: 12, right: 24, top: 36, bottom: 12, containLabel: true },
      xAxis: { type: 'category', data: names.slice(1) },
      yAxis: valueAxis(`median ${unit.name} from the previous step`, 'dec1'),
      series: [
        {
          name: 'median time from the previous step',
          type: 'bar',
          barMaxWidth: 90,
          data: rows.slice(1).map((r) => round(r.medianSecondsFromPrevious === null ? null : r.medianSecondsFromPrevious / unit.seconds, 4)),
          label: { show: true, position: 'top', formatter: fmt(unit.format) },
        },
      ],
    });
    const actor = 'known users, or sessions for anonymous events';
    const intro =
      mode === 'orders'
        ? [
            note(
              `Not available on this data: a view → add to cart → purchase funnel (the range has no ${missing.map((t) => EVENT_NAMES[t] ?? t).join(' or ')} events). Shown instead: a funnel of purchases only, from a first to a second and a third order, each strictly later than the one before and all within ${windowDays} days of the first.`,
            ),
            paragraph(`Actors are ${actor}; an anonymous checkout is its own session, so it cannot reach a second order.`),
          ]
        : [
            ...(missing.length > 0 ? [note(`The range has no ${missing.map((t) => EVENT_NAMES[t] ?? t).join(' or ')} events, so ${missing.length === 1 ? 'that step is' : 'those steps are'} left out.`)] : []),
            paragraph(`Actors (${actor}) who did each step in order, each strictly later than the one before and all within ${windowDays} days of the first step.`),
          ];
    const html = [
      ...intro,
      keyFigures([
        { label: `reached ${stepName(input, first)}`, value: int(first.users) },
        { label: `reached ${stepName(input, last)}`, value: int(last.users) },
        { label: 'overall conversion', value: pct(last.conversion) },
        ...(worst ? [{ label: `largest drop: before ${stepName(input, worst)}`, value: pct(worst.stepConversion === null ? null : 1 - worst.stepConversion) }] : []),
      ]),
      chartRow(chartBox(bars.id, 'Actors reaching each step, with those who dropped off and the conversion from step 1', 340), chartBox(timing.id, 'Median time from the previous step', 340)),
      dataTable(
        'funnel',
        'Funnel steps',
        [
          { header: 'step', cell: (r) => `${r.step}. ${stepName(input, r)}` },
          { header: 'event', cell: (r) => r.event, numeric: false },
          { header: 'actors', cell: (r) => int(r.users) },
          { header: 'conversion from step 1', cell: (r) => pct(r.conversion) },
          { header: 'from previous step', cell: (r) => pct(r.stepConversion) },
          { header: 'drop-off', cell: (r) => int(r.dropOff) },
          { header: 'median time from previous', cell: (r) => duration(r.medianSecondsFromPrevious) },
        ],
        rows,
      ),
    ].join('\n');
    return {
      id: 'funnel',
      title: 'Conversion funnel',
      html,
      charts: [bars, timing],
      summary: `${pct(last.conversion)} of ${int(first.users)} actors went from ${stepName(input, first)} to ${stepName(input, last)} within ${windowDays} days (median ${duration(last.medianSecondsFromPrevious)} before the last step).`,
      status: 'ok',
      data: input,
    };
  },
});
