import type { Granularity } from '../../analytics/periods.js';
import { repeatPurchase, WHOLE_RANGE, type RepeatPurchaseRow } from '../../analytics/repeat-purchase.js';
import { axisTooltip, chart, legend, round, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection, partialFootnote, periodCell } from '../define.js';
import { days, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph } from '../html.js';
import { NotAvailable } from '../unavailable.js';

/** Repeat purchasing per period, and over the whole range (the last row). */
export interface RepeatPurchaseInput {
  by: Granularity;
  rows: RepeatPurchaseRow[];
}

/** Repeat-purchase rates and the time between a customer's orders. */
export const repeatPurchaseSection = defineSection<RepeatPurchaseInput>({
  id: 'repeat-purchase',
  title: 'Repeat purchase and time between orders',
  async gather(ctx) {
    return { by: ctx.by, rows: await repeatPurchase(ctx.store, { ...analyticsRange(ctx), by: ctx.by }) };
  },
  render({ by, rows }, ctx) {
    const whole = rows.find((r) => r.period === WHOLE_RANGE);
    const periods = rows.filter((r) => r.period !== WHOLE_RANGE);
    if (!whole || whole.customers === 0) throw new NotAvailable('no purchases by known customers in the range');
    const unit = by === 'month' ? 'month' : by === 'week' ? 'week' : 'day';
    const labels = periods.map((r) => r.period);
    const rates = chart('repeat-rates', {
      legend: legend(),
      tooltip: axisTooltip('pct'),
      xAxis: { type: 'category', data: labels },
      yAxis: valueAxis('share of customers', 'pct0', { min: 0 }),
      series: [
        { name: `2+ orders within the ${unit}`, type: 'line', data: periods.map((r) => round(r.repeatRate, 6)) },
        { name: `${unit}'s new customers who ordered again`, type: 'line', data: periods.map((r) => round(r.cohortRepeatRate, 6)) },
      ],
    });
    const gaps = chart('repeat-gaps', {
      legend: legend(),
      tooltip: axisTooltip('days'),
      xAxis: { type: 'category', data: labels },
      yAxis: valueAxis('days between orders', 'int'),
      series: [
        { name: 'median', type: 'bar', barMaxWidth: 40, data: periods.map((r) => round(r.medianDaysBetweenOrders, 3)) },
        { name: 'mean', type: 'line', data: periods.map((r) => round(r.meanDaysBetweenOrders, 3)) },
      ],
    });
    const html = [
      paragraph(
        `Customers are known users with a purchase; an order is a distinct order id. The repeat rate counts customers with two or more orders in the ${unit}; the cohort rate follows each ${unit}'s new customers (first order ever) to the end of the range, so recent cohorts have had less time to come back. Days between orders are the gaps between one customer's consecutive orders, placed in the ${unit} the later order falls in.`,
      ),
      keyFigures([
        { label: 'customers', value: int(whole.customers) },
        { label: 'with 2+ orders', value: `${int(whole.repeatCustomers)} (${pct(whole.repeatRate)})` },
        { label: 'new customers who came back', value: `${int(whole.cohortRepeatCustomers)} of ${int(whole.newCustomers)} (${pct(whole.cohortRepeatRate)})` },
        { label: 'median time between orders', value: days(whole.medianDaysBetweenOrders) },
        { label: 'mean time between orders', value: days(whole.meanDaysBetweenOrders) },
      ]),
      chartRow(chartBox(rates.id, `Repeat rates per ${unit}`), chartBox(gaps.id, `Days between consecutive orders, by the ${unit} of the later order`)),
      dataTable(
        'repeat-purchase',
        `Repeat purchase per ${unit}; the last row covers the whole range`,
        [
          { header: unit, cell: (r) => (r.period === WHOLE_RANGE ? 'whole range' : periodCell(r.period, by, ctx.coverage)) },
          { header: 'customers', cell: (r) => int(r.customers) },
          { header: 'with 2+ orders', cell: (r) => int(r.repeatCustomers) },
          { header: 'repeat rate', cell: (r) => pct(r.repeatRate) },
          { header: 'new customers', cell: (r) => int(r.newCustomers) },
          { header: 'came back', cell: (r) => int(r.cohortRepeatCustomers) },
          { header: 'cohort repeat rate', cell: (r) => pct(r.cohortRepeatRate) },
          { header: 'median days between orders', cell: (r) => days(r.medianDaysBetweenOrders) },
          { header: 'mean days between orders', cell: (r) => days(r.meanDaysBetweenOrders) },
        ],
        rows,
        { collapsed: rows.length > 16, footnote: partialFootnote(labels, by, ctx.coverage) },
      ),
    ].join('\n');
    return {
      id: 'repeat-purchase',
      title: 'Repeat purchase and time between orders',
      html,
      charts: [rates, gaps],
      summary: `${pct(whole.repeatRate)} of ${int(whole.customers)} customers ordered twice or more; median ${days(whole.medianDaysBetweenOrders)} between orders.`,
      status: 'ok',
      data: { by, rows },
    };
  },
});
