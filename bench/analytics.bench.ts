// Time of each engagement analysis over the full UCI Online Retail file (541,909 lines, ~536k
// events) in the embedded SQLite store, by month and by week (user-states by week and day,
// bayes-net once). Goal: under 2 s each. Online Retail carries no recIds, so recommendation-impact
// is timed twice: on the data as it is (the cost of finding nothing), then after adding a seeded
// synthetic log of 200,000 recommendation responses with clicks, carts and purchases (only to a
// store the bench imported itself, never to one given with --db).
//
//   node --import tsx bench/analytics.bench.ts [--db sqlite:<file>]   (--db reuses an imported store)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSES, runAnalysis, type AnalysisName, type AnalysisRows, type FunnelOptions } from '../src/analytics/index.js';
import { makeEvent, type Event } from '../src/core/types.js';
import { importSource, onlineRetailSource } from '../src/ingest/index.js';
import { Random } from '../src/math/random.js';
import { openStore, type Store } from '../src/store/index.js';
import { dataset, figure, int, timed } from './util.js';

const args = process.argv.slice(2);
const given = args.includes('--db') ? args[args.indexOf('--db') + 1] : undefined;
const dir = given ? null : mkdtempSync(join(tmpdir(), 'magpie-bench-analytics-'));
const store = await openStore(given ?? `sqlite:${join(dir!, 'retail.db')}`);

// Online Retail holds purchases and returns only, so the default view → cart → purchase funnel would
// measure nothing; purchase → return exercises the same code on every event.
const extra: Partial<Record<AnalysisName, FunnelOptions>> = { funnel: { steps: ['purchase', 'return'] } };

/**
 * Runs an analysis and prints its wall time, with the process's CPU time beside it: SQLite runs on
 * this thread, so on a machine shared with other work the CPU time is the steadier figure.
 */
async function measure(label: string, name: AnalysisName, options: Parameters<typeof runAnalysis>[2]): Promise<void> {
  const cpu = process.cpuUsage();
  const { value, seconds } = await timed(() => runAnalysis(store, name, options));
  const used = process.cpuUsage(cpu);
  figure(label, seconds.toFixed(3), `s (${size(name, value)}; cpu ${((used.user + used.system) / 1e6).toFixed(3)} s)`);
}

/** What an analysis returned, in a few words: rows, or the size of a model. */
function size(name: AnalysisName, value: AnalysisRows[AnalysisName]): string {
  if (Array.isArray(value)) return `${value.length} rows`;
  if (name === 'user-states') {
    const model = value as AnalysisRows['user-states'];
    return `${model.states.length} states, ${int(model.users)} users, ${int(model.sessions)} sessions`;
  }
  const net = value as AnalysisRows['bayes-net'];
  return `${int(net.users)} users, ${net.variables.length} variables, ${net.edges.length} edges`;
}

/**
 * Adds `responses` recommendation responses shown to the store's customers over its time span,
 * each clicked with 8%, then carted with 40% and bought with 50% of the time, from six sources
 * (models, a rules fallback, two experiment variants) on three surfaces.
 */
async function addRecommendationTraffic(store: Store, responses: number): Promise<number> {
  const rng = new Random(42);
  const customers = (await store.listUsers({ limit: 100_000 })).map((u) => u.id);
  const stats = await store.stats();
  const start = stats.firstEventAt ?? 0;
  const span = (stats.lastEventAt ?? start) - start;
  const sources: [surface: string, source: string, model: string | null, version: string | null, experiment: string | null, variant: string | null][] = [
    ['feed', 'v20111201000000-ease', 'ease', 'v20111201000000-ease', null, null],
    ['feed', 'spring:a', 'ease', 'v20111201000000-ease', 'spring', 'a'],
    ['feed', 'spring:b', 'ials', 'v20111201000000-ials', 'spring', 'b'],
    ['similar', 'v20111201000000-item-knn', 'item-knn', 'v20111201000000-item-knn', null, null],
    ['cart', 'v20111201000000-association-rules', 'association-rules', 'v20111201000000-association-rules', null, null],
    ['cart', 'rules', null, null, null, null],
  ];
  let written = 0;
  let batch: Event[] = [];
  for (let r = 0; r < responses; r++) {
    const [surface, source, model, modelVersion, experiment, variant] = sources[rng.nextInt(sources.length)]!;
    const recId = `${surface}.${source}.b${r}`;
    const userId = customers[rng.nextInt(customers.length)]!;
    const ts = start + Math.floor(rng.nextFloat() * span);
    batch.push(makeEvent({ id: `bench:imp:${r}`, type: 'impression', userId, recId, timestamp: ts, context: { surface, model, modelVersion, experiment, variant, items: ['85123A', '22423'] } }));
    if (rng.nextFloat() < 0.08) {
      batch.push(makeEvent({ id: `bench:click:${r}`, type: 'click', userId, recId, itemId: '85123A', timestamp: ts + 20_000 }));
      if (rng.nextFloat() < 0.4) {
        batch.push(makeEvent({ id: `bench:cart:${r}`, type: 'add_to_cart', userId, recId, itemId: '85123A', timestamp: ts + 60_000 }));
        if (rng.nextFloat() < 0.5) {
          batch.push(makeEvent({ id: `bench:buy:${r}`, type: 'purchase', userId, recId, itemId: '85123A', quantity: 1 + rng.nextInt(6), price: 2.55, orderId: `bench:${r}`, timestamp: ts + 300_000 }));
        }
      }
    }
    if (batch.length >= 20_000) {
      written += (await store.write({ events: batch })).events;
      batch = [];
    }
  }
  written += (await store.write({ events: batch })).events;
  return written;
}

try {
  if (!given) {
    const file = dataset('online-retail/online_retail.csv.gz');
    const { value: report, seconds } = await timed(() => importSource(store, onlineRetailSource(file)));
    figure('import online-retail into SQLite', seconds.toFixed(2), `s (${int(report.eventsStored)} events)`);
  }
  console.log(`\nAnalytics over ${int((await store.stats()).events)} events (goal < 2 s each)`);
  const periods: Partial<Record<AnalysisName, readonly ('month' | 'week' | 'day')[]>> = { 'user-states': ['week', 'day'], 'bayes-net': ['month'] };
  for (const name of ANALYSES) {
    for (const by of periods[name] ?? (['month', 'week'] as const)) await measure(name === 'bayes-net' ? name : `${name} by ${by}`, name, { by, ...extra[name] });
  }
  const split = await timed(() => runAnalysis(store, 'funnel', { steps: ['purchase', 'return'], byCategory: true }));
  figure('funnel by category (optional split)', split.seconds.toFixed(3), `s (${split.value.length} rows)`);
  if (!given) {
    const added = await timed(() => addRecommendationTraffic(store, 200_000));
    console.log(`\nWith ${int(added.value)} synthetic recommendation events added (${added.seconds.toFixed(2)} s to write)`);
    for (const by of ['month', 'week'] as const) await measure(`recommendation-impact by ${by}`, 'recommendation-impact', { by });
  }
} finally {
  await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
