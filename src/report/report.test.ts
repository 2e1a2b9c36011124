// The report of the bundled Online Retail sample: one self-contained file, every section present,
// the figures in its tables and charts equal to what the analyses return on the same store, and
// (browser.case.ts) the page working in headless Chromium. Both suites share one build of it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { activeUsers } from '../analytics/active-users.js';
import { learnEngagementNetwork } from '../analytics/bayes-net/index.js';
import { funnel } from '../analytics/funnel.js';
import { orders } from '../analytics/orders.js';
import { repeatPurchase } from '../analytics/repeat-purchase.js';
import { retention } from '../analytics/retention.js';
import { analyzeUserStates } from '../analytics/user-states/index.js';
import { segmentCustomers } from '../marketing/segments.js';
import { browserSuite } from './browser.case.js';
import { echartsBundle } from './echarts-source.js';
import { embeddedData, sampleReport, tableRows, type SampleReport } from './sample.case.js';
import { SECTIONS } from './sections/index.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const gbp = (x: number | null): string => (x === null ? '—' : `£${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
const period = (cell: string): string => cell.replace(/ \*$/, '');

let built: Promise<SampleReport> | null = null;
const getSample = (): Promise<SampleReport> => (built ??= sampleReport());
after(async () => {
  if (built) await (await built).dispose();
});

