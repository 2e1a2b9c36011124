// EASE on ML-1M (6,040 users × 3,706 items): Magpie's fit (Gram + inverse + B) against numpy
// doing the same Gram matrix and inverse in the same run, plus the accuracy of the float32 engine
// inverse against the exact Float64 path, and top-10 throughput.
//
//   node --import tsx bench/ease.bench.ts [--repeat 2] [--no-accuracy] [--python /usr/bin/python3]
//
// numpy's speed depends on the BLAS it loads (Debian's default is the reference BLAS; with
// libopenblas0 installed it is OpenBLAS) — the library found is printed beside its time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitDataset } from '../src/dataset/split.js';
import type { Dataset } from '../src/dataset/types.js';
import { rankingMetrics, relevantSets } from '../src/eval/metrics.js';
import { loadDataset } from '../src/eval/load.js';
import { gramFromCsr, invertSpd } from '../src/math/dense.js';
import { getEngine } from '../src/math/engine.js';
import { invertSpdOnEngine } from '../src/math/spd-inverse.js';
import { Ease } from '../src/models/ease/index.js';
import { dataset, figure, timed } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const repeat = Number(option('--repeat') ?? 2);
const python = option('--python') ?? '/usr/bin/python3';
const LAMBDA = 500;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

const file = dataset('ml-1m/ratings_no_timestamp.dat.gz');
console.log(`EASE benchmark: ${file} (λ = ${LAMBDA}); load average ${load()}`);
const { dataset: data } = await loadDataset(`movielens:${file}`);
const { rows: users, cols: items } = data.matrix;
figure('users × items', `${users} × ${items}`);
const engine = await getEngine();
figure('engine backend', engine.backend);

// --- Magpie: parts, then the whole fit as a model ---------------------------------------------
for (let r = 0; r < repeat; r++) {
  const gram = await timed(() => gramFromCsr(data.matrix, true));
  for (let i = 0; i < items; i++) gram.value[i * items + i]! += LAMBDA;
  const inverse = await timed(() => invertSpdOnEngine(gram.value, items));
  figure(`magpie Gram (sparse TS) [run ${r + 1}]`, gram.seconds.toFixed(2), 's');
  figure(`magpie inverse (engine, float32) [run ${r + 1}]`, inverse.seconds.toFixed(2), `s (load ${load()})`);
}
const fits: number[] = [];
let model = new Ease({ lambda: LAMBDA });
for (let r = 0; r < repeat; r++) {
  model = new Ease({ lambda: LAMBDA });
  const { seconds } = await timed(() => model.fit(data));
  fits.push(seconds);
  figure(`magpie EASE fit (Gram + inverse + B) [run ${r + 1}]`, seconds.toFixed(2), `s (load ${load()})`);
}

// --- numpy: the same Gram matrix and inverse -------------------------------------------------
const numpy = runNumpy(data);
const magpieBest = Math.min(...fits);
if (numpy !== undefined) {
  figure('numpy BLAS', numpy.blas);
  numpy.runs.forEach((run, r) => figure(`numpy Gram + inverse [run ${r + 1}]`, (run.gram + run.inverse).toFixed(2), `s (Gram ${run.gram.toFixed(2)}, inverse ${run.inverse.toFixed(2)})`));
  const numpyBest = Math.min(...numpy.runs.map((run) => run.gram + run.inverse));
  figure('magpie fit / numpy Gram + inverse (goal ≤ 2)', (magpieBest / numpyBest).toFixed(2), `(best ${magpieBest.toFixed(2)} s vs ${numpyBest.toFixed(2)} s)`);
}

// --- top-10 for every user ---------------------------------------------------------------------
const seen = relevantSets(data.matrix);
const recommend = await timed(() => {
  for (let u = 0; u < users; u++) model.recommend({ user: u }, { n: 10, exclude: seen[u] });
});
figure('top-10 for all users (seen excluded)', users / recommend.seconds, `users/s (${recommend.seconds.toFixed(2)} s)`);

