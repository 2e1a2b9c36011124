import type { Segmentation } from '../../marketing/segments.js';
import { defineSection } from '../define.js';
import { date, int, pct } from '../format.js';
import { chartBox, chartRow, keyFigures, paragraph } from '../html.js';
import { NotAvailable } from '../unavailable.js';
import { categoryChart, profileChart, revenueShares, segmentsOnce, segmentsTable, sizeChart } from './segment-parts.js';

/** RFM segment profiles: quintile scores on recency, frequency and spend, named by a fixed grid. */
export const rfmSection = defineSection<Segmentation>({
  id: 'rfm',
  title: 'RFM segments',
  gather: (ctx) => segmentsOnce(ctx, 'rfm'),
  render(result, ctx) {
    const { segments } = result;
    if (segments.length === 0) throw new NotAvailable('no known customer has a purchase in the range');
    const shares = revenueShares(segments);
    const best = segments[0]!;
    const size = sizeChart('rfm-sizes', segments);
    const profile = profileChart('rfm-profile', segments, ctx.currency);
    const categories = categoryChart('rfm-categories', segments);
    const html = [
      paragraph(
        `Every known customer with a purchase before ${date(result.asOf)} gets a score from 1 to 5 on recency (days since the last order), frequency (orders) and monetary value (net spend), by quintile among all customers; recency and the mean of frequency and spend then name the segment. Spend is net of returns.`,
      ),
      keyFigures([
        { label: 'customers scored', value: int(result.customers.length) },
        { label: 'segments', value: int(segments.length) },
        { label: `${best.segment}: customers`, value: `${int(best.size)} (${pct(best.share)})` },
        { label: `${best.segment}: share of net revenue`, value: pct(shares[0] ?? null) },
      ]),
      chartRow(chartBox(size.id, 'Customers per RFM segment', 340), chartBox(profile.id, 'Segment profiles: recency against mean spend (bubble area: customers)', 340)),
      chartRow(chartBox(categories.id, 'Favourite categories: share of each segment’s spend', Math.max(300, 90 + 30 * segments.length))),
      segmentsTable('rfm-segments', 'RFM segments', segments, ctx.currency),
    ].join('\n');
    return {
      id: 'rfm',
      title: 'RFM segments',
      html,
      charts: [size, profile, categories],
      summary: `${int(result.customers.length)} customers in ${segments.length} RFM segments; ${best.segment} (${pct(best.share)} of customers) bring ${pct(shares[0] ?? null)} of net revenue.`,
      status: 'ok',
      data: { method: result.method, asOf: new Date(result.asOf).toISOString(), customers: result.customers.length, segments },
    };
  },
});
