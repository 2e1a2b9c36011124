import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DATASETS } from '../../ingest/test-files.case.js';

function magpie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', env: { ...process.env, MAGPIE_PROGRESS: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const METRICS = ['precision@k', 'recall@k', 'ndcg@k', 'map', 'map@k', 'hit@k', 'mrr@k', 'auc', 'coverage'];

describe('magpie evaluate', () => {
  it('benchmarks popularity and ease on ML-100K (msr-item-stratified) and writes the contract JSON', () => {
    const json = join(mkdtempSync(join(tmpdir(), 'magpie-eval-')), 'out', 'ml100k.json');
    const run = magpie('evaluate', '--data', `movielens:${DATASETS.ml100k}`, '--protocol', 'msr-item-stratified', '--models', 'popularity,ease:lambda=500', '--k', '10', '--seeds', '1', '--json', json);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Loaded movielens:.*943 users, 1,682 items, 100,000 interactions/);
    assert.match(run.stdout, /ndcg@10/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      dataset: string;
      protocol: string;
      k: number;
      seeds: number[];
      results: { model: string; params: Record<string, unknown>; metrics: Record<string, number>; std: Record<string, number>; trainSeconds: number; recommendSeconds: number }[];
    };
    assert.deepEqual(Object.keys(report), ['dataset', 'protocol', 'k', 'seeds', 'results']);
    assert.equal(report.dataset, `movielens:${DATASETS.ml100k}`);
    assert.equal(report.protocol, 'msr-item-stratified');
    assert.equal(report.k, 10);
    assert.deepEqual(report.seeds, [1]);
    assert.deepEqual(report.results.map((r) => r.model), ['popularity', 'ease']);
    for (const r of report.results) {
      assert.deepEqual(Object.keys(r.metrics), METRICS);
      assert.deepEqual(Object.keys(r.std), METRICS);
      assert.ok(r.trainSeconds >= 0 && r.recommendSeconds > 0);
    }
    const [popularity, ease] = report.results as [(typeof report.results)[number], (typeof report.results)[number]];
    assert.equal(ease.params['lambda'], 500);
    // Published figures for this protocol: popularity ndcg@10 ≈ 0.25, EASE ≈ 0.48.
    assert.ok(popularity.metrics['ndcg@k']! > 0.2 && popularity.metrics['ndcg@k']! < 0.3, `popularity ndcg ${popularity.metrics['ndcg@k']}`);
    assert.ok(ease.metrics['ndcg@k']! > 0.4, `ease ndcg ${ease.metrics['ndcg@k']}`);
    assert.ok(ease.metrics['precision@k']! > popularity.metrics['precision@k']!);
    assert.ok(ease.metrics['auc']! > 0.9);
  });

  it('answers bad flags with one line that says what is accepted', () => {
    const badData = magpie('evaluate', '--data', 'ml-100k', '--models', 'popularity');
    assert.equal(badData.status, 1);
    assert.match(badData.stderr, /^magpie: no format in --data "ml-100k" \(field data\)\. Fix: write <format>:<path> with format one of .*movielens.*; or db \(the default store\), sqlite:<file>, postgres:\/\/…\n$/);
    const badProtocol = magpie('evaluate', '--data', `movielens:${DATASETS.ml100k}`, '--protocol', 'kfold');
    assert.match(badProtocol.stderr, /unknown protocol "kfold".*use one of msr-item-stratified/);
    const badModel = magpie('evaluate', '--data', `movielens:${DATASETS.ml100k}`, '--models', 'ease,svd');
    assert.match(badModel.stderr, /unknown model "svd".*valid models: /);
  });
});
