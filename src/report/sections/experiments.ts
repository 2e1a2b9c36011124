import { createExperimentService } from '../../serve/experiments/index.js';
import type { Experiment, VariantReport } from '../../serve/types.js';
import { chart, fmt, PALETTE, round, valueAxis } from '../charts.js';
import { defineSection } from '../define.js';
import { dateTime, int, money, pct } from '../format.js';
import { chartBox, chartRow, dataTable, escapeHtml, keyFigures, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { NotAvailable } from '../unavailable.js';

/** One experiment's report as the experiment service gives it. */
export interface ExperimentReport {
  experiment: Experiment;
  variants: VariantReport[];
  note: string;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const pValue = (p: number): string => (!Number.isFinite(p) ? '—' : p < 0.0001 ? '< 0.0001' : p.toFixed(4));

/**
 * Conversion per variant with its 95% interval: an invisible bar up to the lower bound, a pale bar
 * over the interval, and the estimate as a point (ECharts has no error bars a JSON option can draw).
 */
function conversionChart(id: string, report: ExperimentReport): ReportChart {
  const names = report.variants.map((v) => v.variant);
  const low = report.variants.map((v) => round(finite(v.conversionRate.low), 6));
  const span = report.variants.map((v) => round(finite(v.conversionRate.high - v.conversionRate.low), 6));
  return chart(id, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
    grid: { left: 28, right: 32, top: 12, bottom: 36, containLabel: true },
    xAxis: valueAxis('conversion per exposed shopper', 'pct0', { min: 0 }, 'bottom'),
    yAxis: { type: 'category', inverse: true, data: names },
    series: [
      { name: 'interval from', type: 'bar', stack: 'ci', silent: true, itemStyle: { color: 'transparent' }, barWidth: 14, data: low, tooltip: { show: false } },
      { name: '95% interval width', type: 'bar', stack: 'ci', itemStyle: { color: '#c6dbef' }, barWidth: 14, data: span },
      { name: 'conversion', type: 'scatter', symbol: 'diamond', symbolSize: 14, itemStyle: { color: PALETTE[0] }, data: report.variants.map((v) => round(finite(v.conversionRate.value), 6)), label: { show: true, position: 'right', formatter: fmt('pct') } },
    ],
  });
}

function experimentHtml(report: ExperimentReport, chartId: string, currency: string | null): string {
  const e = report.experiment;
  const control = report.variants[0];
  const treatments = report.variants.slice(1);
  return [
    `<h3>${escapeHtml(e.name)}</h3>`,
    paragraph(`${e.status === 'running' ? 'Running' : 'Stopped'} since ${dateTime(Date.parse(e.startedAt))}${e.stoppedAt ? ` until ${dateTime(Date.parse(e.stoppedAt))}` : ''}, on ${e.surfaces.join(', ')}; control: ${control?.variant ?? '—'}.`),
    keyFigures([
      { label: 'shoppers exposed', value: int(report.variants.reduce((s, v) => s + v.users, 0)) },
      ...treatments.map((v) => ({
        label: `${v.variant}: conversion lift`,
        value: `${Number.isFinite(v.versusControl?.conversionLift ?? Number.NaN) ? `${v.versusControl!.conversionLift >= 0 ? '+' : ''}${pct(v.versusControl!.conversionLift)}` : '—'}${v.versusControl?.significant ? ' (significant)' : ''}`,
      })),
    ]),
    chartRow(chartBox(chartId, `${e.name}: conversion per variant with 95% intervals`, Math.max(200, 70 + 46 * report.variants.length))),
    dataTable(
      `experiment-${e.name}`,
      `${e.name}: variants`,
      [
        { header: 'variant', cell: (v) => v.variant },
        { header: 'shoppers', cell: (v) => int(v.users) },
        { header: 'lists shown', cell: (v) => int(v.exposures) },
        { header: 'click rate (95% CI)', cell: (v) => `${pct(finite(v.clickRate.value))} (${pct(finite(v.clickRate.low))}–${pct(finite(v.clickRate.high))})` },
        { header: 'conversion (95% CI)', cell: (v) => `${pct(finite(v.conversionRate.value))} (${pct(finite(v.conversionRate.low))}–${pct(finite(v.conversionRate.high))})` },
        { header: 'revenue per shopper (95% CI)', cell: (v) => `${money(finite(v.revenuePerUser.value), currency)} (${money(finite(v.revenuePerUser.low), currency)}–${money(finite(v.revenuePerUser.high), currency)})` },
        { header: 'conversion lift (p)', cell: (v) => (v.versusControl ? `${pct(finite(v.versusControl.conversionLift))} (${pValue(v.versusControl.conversionPValue)})` : 'control') },
        { header: 'p (revenue)', cell: (v) => (v.versusControl ? pValue(v.versusControl.revenuePValue) : '') },
        { header: 'significant', cell: (v) => (v.versusControl ? (v.versusControl.significant ? 'yes' : 'no') : ''), numeric: false },
      ],
      report.variants,
    ),
    `<p class="footnote">${escapeHtml(report.note)}</p>`,
  ].join('\n');
}

/** A/B experiment reports: per variant, rates with intervals and the comparison with the control. */
export const experimentsSection = defineSection<ExperimentReport[]>({
  id: 'experiments',
  title: 'A/B experiments',
  async gather(ctx) {
    const service = await createExperimentService(ctx.store);
    const experiments = await service.list();
    if (experiments.length === 0) throw new NotAvailable('no A/B experiment is stored for this shop (create one through the API to compare models or rules)');
    const reports: ExperimentReport[] = [];
    for (const e of experiments) reports.push(await service.report(e.name));
    return reports;
  },
  render(reports, ctx) {
    const charts = reports.map((r, i) => conversionChart(`experiment-${i + 1}-conversion`, r));
    const html = [
      paragraph('Every experiment stored, over its own run (the report’s range does not apply). Shoppers are counted once per variant they were shown; conversion and click rate are per exposed shopper.'),
      ...reports.map((r, i) => experimentHtml(r, charts[i]!.id, ctx.currency)),
    ].join('\n');
    const winners = reports.flatMap((r) => r.variants.filter((v) => v.versusControl?.significant).map((v) => `${r.experiment.name}: ${v.variant}`));
    return {
      id: 'experiments',
      title: 'A/B experiments',
      html,
      charts,
      summary: `${reports.length} experiment${reports.length === 1 ? '' : 's'} (${reports.filter((r) => r.experiment.status === 'running').length} running); ${winners.length > 0 ? `significant conversion differences: ${winners.join(', ')}` : 'no variant differs significantly from its control yet'}.`,
      status: 'ok',
      data: reports,
    };
  },
});
