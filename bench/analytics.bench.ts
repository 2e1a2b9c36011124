// Time of each engagement analysis over the full UCI Online Retail file (541,909 lines, ~536k
// events) in the embedded SQLite store, by month and by week. Goal: under 2 s each.
//
//   node --import tsx bench/analytics.bench.ts [--db sqlite:<file>]   (--db reuses an imported store)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSES, runAnalysis, type AnalysisName, type FunnelOptions } from '../src/analytics/index.js';
import { importSource, onlineRetailSource } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { dataset, figure, int, timed } from './util.js';

const args = process.argv.slice(2);
const given = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const dir = given ? null : mkdtempSync(join(tmpdir(), 'magpie-bench-analytics-'));
const store = await openStore(given ?? `sqlite:${join(dir!, 'retail.db')}`);

// Online Retail holds purchases and returns only, so the default view → cart → purchase funnel would
// measure nothing; purchase → return exercises the same code on every event.
const extra: Partial<Record<AnalysisName, FunnelOptions>> = { funnel: { steps: ['purchase', 'return'] } };

try {
  if (!given) {
    const file = dataset('online-retail/online_retail.csv.gz');
    const { value: report, seconds } = await timed(() => importSource(store, onlineRetailSource(file)));
    figure('import online-retail into SQLite', seconds.toFixed(2), `s (${int(report.eventsStored)} events)`);
  }
  console.log(`\nAnalytics over ${int((await store.stats()).events)} events (goal < 2 s each)`);
  for (const name of ANALYSES) {
    for (const by of ['month', 'week'] as const) {
      const { value: rows, seconds } = await timed(() => runAnalysis(store, name, { by, ...extra[name] }));
      figure(`${name} by ${by}`, seconds.toFixed(3), `s (${rows.length} rows)`);
    }
  }
  const split = await timed(() => runAnalysis(store, 'funnel', { steps: ['purchase', 'return'], byCategory: true }));
  figure('funnel by category (optional split)', split.seconds.toFixed(3), `s (${split.value.length} rows)`);
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
