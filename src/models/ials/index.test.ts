import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choleskySolve } from '../../math/dense.js';
import { Random } from '../../math/random.js';
import { datasetFromTriples, syntheticDataset } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import type { Progress } from '../recommender.js';
import { Ials } from './index.js';
import { alsScratchLength, cgRows, exactRowSolve, exactScratchLength, gramWithRidge } from './kernels.js';

runRecommenderContract('ials', () => new Ials({ factors: 8, iterations: 5 }));
runRecommenderContract('ials', () => new Ials({ factors: 8, iterations: 5, binary: true }));
runRecommenderContract('ials', () => new Ials({ factors: 6, iterations: 4, binary: true, solver: 'cholesky', scaling: 'log' }));

/** A progress reporter that keeps the loss of every tick. */
function lossRecorder(): { progress: Progress; losses: number[] } {
  const losses: number[] = [];
  return { losses, progress: { start() {}, stop() {}, tick: (_done, info) => void losses.push(Number(info?.['loss'])) } };
}

function randomFactors(rows: number, k: number, rng: Random): Float32Array {
  return Float32Array.from({ length: rows * k }, () => rng.nextFloat() - 0.5);
}

// Small cases, and one whose row spans three gathered blocks of the exact solve with odd sizes
// everywhere (rank, entries), so every unrolled loop's remainder runs.
for (const { k, items, entries } of [
  { k: 5, items: 12, entries: 4 },
  { k: 7, items: 150, entries: 71 },
]) {
  describe(`ials kernels (rank ${k}, ${entries} entries)`, () => {
    const rng = new Random(9);
    const y = randomFactors(items, k, rng);
    const gram = new Float64Array(k * k);
    gramWithRidge(y, items, k, 0.3, gram);
    const cols = Int32Array.from({ length: entries }, (_, p) => Math.floor((p * items) / entries));
    const extra = Float32Array.from({ length: entries }, () => 8 * rng.nextFloat());

    it('forms the Gram matrix FᵀF + λI', () => {
      for (const [a, b] of [[0, 0], [1, k - 1], [k - 1, 2]] as const) {
        let s = a === b ? 0.3 : 0;
        for (let i = 0; i < items; i++) s += y[i * k + a]! * y[i * k + b]!;
        assert.ok(Math.abs(gram[a * k + b]! - s) < 1e-9, `(${a}, ${b}): ${gram[a * k + b]} vs ${s}`);
      }
    });

    it('solves one row exactly, agreeing with the explicit normal equations', () => {
      const x = new Float64Array(k);
      exactRowSolve(cols, extra, 0, cols.length, y, gram, k, new Float64Array(exactScratchLength(k)), x);
      // A = YᵀY + λI + Σ extra·y yᵀ, b = Σ (1 + extra)·y, formed in full and solved by math/dense.
      const a = Float64Array.from(gram);
      const b = new Float64Array(k);
      cols.forEach((i, p) => {
        for (let r = 0; r < k; r++) {
          b[r]! += (1 + extra[p]!) * y[i * k + r]!;
          for (let c = 0; c < k; c++) a[r * k + c]! += extra[p]! * y[i * k + r]! * y[i * k + c]!;
        }
      });
      const expected = choleskySolve(a, k, b);
      for (let f = 0; f < k; f++) assert.ok(Math.abs(x[f]! - expected[f]!) < 1e-9, `factor ${f}`);
    });

    it('conjugate gradient reaches the exact solution in k steps', () => {
      const exact = new Float64Array(k);
      exactRowSolve(cols, extra, 0, cols.length, y, gram, k, new Float64Array(exactScratchLength(k)), exact);
      const target = new Float32Array(k);
      cgRows(Int32Array.of(0, cols.length), cols, extra, y, target, gram, k, k, 0, 1, new Float64Array(alsScratchLength(k)));
      for (let f = 0; f < k; f++) assert.ok(Math.abs(target[f]! - exact[f]!) < 1e-4, `factor ${f}: ${target[f]} vs ${exact[f]}`);
    });
  });
}

describe('ials', () => {
  const data = syntheticDataset({ users: 120, items: 60, perUser: 10, seed: 5 });

  it('never increases the loss with exact solves, and CG lands close to it', async () => {
    const exact = lossRecorder();
    await new Ials({ factors: 8, iterations: 8, solver: 'cholesky' }).fit(data, { seed: 1, progress: exact.progress });
    assert.equal(exact.losses.length, 8);
    for (let t = 1; t < exact.losses.length; t++) assert.ok(exact.losses[t]! <= exact.losses[t - 1]! * (1 + 1e-9), `iteration ${t}: ${exact.losses}`);
    const cg = lossRecorder();
    await new Ials({ factors: 8, iterations: 8, solver: 'cg' }).fit(data, { seed: 1, progress: cg.progress });
    assert.ok(cg.losses.at(-1)! < cg.losses[0]!, `cg loss did not fall: ${cg.losses}`);
    assert.ok(Math.abs(cg.losses.at(-1)! - exact.losses.at(-1)!) < 0.05 * exact.losses.at(-1)!, `${cg.losses.at(-1)} vs ${exact.losses.at(-1)}`);
  });

  it('recommends a history’s own cluster by fold-in and finds similar items in it', async () => {
    const model = new Ials({ factors: 8, iterations: 10 });
    await model.fit(data, { seed: 2 });
    // Cluster of item i is i % 4 (see syntheticDataset).
    const history = [1, 5, 9];
    const recs = model.recommend({ history }, { n: 5, exclude: new Set(history) });
    assert.ok(recs.filter((r) => r.item % 4 === 1).length >= 4, JSON.stringify(recs));
    const similar = model.similarItems(2, { n: 5 });
    assert.ok(similar.every((s) => s.item !== 2));
    assert.ok(similar.filter((s) => s.item % 4 === 2).length >= 4, JSON.stringify(similar));
  });

  it('scores items without training interactions as -Infinity', async () => {
    const model = new Ials({ factors: 2, iterations: 2 });
    await model.fit(datasetFromTriples(2, 3, [[0, 0], [1, 1]]), { seed: 1 });
    const out = new Float32Array(3);
    model.scoreItems({ user: 0 }, out);
    assert.equal(out[2], -Infinity);
    assert.ok(Number.isFinite(out[0]));
  });

  it('gives bit-identical factors on one and two threads', async () => {
    // Large enough (nnz × factors above the threshold) that two threads really start.
    const big = syntheticDataset({ users: 3000, items: 400, perUser: 40, seed: 8 });
    const one = new Ials({ factors: 32, iterations: 2 });
    const two = new Ials({ factors: 32, iterations: 2 });
    await one.fit(big, { seed: 4, threads: 1 });
    await two.fit(big, { seed: 4, threads: 2 });
    assert.equal(one.trainingStats()!.threads, 1);
    assert.equal(two.trainingStats()!.threads, 2);
    assert.deepEqual(two.factors().users, one.factors().users);
    assert.deepEqual(two.factors().items, one.factors().items);
  });
});
