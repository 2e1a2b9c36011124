import { activeUsers, type ActiveUsersRow } from '../../analytics/active-users.js';
import { nextLabel, type Granularity } from '../../analytics/periods.js';
import { axisTooltip, chart, legend, periodDate, round, timeAxis, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection, isPartialPeriod, partialFootnote, periodCell } from '../define.js';
import { dec, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph, type Column } from '../html.js';
import type { Coverage, GatherContext } from '../types.js';
import { NotAvailable } from '../unavailable.js';

/** Active users by day, ISO week and month over the report's range. */
export interface ActivityInput {
  daily: ActiveUsersRow[];
  weekly: ActiveUsersRow[];
  monthly: ActiveUsersRow[];
}

/** Active users of a granularity, computed once per report (other sections reuse them). */
export function activeUsersOnce(ctx: GatherContext, by: Granularity): Promise<ActiveUsersRow[]> {
  return ctx.once(`active-users:${by}`, () => activeUsers(ctx.store, { ...analyticsRange(ctx), by }));
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Rows of periods fully covered by the data; all rows when none is. */
export function fullPeriods(rows: readonly ActiveUsersRow[], by: Granularity, coverage: Coverage): ActiveUsersRow[] {
  const full = rows.filter((r) => !isPartialPeriod(r.period, by, coverage));
  return full.length > 0 ? full : [...rows];
}

/**
 * Step-line points for per-period values on a time axis: each value holds from its period's start
 * to the next one's, so the last period gets a closing point at its end.
 */
export function stepPoints(rows: readonly ActiveUsersRow[], by: Granularity, value: (r: ActiveUsersRow) => number | null): [string, number | null][] {
  const points = rows.map((r): [string, number | null] => [periodDate(r.period), value(r)]);
  const last = rows[rows.length - 1];
  if (last) points.push([periodDate(nextLabel(last.period, by)), value(last)]);
  return points;
}

/** Daily, weekly and monthly active users and stickiness (DAU/MAU, DAU/WAU). */
export const activitySection = defineSection<ActivityInput>({
  id: 'activity',
  title: 'Active users and stickiness',
  async gather(ctx) {
    return { daily: await activeUsersOnce(ctx, 'day'), weekly: await activeUsersOnce(ctx, 'week'), monthly: await activeUsersOnce(ctx, 'month') };
  },
  render({ daily, weekly, monthly }, ctx) {
    if (!monthly.some((r) => r.activeUsers > 0)) throw new NotAvailable('no events of known users in the range');
    const fullMonths = fullPeriods(monthly, 'month', ctx.coverage);
    const fullWeeks = fullPeriods(weekly, 'week', ctx.coverage);
    const averageDau = mean(daily.filter((r) => r.events > 0).map((r) => r.activeUsers));
    const averageWau = mean(fullWeeks.map((r) => r.activeUsers));
    const averageMau = mean(fullMonths.map((r) => r.activeUsers));
    const dauMau = mean(fullMonths.flatMap((r) => (r.stickiness === null ? [] : [r.stickiness])));
    const dauWau = mean(fullWeeks.flatMap((r) => (r.stickiness === null ? [] : [r.stickiness])));

    const activeChart = chart('activity-active', {
      legend: legend(),
      tooltip: axisTooltip('int'),
      xAxis: timeAxis(),
      yAxis: valueAxis('users', 'int'),
      series: [
        { name: 'DAU (daily)', type: 'line', showSymbol: false, lineStyle: { width: 1 }, data: daily.map((r) => [periodDate(r.period), r.activeUsers]) },
        { name: 'WAU (weekly)', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2 }, data: stepPoints(weekly, 'week', (r) => r.activeUsers) },
        { name: 'MAU (monthly)', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2.5 }, data: stepPoints(monthly, 'month', (r) => r.activeUsers) },
      ],
    });
    const stickinessChart = chart('activity-stickiness', {
      legend: legend(),
      tooltip: axisTooltip('pct'),
      xAxis: timeAxis(),
      yAxis: valueAxis('share of period actives', 'pct0', { min: 0 }),
      series: [
        { name: 'DAU/WAU', type: 'line', step: 'end', showSymbol: false, data: stepPoints(weekly, 'week', (r) => round(r.stickiness, 6)) },
        { name: 'DAU/MAU', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2.5 }, data: stepPoints(monthly, 'month', (r) => round(r.stickiness, 6)) },
      ],
    });

    const anonymous = monthly.some((r) => r.activeSessions > 0);
    const sessions = monthly.some((r) => r.sessionsPerUser !== null);
    const periodColumn = (by: Granularity, header: string): Column<ActiveUsersRow> => ({ header, cell: (r) => periodCell(r.period, by, ctx.coverage) });
    const columns = (by: Granularity, header: string, stickiness: string): Column<ActiveUsersRow>[] => [
      periodColumn(by, header),
      { header: 'active users', cell: (r) => int(r.activeUsers) },
      { header: 'new', cell: (r) => int(r.newUsers) },
      { header: 'returning', cell: (r) => int(r.returningUsers) },
      ...(anonymous ? [{ header: 'anonymous sessions', cell: (r: ActiveUsersRow) => int(r.activeSessions) }] : []),
      { header: 'events', cell: (r) => int(r.events) },
      { header: 'events per user', cell: (r) => dec(r.eventsPerUser, 1) },
      ...(sessions ? [{ header: 'sessions per user', cell: (r: ActiveUsersRow) => dec(r.sessionsPerUser) }] : []),
      { header: stickiness, cell: (r) => pct(r.stickiness) },
    ];
    const html = [
      paragraph(
        'Distinct known users with any event per day (DAU), ISO week from Monday (WAU) and calendar month (MAU), in UTC. Stickiness is the average daily actives over the days with events divided by the period’s actives: how much of the month’s (week’s) audience shows up on a typical day.',
      ),
      keyFigures([
        { label: 'average DAU (days with events)', value: int(averageDau) },
        { label: 'average WAU (full weeks)', value: int(averageWau) },
        { label: 'average MAU (full months)', value: int(averageMau) },
        { label: 'DAU/MAU', value: pct(dauMau) },
        { label: 'DAU/WAU', value: pct(dauWau) },
      ]),
      chartRow(chartBox(activeChart.id, 'Active users per day, week and month'), chartBox(stickinessChart.id, 'Stickiness: DAU/WAU by week, DAU/MAU by month')),
      dataTable('activity-monthly', 'Active users per month', columns('month', 'month', 'DAU/MAU'), monthly, { footnote: partialFootnote(monthly.map((r) => r.period), 'month', ctx.coverage) }),
      dataTable('activity-weekly', 'Active users per ISO week (from Monday)', columns('week', 'week', 'DAU/WAU'), weekly, {
        collapsed: true,
        footnote: partialFootnote(weekly.map((r) => r.period), 'week', ctx.coverage),
      }),
    ].join('\n');
    return {
      id: 'activity',
      title: 'Active users and stickiness',
      html,
      charts: [activeChart, stickinessChart],
      summary: `${int(averageMau)} monthly and ${int(averageDau)} daily active users on average; DAU/MAU ${pct(dauMau)}.`,
      status: 'ok',
      data: { monthly, weekly, daily },
    };
  },
});
