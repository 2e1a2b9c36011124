import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

/** Runs a bar of 3 ticks in a child whose stderr is a pipe (not a terminal), with MAGPIE_PROGRESS set as given. */
function runBar(progress: string | undefined): string {
  const script = [
    "import { terminalProgress } from './src/cli/progress.ts';",
    'const bar = terminalProgress();',
    "bar.start('training', 3);",
    "for (let i = 0; i < 3; i++) bar.tick(1, { loss: 0.5 });",
    'bar.stop();',
  ].join('\n');
  const env = { ...process.env };
  delete env.MAGPIE_PROGRESS;
  if (progress !== undefined) env.MAGPIE_PROGRESS = progress;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env });
  assert.equal(result.status, 0, result.stderr);
  return result.stderr;
}

describe('terminalProgress', () => {
  it('keeps a redirected stderr clean by default', () => {
    assert.equal(runBar(undefined), '');
  });

  it('writes plain progress lines to a redirected stderr with MAGPIE_PROGRESS=1', () => {
    const stderr = runBar('1');
    assert.match(stderr, /training/);
    assert.match(stderr, /100%/);
    assert.match(stderr, /loss 0\.5/);
  });
});
