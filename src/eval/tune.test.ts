import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitDataset, validationSplit } from '../dataset/split.js';
import { datasetFromTriples, type Triple } from '../models/fixtures.case.js';
import { fitAndScore } from './runner.js';
import { DEFAULT_SEARCH_SPACES, gridCandidates, parseSearchSpace, randomCandidates } from './search-space.js';
import { parseMetricName, runTuning } from './tune.js';

describe('search spaces', () => {
  it('parses ranges, log ranges, choices and fixed values', () => {
    assert.deepEqual(parseSearchSpace('lambda=100..2000:log,binary=true|false,shrink=0.5..10,similarity=cosine'), {
      lambda: { kind: 'range', min: 100, max: 2000, log: true, integer: true },
      binary: { kind: 'choice', values: [true, false] },
      shrink: { kind: 'range', min: 0.5, max: 10, log: false, integer: false },
      similarity: { kind: 'choice', values: ['cosine'] },
    });
    assert.throws(() => parseSearchSpace('lambda=0..10:log'), /a log range needs lo > 0/);
    assert.throws(() => parseSearchSpace('lambda=10..1'), /lo ≤ hi/);
    assert.throws(() => parseSearchSpace('lambda'), /expected name=values/);
  });

  it('draws reproducibly within bounds, whole numbers for integer ranges', () => {
    const space = DEFAULT_SEARCH_SPACES['item-knn']!;
    const a = randomCandidates(space, 30, 5);
    assert.deepEqual(a, randomCandidates(space, 30, 5));
    assert.notDeepEqual(a, randomCandidates(space, 30, 6));
    for (const c of a) {
      const neighbors = c['neighbors'] as number;
      assert.ok(Number.isInteger(neighbors) && neighbors >= 20 && neighbors <= 500);
      assert.ok((c['shrink'] as number) >= 0 && (c['shrink'] as number) <= 100);
      assert.ok(['cosine', 'jaccard', 'lift'].includes(c['similarity'] as string));
    }
    assert.deepEqual(randomCandidates({}, 10, 1), [{}], 'an empty space is one trial of the defaults');
  });

  it('enumerates the full grid, log-spaced where asked', () => {
    const grid = gridCandidates(parseSearchSpace('lambda=10..1000:log,binary=true|false'), 3);
    assert.deepEqual(grid.map((c) => [c['lambda'], c['binary']]), [[10, true], [10, false], [100, true], [100, false], [1000, true], [1000, false]]);
  });

  it('reads metric names with k or with a number', () => {
    assert.equal(parseMetricName('ndcg@10'), 'ndcg@k');
    assert.equal(parseMetricName('map'), 'map');
    assert.throws(() => parseMetricName('rmse'), /unknown metric "rmse"/);
  });
});

describe('runTuning', () => {
  const triples: Triple[] = [];
  for (let u = 0; u < 30; u++) for (let j = 0; j < 6; j++) triples.push([u, (u * 3 + j * j) % 12]);
  const dataset = datasetFromTriples(30, 12, triples);

  it('scores each candidate on the validation split of the training part, never on test', async () => {
    const protocol = { name: 'user-stratified' as const };
    const report = await runTuning(dataset, {
      datasetName: 'toy', model: 'item-knn', baseParams: { shrink: 1 }, space: parseSearchSpace('neighbors=2|8'), protocol, k: 3, seed: 4, metric: 'ndcg@k', search: 'grid', trials: 99,
    });
    assert.equal(report.trials.length, 2);
    const { train } = splitDataset(dataset, protocol, 4);
    const inner = validationSplit(train, protocol, 4);
    for (const trial of report.trials) {
      assert.equal(trial.params['shrink'], 1, 'fixed params apply to every trial');
      const expected = await fitAndScore({ name: 'item-knn', params: trial.params }, inner.train, inner.test, { k: 3, seed: 4 });
      assert.deepEqual(trial.metrics, expected.metrics);
    }
    const best = Math.max(...report.trials.map((t) => t.metrics['ndcg@k']));
    assert.equal(report.trials[report.bestTrial]!.metrics['ndcg@k'], best);
    assert.deepEqual(report.best.params, report.trials[report.bestTrial]!.params);
  });

  it('fails on a param the model does not have before fitting anything', async () => {
    await assert.rejects(
      runTuning(dataset, { datasetName: 'toy', model: 'ease', space: parseSearchSpace('lamda=1..2'), protocol: { name: 'leave-last-out' }, k: 3, seed: 1, metric: 'ndcg@k', search: 'random', trials: 2 }),
      /unknown param "lamda"/,
    );
  });
});
