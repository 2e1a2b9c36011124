import { trainPropensity, type ModelEvaluation, type PropensityModelKind, type PropensityResult } from '../../marketing/propensity/index.js';
import { chart, fmt, PALETTE, round, valueAxis } from '../charts.js';
import { defineSection } from '../define.js';
import { date, dec, int, pct } from '../format.js';
import { chartBox, chartRow, dataTable, keyFigures, paragraph } from '../html.js';
import type { ReportChart } from '../types.js';
import { orNotAvailable } from '../unavailable.js';

const MODEL_NAMES: Record<PropensityModelKind, string> = { gbt: 'gradient-boosted trees', lr: 'logistic regression' };
/** Legend names: short, so two or three fit side by side. */
const SHORT: Record<PropensityModelKind, string> = { gbt: 'trees', lr: 'logistic' };
/** A legend under the plot that wraps instead of scrolling. */
const BOTTOM_LEGEND = { type: 'plain' as const, bottom: 0, left: 'center' };
const KINDS: PropensityModelKind[] = ['gbt', 'lr'];
const DIAGONAL = { name: 'diagonal', type: 'line' as const, showSymbol: false, silent: true, itemStyle: { color: '#8c959f' }, lineStyle: { type: 'dashed' as const, color: '#8c959f', width: 1 }, data: [[0, 0], [1, 1]] };

function calibrationChart(result: PropensityResult): ReportChart {
  const primary = result.models[result.primary];
  const points = (bins: ModelEvaluation['calibration']['raw']): [number, number][] =>
    bins.flatMap((b) => (b.meanPredicted === null || b.observedRate === null ? [] : [[round(b.meanPredicted, 6)!, round(b.observedRate, 6)!] as [number, number]]));
  return chart('propensity-calibration', {
    legend: BOTTOM_LEGEND,
    tooltip: { trigger: 'item', valueFormatter: fmt('pct') },
    grid: { left: 12, right: 24, top: 32, bottom: 64, containLabel: true },
    xAxis: valueAxis('mean predicted probability', 'pct0', { min: 0, max: 1 }, 'bottom'),
    yAxis: valueAxis('observed share', 'pct0', { min: 0, max: 1 }),
    series: [
      DIAGONAL,
      { name: `${SHORT[result.primary]}, raw`, type: 'line', symbolSize: 7, lineStyle: { type: 'dotted' }, data: points(primary.calibration.raw) },
      { name: `${SHORT[result.primary]}, calibrated (${result.calibrationMethod})`, type: 'line', symbolSize: 7, data: points(primary.calibration.calibrated) },
    ],
  });
}

function curveChart(id: string, result: PropensityResult, kind: 'roc' | 'pr'): ReportChart {
  const series = KINDS.map((k, i) => {
    const model = result.models[k];
    const data = kind === 'roc' ? model.roc.map((p) => [round(p.falsePositiveRate, 5), round(p.truePositiveRate, 5)]) : model.pr.map((p) => [round(p.recall, 5), round(p.precision, 5)]);
    const score = kind === 'roc' ? model.test.calibrated.auc : model.test.calibrated.averagePrecision;
    return { name: `${SHORT[k]} (${kind === 'roc' ? 'AUC' : 'AP'} ${dec(score, 3)})`, type: 'line' as const, showSymbol: false, lineStyle: { width: 2 }, itemStyle: { color: PALETTE[i] }, data };
  });
  const base = result.models[result.primary].test.calibrated.baseRate;
  const reference =
    kind === 'roc' ? DIAGONAL : { ...DIAGONAL, name: `base rate ${pct(base)}`, data: [[0, round(base, 6)], [1, round(base, 6)]] };
  return chart(id, {
    legend: BOTTOM_LEGEND,
    tooltip: { trigger: 'axis', valueFormatter: fmt('pct') },
    grid: { left: 12, right: 24, top: 32, bottom: 64, containLabel: true },
    xAxis: valueAxis(kind === 'roc' ? 'false positive rate' : 'recall', 'pct0', { min: 0, max: 1 }, 'bottom'),
    yAxis: valueAxis(kind === 'roc' ? 'true positive rate' : 'precision', 'pct0', { min: 0, max: 1 }),
    series: [reference, ...series],
  });
}

function importanceChart(result: PropensityResult): ReportChart {
  const top = result.models[result.primary].importances.slice(0, 15);
  return chart('propensity-importances', {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: fmt(result.primary === 'gbt' ? 'pct' : 'dec3') },
    grid: { left: 28, right: 48, top: 12, bottom: 36, containLabel: true },
    xAxis: valueAxis(result.primary === 'gbt' ? 'share of split gain' : '|standardised coefficient|', result.primary === 'gbt' ? 'pct0' : 'dec2', {}, 'bottom'),
    yAxis: { type: 'category', inverse: true, data: top.map((f) => f.feature) },
    series: [{ name: 'importance', type: 'bar', data: top.map((f) => round(f.importance, 6)) }],
  });
}

