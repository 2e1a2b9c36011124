import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempFile } from '../../ingest/test-files.case.js';

function magpie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('magpie metrics', () => {
  it('scores a recs CSV against a truth CSV and writes the same metric names as evaluate', () => {
    const truth = tempFile('truth.csv', 'user,item\n1,101\n1,102\n2,103\n');
    // user 1: top 2 by score = [102, 105] → 1 hit of 2 relevant at rank 1; user 2: [104, 103] → hit at rank 2.
    const recs = tempFile('recs.csv', 'user,item,score\n1,105,0.5\n1,102,0.7\n1,101,0.1\n2,103,3\n2,104,4\n');
    const json = tempFile('metrics.json', '');
    const run = magpie('metrics', '--truth', truth, '--recs', recs, '--k', '2', '--json', json);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /2 users with both relevant items and recommendations; catalogue of 5 items/);
    assert.match(run.stdout, /precision@2\s+0\.5000/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { k: number; users: number; metrics: Record<string, number> };
    assert.equal(report.k, 2);
    assert.deepEqual(Object.keys(report.metrics), ['precision@k', 'recall@k', 'ndcg@k', 'map', 'map@k', 'hit@k', 'mrr@k', 'coverage']);
    assert.equal(report.metrics['precision@k'], 0.5);
    assert.equal(report.metrics['recall@k'], (0.5 + 1) / 2);
    assert.equal(report.metrics['mrr@k'], (1 + 0.5) / 2);
    // 102, 105, 104, 103 recommended out of 101–105.
    assert.equal(report.metrics['coverage'], 4 / 5);
  });

  it('fails clearly on a missing file', () => {
    const run = magpie('metrics', '--truth', '/nope.csv', '--recs', '/nope.csv');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot read the input file \/nope\.csv/);
  });
});