describe('the report of the Online Retail sample', () => {
  let sample: SampleReport;
  let html: string;
  before(async () => {
    sample = await getSample();
    html = sample.report.html;
  });

  it('is one self-contained file: no external script, style, link or request', () => {
    assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'a src/href pointing off the file');
    assert.doesNotMatch(html, /<script[^>]*\bsrc\s*=/i);
    assert.doesNotMatch(html, /<link[^>]*stylesheet/i);
    assert.doesNotMatch(html, /@import|url\(\s*["']?(https?:)?\/\//i);
    // The chart library is inlined whole; the rest of the page (our markup, data and script) makes no request.
    const bundle = echartsBundle().source;
    assert.ok(html.includes(bundle), 'echarts.min.js is inlined');
    const ours = html.replace(bundle, '');
    assert.doesNotMatch(ours, /\bfetch\s*\(|XMLHttpRequest|\bimport\s*\(|new\s+WebSocket|navigator\.sendBeacon/);
    assert.equal((html.match(/<script/g) ?? []).length, 3, 'echarts, the data and the page script');
  });

  it('has every section, in order, linked from the contents, with a container for every chart', () => {
    const data = embeddedData(html);
    assert.deepEqual(data.sections.map((s) => s.id), SECTIONS.map((s) => s.id));
    // The sample is a shop's order lines: no impressions, no experiments.
    const missing = { 'rec-impact': /no impression events/, experiments: /no A\/B experiment is stored/ } as Record<string, RegExp>;
    for (const section of data.sections.filter((s) => missing[s.id])) {
      assert.equal(section.status, 'unavailable', section.id);
      const body = html.slice(html.indexOf(`<section id="${section.id}"`), html.indexOf('</section>', html.indexOf(`<section id="${section.id}"`)));
      assert.match(body, /Not available on this data: /);
      assert.match(body, missing[section.id]!);
      assert.match(html, new RegExp(`<a href="#${section.id}">[^<]*</a><span class="badge">not available</span>`));
    }
    for (const section of data.sections.filter((s) => !missing[s.id])) {
      assert.equal(section.status, 'ok', `${section.id} has results on the sample`);
      assert.match(html, new RegExp(`<section id="${section.id}" class="report-section"`));
      assert.match(html, new RegExp(`<a href="#${section.id}">`));
      assert.ok(section.summary.length > 20, `${section.id} has a summary`);
      assert.ok(section.charts.length > 0, `${section.id} has charts`);
      for (const c of section.charts) assert.match(html, new RegExp(`<div class="chart" id="${c.id}" role="img"`));
    }
    assert.match(html, /Generated<\/dt><dd>2026-01-02 03:04 UTC/);
  });

  it('shows the extent of the data in the header', async () => {
    const stats = await sample.store.stats();
    const events = html.match(/<dt>Events<\/dt><dd>([^<]*)<\/dd>/)![1]!;
    assert.ok(events.startsWith(int(stats.events)), events);
    assert.match(events, new RegExp(`purchase ${int(stats.eventsByType.purchase!)}`));
    assert.match(html, new RegExp(`<dt>Data extent</dt><dd>${new Date(stats.firstEventAt!).toISOString().slice(0, 10)}`));
  });

  it('active users: the monthly table and the MAU series are the analysis rows', async () => {
    const rows = await activeUsers(sample.store, { by: 'month' });
    const table = tableRows(html, 'activity-monthly');
    assert.equal(table.length, rows.length);
    rows.forEach((r, i) => {
      const cells = table[i]!;
      assert.equal(period(cells[0]!), r.period);
      assert.deepEqual(cells.slice(1, 4), [int(r.activeUsers), int(r.newUsers), int(r.returningUsers)]);
      assert.equal(cells.at(-1), pct(r.stickiness));
    });
    const chart = embeddedData(html).sections[0]!.charts.find((c) => c.id === 'activity-active')!;
    const mau = (chart.option.series as { name: string; data: [string, number][] }[]).find((s) => s.name.startsWith('MAU'))!;
    assert.deepEqual(mau.data.slice(0, rows.length), rows.map((r) => [`${r.period}-01`, r.activeUsers]));
  });

  it('retention: weekly cohorts (the sample spans three months), classic and rolling', async () => {
    const cohorts = await retention(sample.store, { by: 'week' });
    for (const [name, pick] of [['retention-classic', (c: (typeof cohorts)[number]) => c.retention], ['retention-rolling', (c: (typeof cohorts)[number]) => c.rollingRetention]] as const) {
      const table = tableRows(html, name);
      assert.equal(table.length, cohorts.length);
      cohorts.forEach((c, i) => {
        const shares = pick(c);
        assert.deepEqual(table[i]!.slice(0, 2 + shares.length), [c.cohort, int(c.size), ...shares.map(pct)]);
      });
    }
  });

  it('funnel: no views in the sample, so first → second → third order within 90 days', async () => {
    assert.match(html, /Not available on this data: a view → add to cart → purchase funnel/);
    const rows = await funnel(sample.store, { steps: ['purchase', 'purchase', 'purchase'], windowDays: 90 });
    const table = tableRows(html, 'funnel');
    assert.deepEqual(
      table.map((r) => [r[0], r[2], r[3], r[5]]),
      rows.map((r, i) => [`${r.step}. ${['first', 'second', 'third'][i]} order`, int(r.users), pct(r.conversion), int(r.dropOff)]),
    );
    assert.equal(table[1]![6], `${(rows[1]!.medianSecondsFromPrevious! / 86_400).toFixed(1)} days`);
    assert.ok(rows[2]!.users > 0);
  });

  it('repeat purchase and orders: the tables are the analysis rows', async () => {
    const repeat = await repeatPurchase(sample.store, { by: 'week' });
    const whole = repeat.at(-1)!;
    const last = tableRows(html, 'repeat-purchase').at(-1)!;
    assert.deepEqual(last.slice(0, 4), ['whole range', int(whole.customers), int(whole.repeatCustomers), pct(whole.repeatRate)]);
    assert.equal(last[7], `${whole.medianDaysBetweenOrders!.toFixed(1)} days`);

    const weeks = await orders(sample.store, { by: 'week' });
    const table = tableRows(html, 'orders');
    assert.deepEqual(
      table.map((r) => [period(r[0]!), r[1], r[4], r[5], r[7]]),
      weeks.map((w) => [w.period, int(w.orders), gbp(w.revenue), gbp(w.returns), gbp(w.averageOrderValue)]),
    );
  });

  it("user states: the transition matrix is the model's", async () => {
    const model = await analyzeUserStates(sample.store, { by: 'week' });
    const table = tableRows(html, 'user-states-matrix');
    assert.deepEqual(
      table,
      model.states.map((from, i) => [from, ...model.states.map((_, j) => `${pct(model.matrix[i]![j]!)} (${int(model.counts[i]![j]!)})`)]),
    );
    assert.ok(model.states.includes('purchasing') && model.users > 1000);
  });

  it("Bayesian network: the outcome table and driver readings are the network's", async () => {
    const net = await learnEngagementNetwork(sample.store, { horizonDays: 30 });
    assert.deepEqual(
      tableRows(html, 'bayes-net-outcome').map((r) => [r[1], r[2]]),
      net.outcomeCpt.rows.map((r) => [int(r.users), pct(r.probability)]),
    );
    assert.deepEqual(
      tableRows(html, 'bayes-net-drivers'),
      net.drivers.map((d) => [`${d.variable} = ${d.state}`, int(d.users), pct(d.probability), pct(d.observed)]),
    );
  });

  it('propensity: the metrics table is that of the trained models (checked against the embedded results: retraining would double the time)', () => {
    const data = embeddedData(html).sections.find((s) => s.id === 'propensity')!.data as {
      models: Record<'gbt' | 'lr', { test: Record<'raw' | 'calibrated', { auc: number; averagePrecision: number; brier: number; baseRate: number }> }>;
      test: { customers: number };
    };
    const rows = tableRows(html, 'propensity-metrics');
    const expected = (['gbt', 'lr'] as const).flatMap((k) => (['raw', 'calibrated'] as const).map((v) => data.models[k].test[v]));
    assert.deepEqual(rows.map((r) => [r[1], r[2], r[4], r[6]]), expected.map((m) => [m.auc.toFixed(3), m.averagePrecision.toFixed(3), m.brier.toFixed(3), pct(m.baseRate)]));
    assert.ok(data.test.customers > 500);
    assert.ok(data.models.gbt.test.calibrated.auc > 0.6, 'the trees rank buyers better than chance on the sample');
  });

  it('uplift: labelled semi-synthetic, with the Qini coefficients of the estimators as analysed', () => {
    const section = html.slice(html.indexOf('<section id="uplift"'), html.indexOf('</section>', html.indexOf('<section id="uplift"')));
    assert.match(section, /SEMI-SYNTHETIC campaign/);
    const data = embeddedData(html).sections.find((s) => s.id === 'uplift')!.data as { result: { estimators: { qini: { coefficient: number } }[]; oracle: { qini: { coefficient: number } } | null } };
    const rows = tableRows(html, 'uplift-estimators');
    const expected = [...data.result.estimators, null, ...(data.result.oracle ? [data.result.oracle] : [])];
    assert.equal(rows.length, expected.length);
    expected.forEach((e, i) => {
      if (e) assert.equal(rows[i]![1], e.qini.coefficient.toFixed(3));
    });
    assert.equal(rows.at(-1)![0], 'perfect (true uplift)');
  });

  it('segments: RFM sizes are those of the segmentation; k-means covers the same customers', async () => {
    const rfm = await segmentCustomers(sample.store, { method: 'rfm' });
    const table = tableRows(html, 'rfm-segments');
    assert.deepEqual(table.map((r) => [r[0], r[1], r[2]]), rfm.segments.map((s) => [s.segment, int(s.size), pct(s.share)]));
    assert.deepEqual(tableRows(html, 'rfm-segments-profiles').map((r) => r[2]), rfm.segments.map((s) => s.description));
    // Re-running k-means would double the test's time; its table must match the embedded results
    // and partition the same customers RFM scored.
    const kmeans = embeddedData(html).sections.find((s) => s.id === 'kmeans')!.data as { customers: number; segments: { segment: string; size: number }[] };
    assert.equal(kmeans.customers, rfm.customers.length);
    assert.equal(kmeans.segments.reduce((a, s) => a + s.size, 0), rfm.customers.length);
    assert.deepEqual(tableRows(html, 'kmeans-segments').map((r) => [r[0], r[1]]), kmeans.segments.map((s) => [s.segment, int(s.size)]));
  });
});

browserSuite(getSample);
