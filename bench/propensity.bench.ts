// Propensity, churn and uplift on the full UCI Online Retail file (541,909 lines) in the embedded
// SQLite store: metrics on a later window, calibration tables, training time, a rolling check of
// purchase AUC over earlier cut-offs, the semi-synthetic campaign's Qini over several seeds, and
// a placebo difference-in-differences on random halves of the customers.
//
//   node --import tsx bench/propensity.bench.ts [--db sqlite:<file>]   (--db reuses an imported store)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignPanel, differenceInDifferences } from '../src/marketing/campaign/index.js';
import { dataEndOf, loadActivity, trainPropensity, type ClassifierMetrics, type PropensityOptions, type PropensityResult } from '../src/marketing/propensity/index.js';
import { hashUniform, semiSyntheticFromLog, upliftAnalysis } from '../src/marketing/uplift/index.js';
import { importSource, onlineRetailSource } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { table } from '../src/core/table.js';
import { dataset, figure, int, timed } from './util.js';

const args = process.argv.slice(2);
const given = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const dir = given ? null : mkdtempSync(join(tmpdir(), 'magpie-bench-propensity-'));
const store = await openStore(given ?? `sqlite:${join(dir!, 'retail.db')}`);
const DAY = 86_400_000;
const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const f4 = (x: number | null): string => (x === null ? '—' : x.toFixed(4));
const metricsRow = (name: string, m: ClassifierMetrics): string[] => [name, f4(m.auc), f4(m.averagePrecision), f4(m.logLoss), f4(m.brier), f4(m.ece)];
const METRIC_HEADER = ['model', 'AUC', 'PR-AUC (AP)', 'log loss', 'Brier', 'ECE'];

function report(title: string, result: PropensityResult, seconds: number): void {
  console.log(`\n${title}: train ${day(result.trainCutoff)} → labels to ${day(result.testCutoff)}; test ${day(result.testCutoff)} → labels to ${day(result.testCutoff + result.horizonDays * DAY)}`);
  console.log(`train ${int(result.train.customers)} customers (${((100 * result.train.positives) / result.train.customers).toFixed(1)}% positive), test ${int(result.test.customers)} (${((100 * result.test.positives) / result.test.customers).toFixed(1)}% positive)`);
  const rows = (['gbt', 'lr'] as const).flatMap((k) => [metricsRow(`${k} raw`, result.models[k].test.raw), metricsRow(`${k} ${result.calibrationMethod}`, result.models[k].test.calibrated)]);
  console.log(table(METRIC_HEADER, rows));
  const gbt = result.models.gbt;
  console.log(`calibration of gbt on the test window, raw → ${result.calibrationMethod} (bin: customers, mean predicted, observed):`);
  console.log(
    table(
      ['bin', 'n raw', 'pred raw', 'obs raw', 'n cal', 'pred cal', 'obs cal'],
      gbt.calibration.raw.map((b, i) => {
        const c = gbt.calibration.calibrated[i]!;
        return [`${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`, int(b.count), f4(b.meanPredicted), f4(b.observedRate), int(c.count), f4(c.meanPredicted), f4(c.observedRate)];
      }),
    ),
  );
  console.log(`top features (gbt gain): ${gbt.importances.slice(0, 6).map((i) => `${i.feature} ${(100 * i.importance).toFixed(1)}%`).join(', ')}`);
  figure(`${title}: gbt training (5 folds)`, gbt.trainSeconds.toFixed(2), `s (rounds ${gbt.details.map((d) => d.rounds).join('/')})`);
  figure(`${title}: lr training (5 folds × 4 λ)`, result.models.lr.trainSeconds.toFixed(2), 's');
  figure(`${title}: load + features + train + score`, seconds.toFixed(2), `s (load ${result.seconds.load.toFixed(2)} s, features ${result.seconds.features.toFixed(2)} s)`);
}

