import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { splitDataset } from '../dataset/split.js';
import { datasetFromTriples, type Triple } from '../models/fixtures.case.js';
import { createModel } from '../models/registry.js';
import { formatEvaluationTable } from './report.js';
import { meanStd, METRIC_NAMES, runEvaluation } from './runner.js';
import { scoreTestUsers } from './score-users.js';

/** 12 users over 10 items with a popularity skew: user u has items u % 10, (u + 1) % 10, … and item 0. */
function toy() {
  const triples: Triple[] = [];
  for (let u = 0; u < 12; u++) {
    const seen = new Set([0]);
    for (let j = 0; j < 4 + (u % 3); j++) seen.add((u + j) % 10);
    for (const i of seen) triples.push([u, i]);
  }
  return datasetFromTriples(12, 10, triples);
}

describe('meanStd', () => {
  it('gives the mean and the sample standard deviation', () => {
    assert.deepEqual(meanStd([3]), { mean: 3, std: 0 });
    const { mean, std } = meanStd([1, 2, 3, 4]);
    assert.equal(mean, 2.5);
    assert.ok(Math.abs(std - Math.sqrt(5 / 3)) < 1e-12);
  });
});

describe('runEvaluation', () => {
  it('produces the report shape of ARCHITECTURE.md with means and stds over seeds', async () => {
    const dataset = toy();
    const report = await runEvaluation(dataset, {
      datasetName: 'toy',
      protocol: { name: 'user-stratified' },
      k: 3,
      seeds: [1, 2, 3],
      models: [{ name: 'popularity', params: {} }, { name: 'item-knn', params: { neighbors: 5 } }],
    });
    assert.deepEqual(Object.keys(report), ['dataset', 'protocol', 'k', 'seeds', 'results']);
    assert.equal(report.dataset, 'toy');
    assert.equal(report.protocol, 'user-stratified');
    assert.deepEqual(report.seeds, [1, 2, 3]);
    assert.deepEqual(report.results.map((r) => r.model), ['popularity', 'item-knn']);
    for (const result of report.results) {
      assert.deepEqual(Object.keys(result), ['model', 'params', 'metrics', 'std', 'trainSeconds', 'recommendSeconds']);
      assert.deepEqual(Object.keys(result.metrics), [...METRIC_NAMES]);
      assert.deepEqual(Object.keys(result.std), [...METRIC_NAMES]);
      for (const name of METRIC_NAMES) {
        assert.ok(result.metrics[name] >= 0 && result.metrics[name] <= 1, `${name} = ${result.metrics[name]}`);
        assert.ok(result.std[name] >= 0);
      }
      assert.ok(result.trainSeconds >= 0 && result.recommendSeconds > 0);
    }
    assert.equal(report.results[1]!.params['neighbors'], 5);
    assert.equal(report.results[1]!.params['similarity'], 'cosine', 'params in force include defaults');

    // The mean over seeds is the mean of the per-seed runs.
    const perSeed: number[] = [];
    for (const seed of [1, 2, 3]) {
      const { train, test } = splitDataset(dataset, 'user-stratified', seed);
      const model = createModel('popularity');
      await model.fit(train);
      perSeed.push(scoreTestUsers(model, train.matrix, test.matrix, { k: 3 }).metrics['ndcg@k']);
    }
    const expected = meanStd(perSeed);
    assert.ok(Math.abs(report.results[0]!.metrics['ndcg@k'] - expected.mean) < 1e-12);
    assert.ok(Math.abs(report.results[0]!.std['ndcg@k'] - expected.std) < 1e-12);

    const text = formatEvaluationTable(report);
    assert.match(text, /precision@3/);
    assert.match(text, /item-knn\s+neighbors=5/);
    assert.match(text, /±/);
  });

  it('skips models that refuse the data only when asked to (--models all)', async () => {
    const dataset = toy();
    const options = { datasetName: 'toy', protocol: { name: 'leave-last-out' as const }, k: 3, seeds: [1], models: [{ name: 'ease', params: { maxItems: 5 } }, { name: 'popularity', params: {} }] };
    await assert.rejects(runEvaluation(dataset, options), (error) => isMagpieError(error, 'too_large'));
    const notes: string[] = [];
    const report = await runEvaluation(dataset, { ...options, skipInapplicable: true, log: (line) => notes.push(line) });
    assert.deepEqual(report.results.map((r) => r.model), ['popularity']);
    assert.ok(notes.some((line) => /^skipped ease: ease needs/.test(line)), notes.join('\n'));
    // The model that ran reports its line as soon as it is scored, with the figure in the report.
    const ndcg = report.results[0]!.metrics['ndcg@k'].toFixed(4);
    assert.ok(notes.some((line) => line.startsWith(`seed 1, popularity: ndcg@3 ${ndcg}, trained in `)), notes.join('\n'));
  });

  it('rejects a bad k and an empty seed list', async () => {
    const base = { datasetName: 'toy', protocol: { name: 'leave-last-out' as const }, models: [{ name: 'popularity', params: {} }] };
    await assert.rejects(runEvaluation(toy(), { ...base, k: 0, seeds: [1] }), /k must be a whole number/);
    await assert.rejects(runEvaluation(toy(), { ...base, k: 3, seeds: [] }), /no seeds/);
  });
});
