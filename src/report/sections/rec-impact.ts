import { ALL_PERIODS, recommendationImpact, type RecImpactRow } from '../../analytics/rec-impact.js';
import type { Granularity } from '../../analytics/periods.js';
import { chart, fmt, legend, round, valueAxis } from '../charts.js';
import { analyticsRange } from '../context.js';
import { defineSection } from '../define.js';
import { int, money, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph } from '../html.js';
import { NotAvailable } from '../unavailable.js';

/** Impact of recommendations per source, over the range and per period. */
export interface RecImpactInput {
  by: Granularity;
  rows: RecImpactRow[];
}

/** How a source reads in charts and tables: surface · model (version) · experiment variant. */
export function sourceName(r: RecImpactRow): string {
  const parts = [r.surface ?? 'unknown surface'];
  if (r.model) parts.push(r.modelVersion && r.modelVersion !== r.model ? `${r.model} (${r.modelVersion})` : r.model);
  // An experiment's recIds carry "<experiment>:<variant>" as their source: said once, below.
  else if (r.source && (!r.experiment || r.source !== `${r.experiment}:${r.variant ?? ''}`)) parts.push(r.source);
  else if (!r.experiment) parts.push('unknown source');
  if (r.experiment) parts.push(`experiment ${r.experiment}: ${r.variant ?? '?'}`);
  return parts.join(' · ');
}

/** Exposures, click-through, conversion and revenue of recommendations, per source. */
export const recImpactSection = defineSection<RecImpactInput>({
  id: 'rec-impact',
  title: 'Recommendation impact',
  async gather(ctx) {
    if (!(ctx.extent.eventsByType.impression ?? 0)) {
      throw new NotAvailable('no impression events, so the recommendations shown are not known and their impact cannot be measured (log an impression with the recId of every list shown)');
    }
    return { by: ctx.by, rows: await recommendationImpact(ctx.store, { ...analyticsRange(ctx), by: ctx.by }) };
  },
  render({ by, rows }, ctx) {
    const whole = rows.filter((r) => r.period === ALL_PERIODS && r.exposures > 0);
    if (whole.length === 0) throw new NotAvailable('no impression in the range carries a recId, so no list shown can be followed to clicks and purchases');
    const cur = ctx.currency;
    const names = whole.map(sourceName);
    const exposures = whole.reduce((s, r) => s + r.exposures, 0);
    const revenue = whole.reduce((s, r) => s + r.revenue, 0);
    const rates = chart('rec-impact-rates', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
      grid: { left: 28, right: 24, top: 36, bottom: 36, containLabel: true },
      xAxis: valueAxis('share of lists shown', 'pct0', { min: 0 }, 'bottom'),
      yAxis: { type: 'category', inverse: true, data: names },
      series: [
        { name: 'clicked', type: 'bar', data: whole.map((r) => round(r.clickThroughRate, 6)) },
        { name: 'added to cart', type: 'bar', data: whole.map((r) => round(r.addToCartRate, 6)) },
        { name: 'bought', type: 'bar', data: whole.map((r) => round(r.conversionRate, 6)) },
      ],
    });
    const periods = [...new Set(rows.filter((r) => r.period !== ALL_PERIODS).map((r) => r.period))].sort();
    const keyOf = (r: RecImpactRow): string => sourceName(r);
    const overTime = chart('rec-impact-exposures', {
      legend: legend(),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('int') },
      xAxis: { type: 'category', data: periods },
      yAxis: valueAxis('lists shown', 'int'),
      series: names.map((name) => ({
        name,
        type: 'bar' as const,
        stack: 'exposures',
        data: periods.map((p) => rows.filter((r) => r.period === p && keyOf(r) === name).reduce((s, r) => s + r.exposures, 0)),
      })),
    });
    const unit = by === 'month' ? 'month' : by === 'week' ? 'week' : 'day';
    const html = [
      paragraph(
        `A list shown is a recommendation response with an impression; clicks, add-to-carts and purchases count when they carry its recId, and rates are per list shown. Revenue is Σ quantity × price of the purchases attributed. A source is the surface, the model (and version) and the experiment variant that made the list.${cur ? ` Amounts in ${cur}.` : ''}`,
      ),
      keyFigures([
        { label: 'lists shown', value: int(exposures) },
        { label: 'sources', value: int(whole.length) },
        { label: 'attributed revenue', value: money(revenue, cur) },
        { label: 'revenue per list shown', value: money(exposures > 0 ? revenue / exposures : null, cur) },
      ]),
      chartRow(chartBox(rates.id, 'Click-through, add-to-cart and conversion per list shown, by source', Math.max(300, 80 + 40 * whole.length)), chartBox(overTime.id, `Lists shown per ${unit}, by source`, 300)),
      dataTable(
        'rec-impact',
        'Recommendation impact per source over the range',
        [
          { header: 'source', cell: (r) => sourceName(r) },
          { header: 'lists shown', cell: (r) => int(r.exposures) },
          { header: 'shoppers', cell: (r) => int(r.usersExposed) },
          { header: 'clicks', cell: (r) => int(r.clicks) },
          { header: 'click-through', cell: (r) => pct(r.clickThroughRate) },
          { header: 'add-to-cart rate', cell: (r) => pct(r.addToCartRate) },
          { header: 'conversion', cell: (r) => pct(r.conversionRate) },
          { header: 'purchases', cell: (r) => int(r.purchases) },
          { header: 'revenue', cell: (r) => money(r.revenue, cur) },
          { header: 'revenue per list', cell: (r) => money(r.revenuePerExposure, cur) },
        ],
        whole,
      ),
    ].join('\n');
    const best = whole.reduce((a, b) => ((b.conversionRate ?? 0) > (a.conversionRate ?? 0) ? b : a), whole[0]!);
    return {
      id: 'rec-impact',
      title: 'Recommendation impact',
      html,
      charts: [rates, overTime],
      summary: `${int(exposures)} lists shown from ${whole.length} source${whole.length === 1 ? '' : 's'} brought ${money(revenue, cur)}; best conversion: ${sourceName(best)} at ${pct(best.conversionRate)}.`,
      status: 'ok',
      data: { by, rows },
    };
  },
});