try {
  if (!given) {
    const file = dataset('online-retail/online_retail.csv.gz');
    const { value: imported, seconds } = await timed(() => importSource(store, onlineRetailSource(file)));
    figure('import online-retail into SQLite', seconds.toFixed(2), `s (${int(imported.eventsStored)} events)`);
  }

  for (const [title, options] of [
    ['purchase propensity, 30 days', { target: 'purchase' }],
    ['churn, 90 days', { target: 'churn' }],
  ] as [string, PropensityOptions][]) {
    const { value, seconds } = await timed(() => trainPropensity(store, options));
    report(title, value, seconds);
    const iso = await trainPropensity(store, { ...options, calibration: 'isotonic' });
    console.log(table(METRIC_HEADER, (['gbt', 'lr'] as const).map((k) => metricsRow(`${k} isotonic`, iso.models[k].test.calibrated))));
  }

  // The default cut-off puts the test window in the Christmas run-up; earlier windows show the spread.
  console.log('\nPurchase propensity (30 days) at earlier cut-offs, test AUC of raw probabilities:');
  const rolling: string[][] = [];
  const aucs: number[] = [];
  for (const cutoff of ['2011-05-14', '2011-06-13', '2011-07-13', '2011-08-12', '2011-09-11', '2011-10-11']) {
    const r = await trainPropensity(store, { target: 'purchase', cutoff });
    aucs.push(r.models.gbt.test.raw.auc!);
    rolling.push([day(r.trainCutoff), day(r.testCutoff), int(r.test.customers), f4(r.models.gbt.test.raw.auc), f4(r.models.lr.test.raw.auc), f4(r.models.gbt.test.raw.averagePrecision)]);
  }
  console.log(table(['train cut-off', 'test cut-off', 'test customers', 'gbt AUC', 'lr AUC', 'gbt AP'], rolling));
  figure('purchase propensity: mean gbt AUC over the six windows', (aucs.reduce((a, b) => a + b, 0) / aucs.length).toFixed(4));

  console.log('\nSEMI-SYNTHETIC uplift campaign (real customers and purchases at the last 30-day window, simulated treatment; see SIMULATED_EFFECT_RULE):');
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const qini = new Map<string, number[]>();
  const started = performance.now();
  const dataEnd = (await dataEndOf(store))!;
  const log = await loadActivity(store, { to: dataEnd });
  figure('uplift: load the activity log once', ((performance.now() - started) / 1000).toFixed(2), 's');
  for (const seed of seeds) {
    const campaign = semiSyntheticFromLog(log, dataEnd, { seed });
    const result = upliftAnalysis(campaign, { seed });
    for (const e of [...result.estimators, result.random, result.oracle!]) {
      const key = e.learner ? `${e.method} / ${e.learner}` : e.method;
      qini.set(key, [...(qini.get(key) ?? []), e.qini.coefficient]);
    }
  }
  const stats = (v: number[]): [number, number] => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return [mean, Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1))];
  };
  console.log(table(['ranking', 'mean Qini coef.', 'sd', 'min', 'max'], [...qini.entries()].map(([k, v]) => [k, f4(stats(v)[0]), f4(stats(v)[1]), f4(Math.min(...v)), f4(Math.max(...v))])));
  figure(`uplift: ${seeds.length} seeds × 4 estimators, including the load`, ((performance.now() - started) / 1000).toFixed(2), 's');

  // Placebo: split customers in random halves; nothing was done to either, so the DiD of weekly
  // revenue around an arbitrary date should be near 0 and its interval should cover 0.
  const buyers = semiSyntheticFromLog(log, dataEnd, { seed: 1 }).userIds;
  const test = buyers.filter((id) => hashUniform(42, 'placebo', id) < 0.5);
  const control = buyers.filter((id) => hashUniform(42, 'placebo', id) >= 0.5);
  const { value: did, seconds: didSeconds } = await timed(async () =>
    differenceInDifferences(await campaignPanel(store, { test, control, before: { from: '2011-09-15', to: '2011-10-13' }, after: { from: '2011-10-13', to: '2011-11-10' } })),
  );
  console.log(
    `\nPlacebo DiD (random halves, weekly revenue per customer, 4 weeks before/after 2011-10-13): estimate ${did.estimate.toFixed(2)}, ` +
      `clustered SE ${did.standardError.toFixed(2)} (classical ${did.olsStandardError.toFixed(2)}), 95% CI [${did.confidenceInterval[0].toFixed(2)}, ${did.confidenceInterval[1].toFixed(2)}], p = ${did.pValue.toFixed(3)}, ${int(did.clusters)} customers, ${int(did.observations)} customer-weeks`,
  );
  figure('placebo DiD: panel + estimate', didSeconds.toFixed(2), 's');
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
