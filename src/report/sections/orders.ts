import { orders, type OrdersRow } from '../../analytics/orders.js';
import type { Granularity } from '../../analytics/periods.js';
import { chart, fmt, legend, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection, partialFootnote, periodCell } from '../define.js';
import { int, money } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph } from '../html.js';
import { NotAvailable } from '../unavailable.js';

/** Orders, revenue and order value per period. */
export interface OrdersInput {
  by: Granularity;
  rows: OrdersRow[];
}

const sum = (rows: readonly OrdersRow[], pick: (r: OrdersRow) => number): number => rows.reduce((s, r) => s + pick(r), 0);

/** Orders, revenue, returns and average order value per period. */
export const ordersSection = defineSection<OrdersInput>({
  id: 'orders',
  title: 'Orders, revenue and order value',
  async gather(ctx) {
    return { by: ctx.by, rows: await orders(ctx.store, { ...analyticsRange(ctx), by: ctx.by }) };
  },
  render({ by, rows }, ctx) {
    if (!rows.some((r) => r.orders > 0)) throw new NotAvailable('no purchase events in the range');
    const unit = by === 'month' ? 'month' : by === 'week' ? 'week' : 'day';
    const labels = rows.map((r) => r.period);
    const cur = ctx.currency;
    const revenue = sum(rows, (r) => r.revenue);
    const returns = sum(rows, (r) => r.returns);
    const count = sum(rows, (r) => r.orders);
    const revenueChart = chart('orders-revenue', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: labels },
      yAxis: [valueAxis(`revenue${cur ? ` (${cur})` : ''}`, 'money'), valueAxis('orders', 'int', { splitLine: { show: false } }, 'right')],
      series: [
        { name: 'gross revenue', type: 'bar', data: rows.map((r) => r.revenue), tooltip: { valueFormatter: fmt('money') } },
        { name: 'returns', type: 'bar', data: rows.map((r) => r.returns), tooltip: { valueFormatter: fmt('money') } },
        { name: 'orders', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.orders), tooltip: { valueFormatter: fmt('int') } },
      ],
    });
    const valueChart = chart('orders-value', {
      legend: legend(),
      tooltip: { trigger: 'axis', valueFormatter: fmt('money') },
      xAxis: { type: 'category', data: labels },
      yAxis: valueAxis(cur ?? 'amount', 'money'),
      series: [
        { name: 'average order value', type: 'line', data: rows.map((r) => r.averageOrderValue) },
        { name: 'revenue per customer', type: 'line', data: rows.map((r) => r.revenuePerCustomer) },
      ],
    });
    const html = [
      paragraph(
        `Orders are distinct order ids of purchase events; revenue is Σ quantity × price of purchases, returns the same over return events (shown apart, not netted from revenue). Average order value is gross revenue ÷ orders; revenue per customer counts known customers only.${cur ? ` Amounts in ${cur}.` : ''}`,
      ),
      keyFigures([
        { label: 'orders', value: int(count) },
        { label: 'gross revenue', value: money(revenue, cur) },
        { label: 'returns', value: money(returns, cur) },
        { label: 'net revenue', value: money(revenue - returns, cur) },
        { label: 'average order value', value: money(count > 0 ? revenue / count : null, cur) },
      ]),
      chartRow(chartBox(revenueChart.id, `Revenue, returns and orders per ${unit}`, 340), chartBox(valueChart.id, `Average order value and revenue per customer per ${unit}`, 340)),
      dataTable(
        'orders',
        `Orders per ${unit}`,
        [
          { header: unit, cell: (r) => periodCell(r.period, by, ctx.coverage) },
          { header: 'orders', cell: (r) => int(r.orders) },
          { header: 'customers', cell: (r) => int(r.customers) },
          { header: 'units', cell: (r) => int(r.units) },
          { header: 'revenue', cell: (r) => money(r.revenue, cur) },
          { header: 'returns', cell: (r) => money(r.returns, cur) },
          { header: 'net revenue', cell: (r) => money(r.netRevenue, cur) },
          { header: 'avg order value', cell: (r) => money(r.averageOrderValue, cur) },
          { header: 'revenue per customer', cell: (r) => money(r.revenuePerCustomer, cur) },
        ],
        rows,
        { collapsed: rows.length > 16, footnote: partialFootnote(labels, by, ctx.coverage) },
      ),
    ].join('\n');
    return {
      id: 'orders',
      title: 'Orders, revenue and order value',
      html,
      charts: [revenueChart, valueChart],
      summary: `${int(count)} orders worth ${money(revenue, cur)} gross (${money(returns, cur)} returned); average order value ${money(count > 0 ? revenue / count : null, cur)}.`,
      status: 'ok',
      data: { by, rows },
    };
  },
});
