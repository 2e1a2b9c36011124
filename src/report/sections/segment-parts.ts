import type { SegmentSummary } from '../../marketing/describe.js';
import { segmentCustomers, type SegmentMethod, type Segmentation } from '../../marketing/segments.js';
import { chart, fmt, itemTooltip, paddedMax, PALETTE, round, valueAxis } from '../charts.js';
import { days, dec, int, money, pct } from '../format.js';
import { dataTable } from '../html.js';
import type { GatherContext, ReportChart } from '../types.js';

// Parts shared by the RFM and k-means sections: both describe segments with the same summary
// (size, spend, recency, favourite categories), so they share the table and the charts.

/** Segments the customers of the report's range: events before `to` count, from `from` on. */
export function segmentsOnce(ctx: GatherContext, method: SegmentMethod): Promise<Segmentation> {
  return ctx.once(`segments:${method}`, () =>
    segmentCustomers(ctx.store, {
      method,
      ...(ctx.range.to !== null ? { asOf: ctx.range.to } : {}),
      ...(ctx.range.from !== null ? { from: ctx.range.from } : {}),
      seed: 1,
    }),
  );
}

/** Each segment's share of the net revenue of all segments (null when that total is not positive). */
export function revenueShares(segments: readonly SegmentSummary[]): (number | null)[] {
  const total = segments.reduce((s, x) => s + x.totalMonetary, 0);
  return segments.map((s) => (total > 0 ? s.totalMonetary / total : null));
}

/**
 * Two tables per segmentation: the figures (size, recency, frequency, spend, order value), and the
 * words (favourite categories and the one-line description), which need the width of the page.
 */
export function segmentsTable(name: string, caption: string, segments: readonly SegmentSummary[], currency: string | null): string {
  const shares = new Map(segments.map((s, i) => [s.segment, revenueShares(segments)[i] ?? null]));
  const figures = dataTable(name, caption, [
    { header: 'segment', cell: (s) => s.segment },
    { header: 'customers', cell: (s) => int(s.size) },
    { header: 'share of customers', cell: (s) => pct(s.share) },
    { header: 'share of net revenue', cell: (s) => pct(shares.get(s.segment) ?? null) },
    { header: 'median days since last order', cell: (s) => dec(s.medianRecencyDays, 0) },
    { header: 'mean orders', cell: (s) => dec(s.meanFrequency, 1) },
    { header: 'mean spend', cell: (s) => money(s.meanMonetary, currency) },
    { header: 'median spend', cell: (s) => money(s.medianMonetary, currency) },
    { header: 'avg order value', cell: (s) => money(s.averageOrderValue, currency) },
  ], segments);
  const words = dataTable(`${name}-profiles`, `${caption}: favourite categories and description`, [
    { header: 'segment', cell: (s) => s.segment },
    { header: 'favourite categories (share of spend)', cell: (s) => s.topCategories.map((c) => `${c.category} ${pct(c.share, 0)}`).join('; '), numeric: false, wide: true },
    { header: 'description', cell: (s) => s.description, numeric: false, wide: true },
  ], segments);
  return `${figures}\n${words}`;
}

/** Customers per segment, as horizontal bars in the segments' order. */
export function sizeChart(id: string, segments: readonly SegmentSummary[]): ReportChart {
  return chart(id, {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('int') },
    grid: { left: 28, right: 56, top: 12, bottom: 36, containLabel: true },
    xAxis: valueAxis('customers', 'int', {}, 'bottom'),
    yAxis: { type: 'category', inverse: true, data: segments.map((s) => s.segment) },
    series: [{ name: 'customers', type: 'bar', data: segments.map((s) => s.size), label: { show: true, position: 'right', formatter: fmt('int') } }],
  });
}

/**
 * One bubble per segment: how long since its median customer ordered (x) against mean spend (y),
 * the area proportional to its customers. Good segments sit top left.
 */
export function profileChart(id: string, segments: readonly SegmentSummary[], currency: string | null): ReportChart {
  const largest = Math.max(1, ...segments.map((s) => s.size));
  // Mean spend spans orders of magnitude between segments (wholesalers against one-off buyers): a
  // log axis keeps the small ones apart. It needs positive values, so it is used only when all are.
  const spends = segments.map((s) => s.meanMonetary);
  const log = spends.every((x) => x > 0);
  return chart(id, {
    tooltip: { trigger: 'item' },
    grid: { left: 12, right: 32, top: 40, bottom: 36, containLabel: true },
    // Headroom keeps the largest bubbles and their labels inside the plot.
    xAxis: valueAxis('median days since last order', 'int', { min: 0, max: paddedMax(Math.max(...segments.map((s) => s.medianRecencyDays)), 0.12) }, 'bottom'),
    yAxis: valueAxis(`mean spend per customer${currency ? ` (${currency})` : ''}${log ? ', log scale' : ''}`, 'money', log ? { type: 'log', logBase: 10 } : {}),
    series: [
      {
        name: 'segments',
        type: 'scatter',
        labelLayout: { hideOverlap: true },
        label: { show: true, position: 'top', formatter: '{b}', fontSize: 11 },
        data: segments.map((s, i) => ({
          name: s.segment.replace(/[{}]/g, ''),
          value: [round(s.medianRecencyDays, 2), round(s.meanMonetary, 2)],
          symbolSize: 12 + 48 * Math.sqrt(s.size / largest),
          itemStyle: { color: PALETTE[i % PALETTE.length], opacity: 0.8 },
          tooltip: itemTooltip([s.segment, `${int(s.size)} customers (${pct(s.share)})`, `median ${days(s.medianRecencyDays)} since the last order`, `mean spend ${money(s.meanMonetary, currency)}`]),
        })),
      },
    ],
  });
}

/**
 * Favourite categories: each segment's spend split over the categories that are in any segment's
 * top three, the rest as "other", as 100% stacked bars.
 */
export function categoryChart(id: string, segments: readonly SegmentSummary[]): ReportChart {
  const categories = [...new Set(segments.flatMap((s) => s.topCategories.map((c) => c.category)))];
  const shareOf = (s: SegmentSummary, category: string): number => s.topCategories.find((c) => c.category === category)?.share ?? 0;
  const series = categories.map((category) => ({
    name: category,
    type: 'bar' as const,
    stack: 'share',
    barMaxWidth: 28,
    data: segments.map((s) => round(shareOf(s, category), 6)),
  }));
  series.push({ name: 'rest of the spend', type: 'bar', stack: 'share', barMaxWidth: 28, data: segments.map((s) => round(Math.max(0, 1 - s.topCategories.reduce((a, c) => a + c.share, 0)), 6)) });
  return chart(id, {
    legend: { type: 'scroll', top: 0, left: 'center' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
    grid: { left: 28, right: 24, top: 36, bottom: 36, containLabel: true },
    xAxis: valueAxis('share of the segment’s spend', 'pct0', { min: 0, max: 1 }, 'bottom'),
    yAxis: { type: 'category', inverse: true, data: segments.map((s) => s.segment) },
    series: series.map((s, i) => (i === series.length - 1 ? { ...s, itemStyle: { color: '#d0d7de' } } : s)),
  });
}
