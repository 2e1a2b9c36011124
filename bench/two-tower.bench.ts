// The two-tower retriever's figures on this machine:
//   1. a full fit (defaults, early stopping) on MovieLens 100K (msr-item-stratified train part,
//      seed 1) and on Online Retail (temporal train part, last 30 days held out): wall and CPU
//      time, epochs, the kept epoch;
//   2. serving latency on the fitted ML-100K model: top-10 for one query, p50/p99 over 2,000
//      queries — known users (vector cached after the first call) and anonymous histories of
//      ≤ 50 items (user tower run per query), every item scored exactly (1,682 items);
//   3. the same after `addItems` grows the catalogue by 100,000 generated products (text
//      only), which switches the model to its HNSW index: p50/p99, recall@10 against exact
//      scoring of every item, and exact scoring's p50/p99 in the same run for the ratio.
//
//   node --import tsx bench/two-tower.bench.ts [--datasets ml,retail] [--epochs N] [--added 100000]
//
// The machine is shared: every timing is printed with the load average, and fits with CPU time.
import { loadavg } from 'node:os';
import type { Item } from '../src/core/types.js';
import { splitDataset, type SplitProtocol } from '../src/dataset/split.js';
import type { Dataset } from '../src/dataset/types.js';
import { loadDataset } from '../src/eval/load.js';
import { topK } from '../src/math/topk.js';
import { Random } from '../src/math/random.js';
import type { UserQuery } from '../src/models/recommender.js';
import { TwoTower, type ItemRow } from '../src/models/two-tower/index.js';
import { dataset, figure } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const datasets = (option('--datasets') ?? 'ml,retail').split(',');
const epochs = option('--epochs');
const added = Number(option('--added') ?? 100_000);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

async function fit(name: string, train: Dataset): Promise<TwoTower> {
  const model = new TwoTower(epochs === undefined ? {} : { epochs: Number(epochs) });
  const c0 = cpuSeconds();
  const t0 = performance.now();
  await model.fit(train, { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const report = model.trainingReport!;
  for (const e of report.epochs) {
    console.log(`  epoch ${String(e.epoch).padStart(3)}  loss ${e.loss.toFixed(4)}  val nDCG@10 ${e.validation?.ndcg.toFixed(4) ?? '—'}  at ${e.seconds.toFixed(0)} s`);
  }
  figure(`two-tower fit on ${name}`, `${wall.toFixed(0)} s wall, ${(cpuSeconds() - c0).toFixed(0)} s CPU, ${report.epochs.length} epochs, best ${report.bestEpoch}`);
  console.log(`  (${train.users.ids.length} users, ${train.items.ids.length} items, ${report.examples} training pairs; load average ${load()})`);
  return model;
}

/** Wall and CPU milliseconds of each call of `fn` over the queries, after a warm-up pass. */
function latencies(queries: UserQuery[], fn: (q: UserQuery) => void): { wall: number[]; cpu: number[] } {
  for (const q of queries.slice(0, 100)) fn(q);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const q of queries) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(q);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

// CPU time beside wall time: on a loaded machine the wall p99 is mostly time spent waiting for a core.
function report(label: string, ms: { wall: number[]; cpu: number[] }): void {
  const f = (xs: number[], p: number): string => percentile(xs, p).toFixed(3);
  figure(label, `p50 ${f(ms.wall, 0.5)} ms, p99 ${f(ms.wall, 0.99)} ms wall; CPU p50 ${f(ms.cpu, 0.5)}, p99 ${f(ms.cpu, 0.99)} ms`);
}

/** `count` products whose title mixes the words of two random catalogue titles, with one's categories and a price. */
function generatedProducts(catalog: ReadonlyMap<number, Item>, count: number, seed: number): ItemRow[] {
  const rows = [...catalog.values()];
  const random = new Random(seed);
  return Array.from({ length: count }, () => {
    const a = rows[random.nextInt(rows.length)]!;
    const b = rows[random.nextInt(rows.length)]!;
    return { title: `${a.title ?? ''} ${b.title ?? ''}`, description: null, categories: a.categories, brand: null, price: 1 + random.nextInt(50) };
  });
}

console.log(`load average ${load()}`);
let ml: { model: TwoTower; train: Dataset } | undefined;
if (datasets.includes('ml')) {
  const { dataset: data } = await loadDataset(`movielens:${dataset('ml-100k')}`);
  const { train } = splitDataset(data, 'msr-item-stratified', 1);
  ml = { model: await fit('ML-100K (msr-item-stratified train)', train), train };
}
if (datasets.includes('retail')) {
  const { dataset: data } = await loadDataset(`online-retail:${dataset('online-retail/online_retail.csv.gz')}`);
  const protocol: SplitProtocol = { name: 'temporal', testDays: 30 };
  const { train } = splitDataset(data, protocol, 1);
  await fit('Online Retail (temporal train, last 30 days out)', train);
}

if (ml !== undefined) {
  const { model, train } = ml;
  const random = new Random(7);
  const users = train.users.ids.length;
  const known: UserQuery[] = Array.from({ length: 2000 }, () => ({ user: random.nextInt(users) }));
  const sessions: UserQuery[] = Array.from({ length: 2000 }, () => {
    const items = train.sequences[random.nextInt(users)]!.items;
    return { history: [...items.subarray(Math.max(0, items.length - 50))] };
  });
  console.log('');
  console.log(`serving, ${train.items.ids.length} items, search ${model.searchKind}:`);
  report('  top-10, known user', latencies(known, (q) => model.recommend(q, { n: 10 })));
  report('  top-10, anonymous history of ≤50 items', latencies(sessions, (q) => model.recommend(q, { n: 10 })));
  console.log(`  (load average ${load()})`);

  if (added > 0) {
    const t0 = performance.now();
    model.addItems(generatedProducts(train.catalog, added, 3));
    const items = train.items.ids.length + added;
    console.log('');
    console.log(`serving after addItems of ${added.toLocaleString('en-US')} generated products (${((performance.now() - t0) / 1000).toFixed(1)} s to embed and index), ${items.toLocaleString('en-US')} items, search ${model.searchKind}:`);
    const scores = new Float32Array(items);
    const exact = (q: UserQuery) => {
      model.scoreItems(q, scores);
      return topK(scores, 10);
    };
    report('  top-10, anonymous history, HNSW', latencies(sessions, (q) => model.recommend(q, { n: 10 })));
    report('  top-10, anonymous history, every item scored', latencies(sessions, exact));
    report('  top-10, known user, HNSW', latencies(known, (q) => model.recommend(q, { n: 10 })));
    let found = 0;
    for (const q of sessions.slice(0, 500)) {
      const truth = new Set(exact(q).map((e) => e.item));
      for (const r of model.recommend(q, { n: 10 })) if (truth.has(r.item)) found++;
    }
    figure('  HNSW recall@10 against exact scoring (500 queries)', (found / 5000).toFixed(4));
    console.log(`  (load average ${load()})`);
  }
}