// --- accuracy of the float32 engine inverse ------------------------------------------------------
if (!args.includes('--no-accuracy')) {
  const gram = gramFromCsr(data.matrix, true);
  for (let i = 0; i < items; i++) gram[i * items + i]! += LAMBDA;
  const inverse = await invertSpdOnEngine(gram, items);
  figure('max |A·A⁻¹ − I| (every 16th row, float32 engine)', identityError(gram, inverse, items, 16).toExponential(2));
  const exact = await timed(() => invertSpd(gram.slice(), items, { threads: 2 }));
  figure('max |A·A⁻¹ − I| (every 16th row, Float64)', identityError(gram, exact.value, items, 16).toExponential(2), `(Float64 inverse took ${exact.seconds.toFixed(1)} s)`);
  await compareSolvers('ML-1M all users', data, undefined);
  const ml100k = dataset('ml-100k/u.data');
  const { dataset: small } = await loadDataset(`movielens:${ml100k}`);
  await compareSolvers('ML-100K msr-item-stratified seed 42', small, 42);
  await compareSolvers('ML-1M msr-item-stratified seed 42', data, 42);
}
process.exit(0);

/** Fits both solvers (on a split when `seed` is given) and compares their top-10 lists and nDCG@10. */
async function compareSolvers(label: string, full: Dataset, seed: number | undefined): Promise<void> {
  const { train, test } = seed === undefined ? { train: full, test: undefined } : splitDataset(full, 'msr-item-stratified', seed);
  const lists: number[][][] = [];
  for (const solver of ['engine', 'float64']) {
    const m = new Ease({ lambda: LAMBDA, solver });
    await m.fit(train);
    const exclude = relevantSets(train.matrix);
    lists.push(Array.from({ length: train.matrix.rows }, (_, u) => m.recommend({ user: u }, { n: 10, exclude: exclude[u] }).map((s) => s.item)));
  }
  const [fast, exact] = lists as [number[][], number[][]];
  let same = 0;
  let total = 0;
  for (let u = 0; u < fast.length; u++) {
    const set = new Set(exact[u]);
    total += exact[u]!.length;
    for (const item of fast[u]!) if (set.has(item)) same++;
  }
  figure(`top-10 overlap engine vs Float64 (${label})`, ((100 * same) / total).toFixed(3), '%');
  if (test !== undefined) {
    const truth = relevantSets(test.matrix);
    const ndcg = (recs: number[][]): string => rankingMetrics(recs, truth, 10)['ndcg@k'].toFixed(5);
    figure(`nDCG@10 engine / Float64 (${label})`, `${ndcg(fast)} / ${ndcg(exact)}`);
  }
}

/** max |(A·X − I)[i, j]| over every `step`-th row i, in Float64. */
function identityError(a: Float64Array, x: Float64Array | Float32Array, n: number, step: number): number {
  let worst = 0;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i += step) {
    row.fill(0);
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) row[j]! += aik * x[k * n + j]!;
    }
    for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(row[j]! - (i === j ? 1 : 0)));
  }
  return worst;
}

interface NumpyResult {
  blas: string;
  runs: { gram: number; inverse: number }[];
}

/** Times numpy on the same 0/1 matrix, written as raw bytes; undefined (with a note) without numpy. */
function runNumpy(d: Dataset): NumpyResult | undefined {
  const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('numpy not available: apt-get install python3-numpy (skipping the numpy comparison)');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'magpie-ease-'));
  try {
    const { rows, cols, indptr, indices } = d.matrix;
    const dense = new Uint8Array(rows * cols);
    for (let u = 0; u < rows; u++) for (let p = indptr[u]!; p < indptr[u + 1]!; p++) dense[u * cols + indices[p]!] = 1;
    const path = join(dir, 'x.u8');
    writeFileSync(path, dense);
    // X in float32 makes XᵀX one sgemm (exact: counts stay far below 2²⁴); the inverse runs in
    // float64 as EASE implementations do.
    const script = `
import json, sys, time
import numpy as np
X = np.fromfile(sys.argv[1], dtype=np.uint8).reshape(${rows}, ${cols}).astype(np.float32)
runs = []
for _ in range(${repeat}):
    t0 = time.perf_counter()
    G = (X.T @ X).astype(np.float64)
    t1 = time.perf_counter()
    G[np.diag_indices_from(G)] += ${LAMBDA}
    P = np.linalg.inv(G)
    t2 = time.perf_counter()
    runs.append({"gram": t1 - t0, "inverse": t2 - t1})
blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l or "lapack" in l})
print(json.dumps({"blas": ", ".join(blas) or "unknown", "runs": runs}))
`;
    const result = spawnSync(python, ['-c', script, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (result.status !== 0) {
      console.log(`numpy run failed: ${result.stderr.trim().split('\n').pop() ?? 'no message'}`);
      return undefined;
    }
    return JSON.parse(result.stdout.trim().split('\n').pop()!) as NumpyResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
