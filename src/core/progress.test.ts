import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withBatchedProgress, type Progress } from './progress.js';

/** A progress that writes down every call. */
function recording(): { progress: Progress; calls: string[] } {
  const calls: string[] = [];
  return { calls, progress: { start: (label, total) => void calls.push(`start ${label} ${total}`), tick: (done) => void calls.push(`tick ${done}`), stop: () => void calls.push('stop') } };
}

describe('withBatchedProgress', () => {
  it('ticks in batches of `every`, then the rest, and returns what the work returns', () => {
    const { progress, calls } = recording();
    const result = withBatchedProgress(progress, 'users', 7, (tick) => {
      for (let u = 0; u < 7; u++) tick();
      return 'done';
    }, 3);
    assert.equal(result, 'done');
    assert.deepEqual(calls, ['start users 7', 'tick 3', 'tick 3', 'tick 1', 'stop']);
  });

  it('stops the progress when the work throws', () => {
    const { progress, calls } = recording();
    assert.throws(() => withBatchedProgress(progress, 'users', 5, (tick) => {
      tick();
      throw new Error('broken');
    }), /broken/);
    assert.deepEqual(calls, ['start users 5', 'stop']);
  });
});
