import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { tempFile } from '../../ingest/test-files.case.js';

function magpie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8', env: { ...process.env, MAGPIE_PROGRESS: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('magpie tune', () => {
  it('runs seeded trials on a validation split and writes the best params', () => {
    const lines = ['user,item,type,time'];
    for (let u = 0; u < 40; u++) for (let j = 0; j < 6; j++) lines.push(`u${u},i${(u * 7 + j * j) % 15},purchase,2024-01-${String(1 + j).padStart(2, '0')}T00:00:00Z`);
    const events = tempFile('events.csv', `${lines.join('\n')}\n`);
    const json = tempFile('tune.json', '');
    const args = ['tune', '--model', 'ease', '--data', `events-csv:${events}`, '--protocol', 'user-stratified', '--k', '5', '--trials', '3', '--seed', '2', '--space', 'lambda=1..100:log', '--json', json];
    const run = magpie(...args);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /trial 3\/3: lambda=\d+/);
    assert.match(run.stdout, /Best: ease:lambda=\d+,dropout=0,binary=true,maxItems=20000,solver=auto \(ndcg@5 0\.\d{4}\)/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { model: string; metric: string; trials: { params: { lambda: number } }[]; bestTrial: number; best: { params: { lambda: number } } };
    assert.equal(report.model, 'ease');
    assert.equal(report.metric, 'ndcg@k');
    assert.equal(report.trials.length, 3);
    assert.equal(report.best.params.lambda, report.trials[report.bestTrial]!.params.lambda);
    // Same seed, same draws.
    const again = magpie(...args);
    assert.equal(again.stdout.match(/trial \d\/3: .*/g)?.join('\n'), run.stdout.match(/trial \d\/3: .*/g)?.join('\n'));
  });

  it('rejects an unknown metric before reading data', () => {
    const run = magpie('tune', '--model', 'ease', '--data', 'movielens:/nope', '--metric', 'rmse');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /unknown metric "rmse"/);
  });
});