/** Purchase propensity: calibration, ROC and precision–recall on a later test window, and what drives it. */
export const propensitySection = defineSection<PropensityResult>({
  id: 'propensity',
  title: 'Purchase propensity',
  gather: (ctx) => orNotAvailable(() => trainPropensity(ctx.store, { target: 'purchase' })),
  render(result) {
    const primary = result.models[result.primary];
    const n = result.horizonDays;
    const calibration = calibrationChart(result);
    const roc = curveChart('propensity-roc', result, 'roc');
    const pr = curveChart('propensity-pr', result, 'pr');
    const importances = importanceChart(result);
    const metricRows = KINDS.flatMap((k) => (['raw', 'calibrated'] as const).map((variant) => ({ k, variant, m: result.models[k].test[variant] })));
    const html = [
      paragraph(
        `Who buys in the next ${n} days? Two models learn it from per-customer features at a cut-off (${date(result.trainCutoff)}) with the purchases of the ${n} days after it, and are tested on a later window: features at ${date(result.testCutoff)}, purchases up to ${date(result.testCutoff + n * 86_400_000)}. Probabilities are calibrated (${result.calibrationMethod}) on a held-out share of the training customers. The models use the whole store; the report's range does not apply to them.`,
      ),
      keyFigures([
        { label: 'training customers (bought)', value: `${int(result.train.customers)} (${int(result.train.positives)})` },
        { label: 'test customers (bought)', value: `${int(result.test.customers)} (${int(result.test.positives)})` },
        { label: `AUC, ${MODEL_NAMES[result.primary]}`, value: dec(primary.test.calibrated.auc, 3) },
        { label: `AUC, ${MODEL_NAMES.lr}`, value: dec(result.models.lr.test.calibrated.auc, 3) },
        { label: 'calibration error (ECE)', value: pct(primary.test.calibrated.ece) },
      ]),
      chartRow(chartBox(calibration.id, 'Calibration on the test window: observed share against predicted probability, per tenth', 360), chartBox(importances.id, `What the ${MODEL_NAMES[result.primary]} rely on most`, 360)),
      chartRow(chartBox(roc.id, 'ROC curves on the test window (calibrated probabilities)', 340), chartBox(pr.id, 'Precision–recall on the test window', 340)),
      dataTable(
        'propensity-metrics',
        'Test-window metrics',
        [
          { header: 'model', cell: (r) => `${MODEL_NAMES[r.k]}, ${r.variant}` },
          { header: 'AUC', cell: (r) => dec(r.m.auc, 3) },
          { header: 'average precision', cell: (r) => dec(r.m.averagePrecision, 3) },
          { header: 'log loss', cell: (r) => dec(r.m.logLoss, 3) },
          { header: 'Brier score', cell: (r) => dec(r.m.brier, 3) },
          { header: 'ECE', cell: (r) => pct(r.m.ece) },
          { header: 'base rate', cell: (r) => pct(r.m.baseRate) },
        ],
        metricRows,
      ),
      dataTable(
        'propensity-calibration',
        `Calibration table of the ${MODEL_NAMES[result.primary]} (calibrated, test window)`,
        [
          { header: 'predicted', cell: (b) => `${pct(b.lower, 0)}–${pct(b.upper, 0)}` },
          { header: 'customers', cell: (b) => int(b.count) },
          { header: 'mean predicted', cell: (b) => pct(b.meanPredicted) },
          { header: 'observed share', cell: (b) => pct(b.observedRate) },
        ],
        primary.calibration.calibrated,
        { collapsed: true },
      ),
      dataTable(
        'propensity-importances',
        `Feature importances of the ${MODEL_NAMES[result.primary]}`,
        [
          { header: 'feature', cell: (f) => f.feature },
          { header: 'importance', cell: (f) => (result.primary === 'gbt' ? pct(f.importance) : dec(f.importance, 3)) },
          ...(result.primary === 'gbt' ? [{ header: 'splits', cell: (f: (typeof primary.importances)[number]) => int(f.splits ?? null) }] : [{ header: 'coefficient', cell: (f: (typeof primary.importances)[number]) => dec(f.coefficient ?? null, 3) }]),
        ],
        primary.importances,
        { collapsed: true },
      ),
    ].join('\n');
    const top = primary.importances[0];
    // Per-customer scores are a mailing list, not a report: only the model readings are embedded.
    const { scores, ...readings } = result;
    return {
      id: 'propensity',
      title: 'Purchase propensity',
      html,
      charts: [calibration, importances, roc, pr],
      summary: `The ${MODEL_NAMES[result.primary]} rank next-${n}-day buyers with AUC ${dec(primary.test.calibrated.auc, 3)} (logistic regression ${dec(result.models.lr.test.calibrated.auc, 3)})${top ? `; most telling feature: ${top.feature}` : ''}.`,
      status: 'ok',
      data: { ...readings, scoredCustomers: scores.length },
    };
  },
});
