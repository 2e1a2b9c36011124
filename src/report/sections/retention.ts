import type { Granularity } from '../../analytics/periods.js';
import { retention, type RetentionRow } from '../../analytics/retention.js';
import { chart, fmt, fmtCell, HEAT_SCALE, round } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection } from '../define.js';
import { int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph, type Column } from '../html.js';
import type { ReportChart } from '../types.js';
import { NotAvailable } from '../unavailable.js';

/** Cohort retention at the report's granularity. */
export interface RetentionInput {
  by: Granularity;
  cohorts: RetentionRow[];
}

/** Size-weighted share of users active `offset` periods after their first, over the cohorts old enough to have that offset. */
export function weightedRetention(cohorts: readonly RetentionRow[], offset: number, pick: (r: RetentionRow) => number[] = (r) => r.retention): number | null {
  let active = 0;
  let size = 0;
  for (const c of cohorts) {
    const share = pick(c)[offset];
    if (share === undefined) continue;
    active += share * c.size;
    size += c.size;
  }
  return size === 0 ? null : active / size;
}

function heatMap(id: string, cohorts: readonly RetentionRow[], pick: (r: RetentionRow) => number[], unit: string): ReportChart {
  const width = Math.max(0, ...cohorts.map((c) => pick(c).length));
  const offsets = Array.from({ length: width }, (_, n) => `+${n}`);
  // +0 is 100% by definition; scaling colours to the later offsets keeps their differences visible.
  const top = Math.max(0.05, ...cohorts.flatMap((c) => pick(c).slice(1)));
  const cells = cohorts.flatMap((c) =>
    pick(c).map((share, n) => ({
      value: [offsets[n]!, c.cohort, round(share, 6)],
      label: { color: share > top * 0.55 ? '#ffffff' : '#1f2328' },
    })),
  );
  return chart(id, {
    tooltip: { formatter: fmtCell('pct') },
    grid: { left: 12, right: 64, top: 12, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: offsets, name: `${unit}s after the first`, nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
    yAxis: { type: 'category', data: cohorts.map((c) => c.cohort), inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: round(top, 4) ?? 1, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 140, itemWidth: 14, text: [pct(top, 0), '0%'], inRange: { color: HEAT_SCALE } },
    series: [{ type: 'heatmap', data: cells, label: { show: cells.length <= 400, formatter: fmt('pct0'), fontSize: 10 }, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  });
}

/** Cohort retention heat maps, classic and rolling. */
export const retentionSection = defineSection<RetentionInput>({
  id: 'retention',
  title: 'Cohort retention',
  async gather(ctx) {
    return { by: ctx.by, cohorts: await retention(ctx.store, { ...analyticsRange(ctx), by: ctx.by }) };
  },
  render({ by, cohorts }) {
    if (cohorts.length === 0) throw new NotAvailable('no known user has a first event inside the range, so there are no cohorts');
    const unit = by === 'month' ? 'month' : by === 'week' ? 'week' : 'day';
    const height = Math.max(260, 90 + 24 * cohorts.length);
    const classic = heatMap('retention-classic', cohorts, (r) => r.retention, unit);
    const rolling = heatMap('retention-rolling', cohorts, (r) => r.rollingRetention, unit);
    const first = cohorts[0]!;
    const one = weightedRetention(cohorts, 1);
    const three = weightedRetention(cohorts, 3);
    const rollingOne = weightedRetention(cohorts, 1, (r) => r.rollingRetention);
    const width = Math.max(0, ...cohorts.map((c) => c.retention.length));
    const columns = (pick: (r: RetentionRow) => number[]): Column<RetentionRow>[] => [
      { header: 'cohort', cell: (r) => r.cohort },
      { header: 'users', cell: (r) => int(r.size) },
      ...Array.from({ length: width }, (_, n): Column<RetentionRow> => ({ header: `+${n}`, cell: (r) => (n < pick(r).length ? pct(pick(r)[n]!) : '') })),
    ];
    const html = [
      paragraph(
        `Users are grouped by the ${unit} of their first event (their cohort). Classic retention: the share of a cohort active in the ${unit} n ${unit}s later. Rolling retention: the share active then or in any later ${unit}, i.e. not yet gone for good. Only users whose first event is inside the range form cohorts; the newest cohorts have the fewest ${unit}s to show.`,
      ),
      keyFigures([
        { label: 'cohorts', value: int(cohorts.length) },
        { label: `users in cohorts`, value: int(cohorts.reduce((s, c) => s + c.size, 0)) },
        { label: `active +1 ${unit} (weighted)`, value: pct(one) },
        { label: `active +3 ${unit}s (weighted)`, value: pct(three) },
        { label: `rolling +1 ${unit} (weighted)`, value: pct(rollingOne) },
      ]),
      chartRow(chartBox(classic.id, `Classic retention by ${unit}ly cohort`, height), chartBox(rolling.id, `Rolling retention by ${unit}ly cohort`, height)),
      dataTable('retention-classic', `Classic retention: share of each cohort active n ${unit}s after its first`, columns((r) => r.retention), cohorts, { collapsed: true }),
      dataTable('retention-rolling', `Rolling retention: share active n ${unit}s after the first or later`, columns((r) => r.rollingRetention), cohorts, { collapsed: true }),
    ].join('\n');
    return {
      id: 'retention',
      title: 'Cohort retention',
      html,
      charts: [classic, rolling],
      summary: `${pct(one)} of users were active again one ${unit} after their first (size-weighted over ${int(cohorts.length)} cohorts); the first cohort (${first.cohort}, ${int(first.size)} users) kept ${pct(first.retention[1] ?? null)}.`,
      status: 'ok',
      data: { by, cohorts },
    };
  },
});
