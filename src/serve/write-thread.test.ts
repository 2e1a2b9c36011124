import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { makeEvent } from '../core/types.js';
import { openStore } from '../store/index.js';
import { WriteThread } from './write-thread.js';

const impression = (id: string) => makeEvent({ id, userId: 'u', type: 'impression', value: 1, timestamp: 1 });

describe('write thread', () => {
  it('moves writes to a worker after the threshold, commits waiting batches together, and answers each with its own counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magpie-writes-'));
    const store = await openStore(`sqlite:${join(dir, 'w.db')}`);
    const warnings: string[] = [];
    const writes = new WriteThread(store, { threshold: 2, warn: (m) => warnings.push(m) });
    try {
      await writes.write({ events: [impression('a'), impression('b')] });
      assert.equal(writes.offThread, false, 'the first events are written in-thread');
      for (let waited = 0; !writes.offThread && waited < 15_000; waited += 20) await sleep(20);
      assert.equal(writes.offThread, true, 'the worker took over');
      const [c, da] = await Promise.all([writes.write({ events: [impression('c')] }), writes.write({ events: [impression('d'), impression('a')] })]);
      assert.deepEqual([c.events, c.duplicateEvents], [1, 0]);
      assert.deepEqual([da.events, da.duplicateEvents], [1, 1], 'a was stored before');
      // Impressions go over as rows and become events in the worker.
      const shown = await writes.writeImpressions([['feed.v1.r1', 10, 'u', null, 5, 'feed', 'ease', 'v1', null, null, ['i1', 'i2'], { page: 'home' }]]);
      assert.equal(shown.events, 1);
      await writes.close();
      const stored = await store.eventsByUser('u', { types: ['impression'] });
      assert.deepEqual(stored.map((e) => e.id).sort(), ['a', 'b', 'c', 'd', 'imp:feed.v1.r1:10']);
      const row = stored.find((e) => e.id === 'imp:feed.v1.r1:10')!;
      assert.deepEqual([row.recId, row.value, row.timestamp, row.itemId], ['feed.v1.r1', 2, 5, null]);
      assert.deepEqual(row.context, { surface: 'feed', model: 'ease', modelVersion: 'v1', experiment: null, variant: null, items: ['i1', 'i2'], request: { page: 'home' } });
      assert.deepEqual(warnings, []);
    } finally {
      await writes.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an in-memory store in-thread', async () => {
    const store = await openStore(':memory:');
    const writes = new WriteThread(store, { threshold: 0, warn: () => {} });
    await writes.write({ events: [impression('m')] });
    await sleep(50);
    assert.equal(writes.offThread, false);
    assert.equal((await store.eventsByUser('u', { types: ['impression'] })).length, 1);
    await writes.close();
    await store.close();
  });
});
