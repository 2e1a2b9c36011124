// The sequence models' figures on this machine:
//   1. the engine's matMul kernels (explicit transposes, sliced batches) against the wasm
//      backend's own, on one MLP training step and one causal self-attention training step;
//   2. serving latency: top-10 for one query, p50/p99 over 1,000 queries, anonymous histories
//      (one forward pass each) and known users (first query of each user mostly), for the
//      sequence models and, with --models, any other (lightgcn, two-tower, ranker, ease …);
//   3. with --fit: a full fit on MovieLens 100K (leave-last-out train part), time to the best
//      validation epoch.
//
//   node --import tsx bench/sequence.bench.ts [--fit] [--models sasrec,gru4rec] [--reps 5] [--kernels-only]
//   node --import tsx bench/sequence.bench.ts --latency-only --models sasrec,gru4rec,lightgcn,two-tower,ranker
//
// The machine is shared, so every timing is printed with the load average beside it and with
// the process's CPU time, which the load inflates far less than wall time.
import { loadavg } from 'node:os';
import { splitDataset } from '../src/dataset/split.js';
import type { Dataset } from '../src/dataset/types.js';
import { loadDataset } from '../src/eval/load.js';
import { getEngine, type Engine, type Tensor } from '../src/math/engine.js';
import { setKernelOverrides } from '../src/math/engine-kernels.js';
import { Random } from '../src/math/random.js';
import { createModel } from '../src/models/registry.js';
import type { Recommender } from '../src/models/recommender.js';
import { Dropout } from '../src/models/sequence/layers.js';
import { SasrecNetwork } from '../src/models/sasrec/network.js';
import { initialWeights, toVariables } from '../src/models/sequence/weights.js';
import { dataset, figure } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const latencyOnly = args.includes('--latency-only');
const models = args.includes('--kernels-only') ? [] : (option('--models') ?? 'sasrec,gru4rec').split(',');
const reps = Number(option('--reps') ?? 5);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median wall and CPU milliseconds of `fn` over `count` runs after one warm-up. */
function timeIt(fn: () => void, count: number): { wall: number; cpu: number } {
  fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < count; r++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    fn();
    walls.push(performance.now() - t0);
    cpus.push(cpuMs() - c0);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  return { wall: median(walls), cpu: median(cpus) };
}

const { tf } = await getEngine();
console.log(`engine: ${tf.getBackend()}; load average ${load()}`);
console.log('');

// 1. Kernels: one training step each, with the backend's kernels and with Magpie's, interleaved.
function mlpStep(): () => void {
  const random = new Random(1);
  const values = (n: number): Float32Array => Float32Array.from({ length: n }, () => random.nextFloat() - 0.5);
  const x = tf.tensor2d(values(512 * 256), [512, 256]);
  const y = tf.tensor2d(values(512), [512, 1]);
  const w1 = tf.variable(tf.tensor2d(values(256 * 512), [256, 512]));
  const w2 = tf.variable(tf.tensor2d(values(512 * 256), [512, 256]));
  const w3 = tf.variable(tf.tensor2d(values(256), [256, 1]));
  const optimizer = tf.train.adam(1e-3);
  return () =>
    tf.tidy(() => {
      const cost = optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.matMul(tf.relu(tf.matMul(tf.relu(tf.matMul(x, w1)), w2)), w3), y))) as never, true);
      cost!.dataSync();
    });
}

function attentionStep(engine: Engine['tf']): () => void {
  const shape = { items: 1000, maxLength: 50, width: 64, blocks: 1, heads: 1 };
  const network = new SasrecNetwork(shape, new Dropout(0.2, 1));
  const variables = toVariables(engine, network.specs, initialWeights(network.specs, 1));
  const rows = 64;
  const random = new Random(2);
  const ids = Int32Array.from({ length: rows * shape.maxLength }, () => random.nextInt(shape.items));
  const batch = { ids, present: new Float32Array(ids.length).fill(1), rows, length: shape.maxLength };
  const optimizer = engine.train.adam(1e-3);
  const table = variables.get('itemEmbedding')! as Tensor;
  return () =>
    engine.tidy(() => {
      // Full softmax over the 1,000 items, as the architecture note's figure was taken.
      const cost = optimizer.minimize(() => {
        const hidden = network.forward(engine, variables, batch, true);
        const logits = engine.matMul(hidden, table as never, false, true);
        return engine.neg(engine.mean(engine.sum(engine.mul(engine.logSoftmax(logits), engine.oneHot(engine.tensor1d(ids, 'int32'), shape.items + 1)), 1))) as never;
      }, true);
      cost!.dataSync();
    });
}

