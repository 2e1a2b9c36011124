import type { ActiveUsersRow } from '../../analytics/active-users.js';
import type { Granularity } from '../../analytics/periods.js';
import { ratio } from '../../analytics/summary.js';
import { chart, fmt, legend, round, valueAxis } from '../charts.js';
import { defineSection, partialFootnote, periodCell } from '../define.js';
import { int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph } from '../html.js';
import { NotAvailable } from '../unavailable.js';
import { activeUsersOnce } from './activity.js';

/** Active users per period of the report's granularity. */
export interface NewReturningInput {
  by: Granularity;
  rows: ActiveUsersRow[];
}

/** New (first event ever in the period) versus returning active users per period. */
export const newReturningSection = defineSection<NewReturningInput>({
  id: 'new-returning',
  title: 'New and returning users',
  async gather(ctx) {
    return { by: ctx.by, rows: await activeUsersOnce(ctx, ctx.by) };
  },
  render({ by, rows }, ctx) {
    if (!rows.some((r) => r.activeUsers > 0)) throw new NotAvailable('no events of known users in the range');
    const unit = by === 'month' ? 'month' : by === 'week' ? 'week' : 'day';
    const labels = rows.map((r) => r.period);
    const newTotal = rows.reduce((s, r) => s + r.newUsers, 0);
    const returningShare = rows.map((r) => ratio(r.returningUsers, r.activeUsers));
    // The first period has no history to return from, so its share says nothing about loyalty.
    const later = rows.slice(1);
    const laterShare = ratio(
      later.reduce((s, r) => s + r.returningUsers, 0),
      later.reduce((s, r) => s + r.activeUsers, 0),
    );
    const split = chart('new-returning-split', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'category', data: labels },
      yAxis: [valueAxis('users', 'int'), valueAxis('returning share', 'pct0', { min: 0, max: 1, splitLine: { show: false } }, 'right')],
      series: [
        { name: 'new', type: 'bar', stack: 'users', data: rows.map((r) => r.newUsers), tooltip: { valueFormatter: fmt('int') } },
        { name: 'returning', type: 'bar', stack: 'users', data: rows.map((r) => r.returningUsers), tooltip: { valueFormatter: fmt('int') } },
        { name: 'returning share', type: 'line', yAxisIndex: 1, data: returningShare.map((x) => round(x, 6)), tooltip: { valueFormatter: fmt('pct') } },
      ],
    });
    const html = [
      paragraph(
        `Each ${unit}'s active users split into new ones (their first event ever falls in the ${unit}) and returning ones (seen before). In the first ${unit} of the data everyone is new: the store has no earlier history to recognise them by.`,
      ),
      keyFigures([
        { label: 'new users in the range', value: int(newTotal) },
        { label: `returning share after the first ${unit}`, value: pct(laterShare) },
      ]),
      chartRow(chartBox(split.id, `New and returning active users per ${unit}, with the returning share`, 340)),
      dataTable(
        'new-returning',
        `New and returning users per ${unit}`,
        [
          { header: unit, cell: (r) => periodCell(r.period, by, ctx.coverage) },
          { header: 'active users', cell: (r) => int(r.activeUsers) },
          { header: 'new', cell: (r) => int(r.newUsers) },
          { header: 'returning', cell: (r) => int(r.returningUsers) },
          { header: 'returning share', cell: (r) => pct(ratio(r.returningUsers, r.activeUsers)) },
        ],
        rows,
        { collapsed: rows.length > 16, footnote: partialFootnote(labels, by, ctx.coverage) },
      ),
    ].join('\n');
    return {
      id: 'new-returning',
      title: 'New and returning users',
      html,
      charts: [split],
      summary: `${int(newTotal)} new users; ${pct(laterShare)} of active users were returning ones after the first ${unit}.`,
      status: 'ok',
      data: { by, rows: rows.map(({ period, activeUsers, newUsers, returningUsers }) => ({ period, activeUsers, newUsers, returningUsers })) },
    };
  },
});
