import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it('carry the list, the offset and the served items', () => {
    const state = { recId: 'feed.v20240101000000-ease.abc', offset: 20, served: [0, 1, 0xffffffff, 123456789] };
    const token = encodeCursor(state);
    assert.match(token, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(token), state);
  });

  it('reject damaged tokens with a clear error on the cursor field', () => {
    const good = encodeCursor({ recId: 'feed.rules.x', offset: 1, served: [] });
    for (const bad of ['', 'a b', good.slice(0, -5), Buffer.from('{"r":1}').toString('base64url'), Buffer.from('{"r":"x","o":-1,"h":""}').toString('base64url')]) {
      assert.throws(() => decodeCursor(bad), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'cursor', bad);
    }
  });
});