const steps: [string, () => void][] = [
  ['MLP step (512×256→512→256→1, Adam)', mlpStep()],
  ['attention block step (64×50, width 64, softmax 1k)', attentionStep(tf)],
];
for (const [label, step] of latencyOnly ? [] : steps) {
  setKernelOverrides(tf, false);
  const before = timeIt(step, reps);
  setKernelOverrides(tf, true);
  const after = timeIt(step, reps);
  figure(`${label}: wasm kernels`, `${before.wall.toFixed(1)} ms wall, ${before.cpu.toFixed(1)} ms CPU`);
  figure(`${label}: Magpie kernels`, `${after.wall.toFixed(1)} ms wall, ${after.cpu.toFixed(1)} ms CPU (${(before.cpu / after.cpu).toFixed(1)}× by CPU)`);
}
console.log(`(load average ${load()})`);
console.log('');

// 2. Serving latency on MovieLens 100K; 3. optionally the full fit.
const { dataset: ml100k } = await loadDataset(`movielens:${dataset('ml-100k')}`);
const { train } = splitDataset(ml100k, 'leave-last-out', 1);
const fitFully = args.includes('--fit');
for (const name of models) {
  const model = createModel(name, fitFully ? {} : quickParams(name));
  const c0 = cpuMs();
  const t0 = performance.now();
  await model.fit(train, { seed: 1 });
  const fitWall = (performance.now() - t0) / 1000;
  const fitCpu = (cpuMs() - c0) / 1000;
  if (fitFully) reportFit(name, model, fitWall, fitCpu);
  latency(name, model, train);
}

/** Params for a one-epoch fit: serving latency does not depend on how well the weights are trained. */
function quickParams(name: string): Record<string, number> {
  if (name === 'sasrec' || name === 'gru4rec' || name === 'lightgcn') return { epochs: 1, validationUsers: 0 };
  if (name === 'two-tower' || name === 'ranker') return { epochs: 1 };
  return {};
}

function reportFit(name: string, model: Recommender, wall: number, cpu: number): void {
  const report = (model as { trainingReport?: { epochs: { epoch: number; loss: number; validation?: { ndcg: number; hit: number }; seconds: number }[]; bestEpoch: number; secondsToBest: number } }).trainingReport!;
  for (const e of report.epochs) {
    console.log(`  ${name} epoch ${String(e.epoch).padStart(3)}  loss ${e.loss.toFixed(4)}  val nDCG@10 ${e.validation?.ndcg.toFixed(4) ?? '—'}  hit@10 ${e.validation?.hit.toFixed(4) ?? '—'}  at ${e.seconds.toFixed(0)} s`);
  }
  figure(`${name} fit on ML-100K (leave-last-out train)`, `${wall.toFixed(0)} s wall, ${cpu.toFixed(0)} s CPU, ${report.epochs.length} epochs`);
  figure(`${name} time to best validation epoch (${report.bestEpoch})`, `${report.secondsToBest.toFixed(0)} s wall`);
  console.log(`(load average ${load()})`);
}

function latency(name: string, model: Recommender, data: Dataset): void {
  const random = new Random(7);
  const users = data.users.ids.length;
  const queries = Array.from({ length: 1000 }, () => {
    const items = data.sequences[random.nextInt(users)]!.items;
    return [...items.subarray(Math.max(0, items.length - 50))];
  });
  const percentile = (xs: number[], p: number): number => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  // Wall time and the process's CPU time per query: on a loaded machine the wall p99 is mostly waiting for a core.
  const run = (query: (q: number) => Parameters<Recommender['recommend']>[0]): { wall: number[]; cpu: number[] } => {
    const wall: number[] = [];
    const cpu: number[] = [];
    queries.forEach((_, q) => {
      const c0 = cpuMs();
      const t0 = performance.now();
      model.recommend(query(q), { n: 10 });
      wall.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
    });
    return { wall, cpu };
  };
  const show = (ms: { wall: number[]; cpu: number[] }): string =>
    `p50 ${percentile(ms.wall, 0.5).toFixed(2)} ms, p99 ${percentile(ms.wall, 0.99).toFixed(2)} ms wall; CPU p99 ${percentile(ms.cpu, 0.99).toFixed(2)} ms`;
  for (let q = 0; q < 50; q++) model.recommend({ history: queries[q]! }, { n: 10 }); // warm the JIT
  const session = run((q) => ({ history: queries[q]! }));
  const known = run((q) => ({ user: q % users }));
  figure(`${name} top-10, anonymous history of ≤50 items`, show(session));
  figure(`${name} top-10, known user (first query of most users)`, show(known));
  console.log(`(${data.items.ids.length} items; load average ${load()})`);
}
