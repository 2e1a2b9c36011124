// The learned ranker's figures on this machine:
//   1. Online Retail, temporal split (the last 30 days are test): training time, then the held-out
//      AUC and log loss of the ranker's probabilities over every test user's candidates (labels:
//      the candidates the user bought in the test window), beside the AUC of each retriever's own
//      score over the very same rows — the baseline the ranker has to beat;
//   2. MovieLens 100K, temporal split (the latest 20 % of ratings are test): the same figures
//      (any rating in the test part is a positive there).
//
//   node --import tsx bench/ranker.bench.ts [--spec ranker:candidates=150] [--only online-retail|ml-100k] [--validation]
//
// --validation measures on a validation split carved from the training part instead (the same
// protocol applied to it), never touching the test window: that is where defaults are chosen.
// The machine is shared, so every timing is printed with the load average and the CPU time.
import { loadavg } from 'node:os';
import { splitDataset, validationSplit, type SplitProtocol } from '../src/dataset/split.js';
import type { Dataset } from '../src/dataset/types.js';
import { loadDataset } from '../src/eval/load.js';
import { logLoss, rocAuc } from '../src/eval/classification.js';
import type { Ranker } from '../src/models/ranker/index.js';
import { createModel, parseModelSpec } from '../src/models/registry.js';
import { dataset, figure, int } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const spec = parseModelSpec(option('--spec') ?? 'ranker');
const only = option('--only');
const onValidation = args.includes('--validation');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Labels of one user's candidates: 1 for the items in `taken`. */
function labelsOf(items: Int32Array, taken: ReadonlySet<number>): Float32Array {
  return Float32Array.from(items, (i) => (taken.has(i) ? 1 : 0));
}

/** Per test user, the items that count as taken: purchases and carts where the data has any, else every interaction. */
function takenByUser(test: Dataset): Map<number, Set<number>> {
  const strict = test.log.type.some((t) => t === 'purchase' || t === 'add_to_cart');
  const out = new Map<number, Set<number>>();
  for (let e = 0; e < test.log.length; e++) {
    if (strict && test.log.type[e] !== 'purchase' && test.log.type[e] !== 'add_to_cart') continue;
    const u = test.log.user[e]!;
    if (!out.has(u)) out.set(u, new Set());
    out.get(u)!.add(test.log.item[e]!);
  }
  return out;
}

async function measure(name: string, data: Dataset, protocol: SplitProtocol): Promise<void> {
  const outer = splitDataset(data, protocol, 1);
  const { train, test } = onValidation ? validationSplit(outer.train, protocol, 1) : outer;
  console.log(`\n${name}${onValidation ? ' (validation split carved from the training part)' : ''}: ${int(train.log.length)} train and ${int(test.log.length)} test pairs`);
  const ranker = createModel(spec.name, spec.params) as Ranker;
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await ranker.fit(train, { seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  figure(`${name}: ranker fit (all phases)`, `${seconds.toFixed(1)} s wall, ${(cpuSeconds() - cpu0).toFixed(1)} s CPU`, `(load ${load()})`);
  const report = ranker.trainingReport!;
  figure(`${name}: network training`, `${report.seconds.toFixed(1)} s, ${report.epochs.length} epochs, best ${report.bestEpoch}`, `(load ${load()})`);
  figure(`${name}: training rows`, `${int(report.trainRows)} (${int(report.trainPositives)} positive) from ${int(report.users - report.validationUsers)} users`);
  const alone = report.networks.map((n) => n.auc?.toFixed(4) ?? '–').join(', ');
  figure(`${name}: validation AUC / log loss (label window)`, `${report.validationAuc?.toFixed(4)} / ${report.validationLogLoss?.toFixed(4)} on ${int(report.validationRows)} rows`, `(${report.networks.length} network(s); each alone: ${alone})`);
  figure(`${name}: candidate recall (label window)`, report.candidateRecall.toFixed(3));

  const taken = takenByUser(test);
  const probabilities: number[] = [];
  const labels: number[] = [];
  const retrieverScores: number[][] = ranker.params.retrievers.map(() => []);
  let found = 0;
  let total = 0;
  let candidates = 0;
  const s0 = performance.now();
  for (const [u, items] of taken) {
    const scored = ranker.scoreCandidates({ user: u });
    const y = labelsOf(scored.items, items);
    for (let c = 0; c < y.length; c++) {
      probabilities.push(scored.probabilities[c]!);
      labels.push(y[c]!);
      found += y[c]!;
      scored.retrieverScores.forEach((scores, r) => retrieverScores[r]!.push(scores[c]!));
    }
    total += items.size;
    candidates += scored.items.length;
  }
  const scoreSeconds = (performance.now() - s0) / 1000;
  figure(`${name}: scoring held-out users' candidates`, `${taken.size} users, ${((1000 * scoreSeconds) / taken.size).toFixed(2)} ms per user`, `(load ${load()})`);
  figure(`${name}: candidates per user (mean)`, (candidates / taken.size).toFixed(1));
  figure(`${name}: held-out candidate recall`, (found / total).toFixed(3));
  const auc = rocAuc(probabilities, labels);
  figure(`${name}: held-out AUC (ranker)`, auc.toFixed(4), `over ${int(labels.length)} candidates, ${int(found)} positive`);
  figure(`${name}: held-out log loss (ranker)`, logLoss(probabilities, labels).toFixed(4));
  const base = found / labels.length;
  figure(`${name}: log loss of the base rate`, logLoss(labels.map(() => base), labels).toFixed(4), `(positive rate ${base.toFixed(4)})`);
  ranker.params.retrievers.forEach((r, k) => {
    // -Infinity (unknown to this retriever) ranks lowest.
    const s = retrieverScores[k]!.map((x) => (Number.isFinite(x) ? x : -1e30));
    const a = rocAuc(s, labels);
    figure(`${name}: held-out AUC (${r.name} score alone)`, a.toFixed(4), `ranker/${r.name} ${(auc / a).toFixed(3)}`);
  });
}

console.log(`ranker spec: ${JSON.stringify(spec.params)}; load average ${load()}`);
if (only === undefined || only === 'online-retail') {
  const { dataset: data } = await loadDataset(`online-retail:${dataset('online-retail/online_retail.csv.gz')}`);
  await measure('online-retail', data, { name: 'temporal', testDays: 30 });
}
if (only === undefined || only === 'ml-100k') {
  const { dataset: data } = await loadDataset(`movielens:${dataset('ml-100k')}`);
  await measure('ml-100k', data, { name: 'temporal', testFraction: 0.2 });
}
