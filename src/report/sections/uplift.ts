import type { LineSeriesOption } from 'echarts';
import { semiSyntheticCampaign, upliftAnalysis, type SemiSyntheticCampaign, type UpliftEvaluation, type UpliftResult } from '../../marketing/uplift/index.js';
import { chart, fmt, legend, PALETTE, round, valueAxis } from '../charts.js';
import { defineSection } from '../define.js';
import { date, dec, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, escapeHtml, keyFigures, note, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { orNotAvailable } from '../unavailable.js';

const HORIZON_DAYS = 30;
const DAY_MS = 86_400_000;

/** The campaign analysed (without its per-customer arrays) and what the estimators achieved on it. */
export interface UpliftInput {
  campaign: Pick<SemiSyntheticCampaign, 'kind' | 'rule' | 'cutoff' | 'horizonDays'> & { customers: number; segments: Record<string, number> };
  result: UpliftResult;
}

const NAMES: Record<string, string> = { 't-learner': 'T-learner', 'class-transformation': 'class transformation', gbt: 'trees', lr: 'logistic', random: 'random targeting', oracle: 'perfect (true uplift)' };

/** How an estimator reads in legends and tables: `T-learner, trees`. */
export function estimatorName(e: UpliftEvaluation): string {
  return e.learner ? `${NAMES[e.method] ?? e.method}, ${NAMES[e.learner] ?? e.learner}` : (NAMES[e.method] ?? e.method);
}

function qiniChart(result: UpliftResult): ReportChart {
  const line = (e: UpliftEvaluation, style: Pick<LineSeriesOption, 'lineStyle' | 'itemStyle'>): LineSeriesOption => ({
    name: estimatorName(e),
    type: 'line',
    showSymbol: false,
    data: e.curve.map((p) => [round(p.fraction, 4), round(p.qini, 3)]),
    ...style,
  });
  const series = [
    ...(result.oracle ? [line(result.oracle, { lineStyle: { type: 'dotted', color: '#57606a' }, itemStyle: { color: '#57606a' } })] : []),
    ...result.estimators.map((e, i) => line(e, { lineStyle: { width: 2 }, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
    line(result.random, { lineStyle: { type: 'dashed', color: '#8c959f', width: 1 }, itemStyle: { color: '#8c959f' } }),
  ];
  return chart('uplift-qini', {
    legend: { type: 'plain', bottom: 0, left: 'center' },
    tooltip: { trigger: 'axis', valueFormatter: fmt('dec1') },
    grid: { left: 12, right: 24, top: 32, bottom: 72, containLabel: true },
    xAxis: valueAxis('share of customers targeted, highest predicted uplift first', 'pct0', { min: 0, max: 1 }, 'bottom'),
    yAxis: valueAxis('Qini: extra buyers from targeting', 'int'),
    series,
  });
}

function decileChart(best: UpliftEvaluation): ReportChart {
  const labels = best.deciles.map((d) => String(d.decile));
  return chart('uplift-deciles', {
    legend: legend(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt('pct') },
    grid: { left: 12, right: 24, top: 48, bottom: 36, containLabel: true },
    xAxis: { type: 'category', name: 'decile of predicted uplift (1 = highest)', nameLocation: 'middle', nameGap: 26, data: labels },
    yAxis: valueAxis('uplift in purchase rate', 'pct0'),
    series: [
      { name: 'observed (treated − control)', type: 'bar', data: best.deciles.map((d) => round(d.observedUplift, 6)) },
      { name: 'predicted', type: 'line', data: best.deciles.map((d) => round(d.meanPredicted, 6)) },
      ...(best.deciles.some((d) => d.meanTrue !== null) ? [{ name: 'true (simulated)', type: 'line' as const, lineStyle: { type: 'dashed' as const }, data: best.deciles.map((d) => round(d.meanTrue, 6)) }] : []),
    ],
  });
}

/** Uplift modelling: which customers a campaign changes, ranked by estimators and scored by Qini curves. */
export const upliftSection = defineSection<UpliftInput>({
  id: 'uplift',
  title: 'Campaign uplift (Qini)',
  gather: (ctx) =>
    orNotAvailable(async () => {
      const campaign = await semiSyntheticCampaign(ctx.store, {
        seed: 1,
        horizonDays: HORIZON_DAYS,
        ...(ctx.range.to !== null ? { cutoff: ctx.range.to - HORIZON_DAYS * DAY_MS } : {}),
      });
      const segments: Record<string, number> = {};
      for (const s of campaign.segment) segments[s] = (segments[s] ?? 0) + 1;
      return {
        campaign: { kind: campaign.kind, rule: campaign.rule, cutoff: campaign.cutoff, horizonDays: campaign.horizonDays, customers: campaign.x.n, segments },
        result: upliftAnalysis(campaign, { seed: 1 }),
      };
    }),
  render({ campaign, result }) {
    const best = result.estimators.reduce((a, b) => (b.qini.coefficient > a.qini.coefficient ? b : a), result.estimators[0]!);
    const qini = qiniChart(result);
    const deciles = decileChart(best);
    const rows = [...result.estimators, result.random, ...(result.oracle ? [result.oracle] : [])];
    const html = [
      note(
        'The store records no campaign with treated and control customers, so this section runs the uplift estimators on a SEMI-SYNTHETIC campaign: real customers, features and purchases, with a simulated treatment effect. It shows how well the estimators find the customers a campaign moves; it is not evidence about any real campaign.',
      ),
      `<ul class="rule">${campaign.rule.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
      paragraph(
        `Customers at the cut-off ${date(campaign.cutoff)}, purchases in the ${campaign.horizonDays} days after it. Half of them (${int(result.rows.train)}) train each estimator, the other half (${int(result.rows.test)}) are ranked by predicted uplift: the Qini curve counts the extra buyers won by targeting the top share, above the straight line of random targeting.`,
      ),
      keyFigures([
        { label: 'customers', value: int(campaign.customers) },
        { label: 'average effect on held-out customers', value: `${pct(result.test.averageEffect)} ± ${pct(1.96 * result.test.standardError)}` },
        { label: `best Qini coefficient (${estimatorName(best)})`, value: dec(best.qini.coefficient, 3) },
        ...(result.oracle ? [{ label: 'perfect ranking', value: dec(result.oracle.qini.coefficient, 3) }] : []),
      ]),
      chartRow(chartBox(qini.id, 'Qini curves on the held-out customers', 380), chartBox(deciles.id, `Uplift by decile of predicted uplift (${estimatorName(best)})`, 380)),
      dataTable(
        'uplift-estimators',
        'Estimators on the held-out customers',
        [
          { header: 'ranking', cell: (e) => estimatorName(e) },
          { header: 'Qini coefficient', cell: (e) => dec(e.qini.coefficient, 3) },
          { header: 'AUUC coefficient', cell: (e) => dec(e.auuc.coefficient, 3) },
          { header: 'rank correlation with true uplift', cell: (e) => dec(e.trueRankCorrelation, 3) },
          { header: 'training time', cell: (e) => (e.learner ? `${e.trainSeconds.toFixed(1)} s` : '—') },
        ],
        rows,
      ),
    ].join('\n');
    return {
      id: 'uplift',
      title: 'Campaign uplift (Qini)',
      html,
      charts: [qini, deciles],
      summary: `On a semi-synthetic campaign (no real one is recorded), ${estimatorName(best)} ranks best: Qini coefficient ${dec(best.qini.coefficient, 3)}${result.oracle ? ` of a perfect ${dec(result.oracle.qini.coefficient, 3)}` : ''}.`,
      status: 'ok',
      data: { campaign, result },
    };
  },
});
