import type { Segmentation } from '../../marketing/segments.js';
import { chart, fmt, PALETTE, round, valueAxis } from '../charts.js';
import { defineSection } from '../define.js';
import { date, dec, int, pct } from '../format.js';
import { chartBox, chartRow, keyFigures, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { NotAvailable } from '../unavailable.js';
import { categoryChart, profileChart, revenueShares, segmentsOnce, segmentsTable, sizeChart } from './segment-parts.js';

function silhouetteChart(result: Segmentation): ReportChart | null {
  const info = result.kmeans;
  if (!info || info.candidates.length < 2) return null;
  return chart('kmeans-silhouette', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('dec3') },
    grid: { left: 12, right: 24, top: 36, bottom: 28, containLabel: true },
    xAxis: { type: 'category', name: 'k', nameLocation: 'middle', nameGap: 24, data: info.candidates.map((c) => String(c.k)) },
    yAxis: valueAxis('mean silhouette', 'dec2'),
    series: [
      {
        name: 'mean silhouette',
        type: 'bar',
        barMaxWidth: 40,
        data: info.candidates.map((c) => ({ value: round(c.silhouette, 4), itemStyle: { color: c.k === info.k ? PALETTE[0] : '#b6c2cf' } })),
        label: { show: true, position: 'top', formatter: fmt('dec3') },
      },
    ],
  });
}

/** k-means clusters on behaviour features, with k chosen by silhouette, and their profiles. */
export const kmeansSection = defineSection<Segmentation>({
  id: 'kmeans',
  title: 'Behaviour clusters (k-means)',
  gather: (ctx) => segmentsOnce(ctx, 'kmeans'),
  render(result, ctx) {
    const { segments } = result;
    if (segments.length === 0) throw new NotAvailable('no known customer has a purchase in the range');
    const info = result.kmeans;
    const shares = revenueShares(segments);
    const silhouette = silhouetteChart(result);
    const size = sizeChart('kmeans-sizes', segments);
    const profile = profileChart('kmeans-profile', segments, ctx.currency);
    const categories = categoryChart('kmeans-categories', segments);
    const columns = info ? info.columns.map((c, i) => (info.logged[i] ? `log ${c}` : c)).join(', ') : '';
    const html = [
      paragraph(
        info
          ? `Customers with a purchase before ${date(result.asOf)}, clustered by k-means on standardised behaviour features (${columns}); k = ${info.k} had the best mean silhouette of the k tried. Clusters are numbered by mean spend, highest first.`
          : `Too few customers (${result.customers.length}) to cluster: they form one group.`,
      ),
      keyFigures([
        { label: 'customers', value: int(result.customers.length) },
        { label: 'clusters (k)', value: int(segments.length) },
        ...(info ? [{ label: 'mean silhouette', value: dec(info.silhouette, 3) }] : []),
        { label: `${segments[0]!.segment}: share of net revenue`, value: pct(shares[0] ?? null) },
      ]),
      chartRow(...(silhouette ? [chartBox(silhouette.id, 'Mean silhouette for each k tried (the one kept is dark)', 300)] : []), chartBox(size.id, 'Customers per cluster', 300)),
      chartRow(chartBox(profile.id, 'Cluster profiles: recency against mean spend (bubble area: customers)', 340), chartBox(categories.id, 'Favourite categories: share of each cluster’s spend', 340)),
      segmentsTable('kmeans-segments', 'k-means clusters', segments, ctx.currency),
    ].join('\n');
    return {
      id: 'kmeans',
      title: 'Behaviour clusters (k-means)',
      html,
      charts: [...(silhouette ? [silhouette] : []), size, profile, categories],
      summary: info
        ? `${segments.length} clusters (silhouette ${dec(info.silhouette, 3)}); ${segments[0]!.segment}: ${segments[0]!.description}.`
        : `${int(result.customers.length)} customers, too few to cluster.`,
      status: 'ok',
      data: { method: result.method, asOf: new Date(result.asOf).toISOString(), customers: result.customers.length, kmeans: info ?? null, segments },
    };
  },
});
