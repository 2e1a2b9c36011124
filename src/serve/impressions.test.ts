import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Event } from '../core/types.js';
import { ImpressionWriter, impressionEvent, type ImpressionRow, type ImpressionSink } from './impressions.js';
import type { RecommendationList } from './types.js';

/** A sink that records what it is asked to write. */
function sink(offThread: boolean): ImpressionSink & { events: Event[][]; rows: (readonly ImpressionRow[])[] } {
  const out = {
    offThread,
    events: [] as Event[][],
    rows: [] as (readonly ImpressionRow[])[],
    async write(batch: { events: Event[] }) {
      out.events.push(batch.events);
    },
    async writeImpressions(rows: readonly ImpressionRow[]) {
      out.rows.push(rows);
    },
  };
  return out;
}

const list = (k: number): RecommendationList => ({
  recId: `feed.v1.r${k}`,
  surface: 'feed',
  model: 'ease',
  modelVersion: 'v1',
  experiment: { name: 'spring', variant: 'b' },
  fallback: null,
  items: [{ itemId: 'i1', score: 1 }, { itemId: 'i2', score: 0.5 }],
  nextCursor: null,
});

describe('impression writer', () => {
  it('turns a queued row into its impression event', () => {
    const to = sink(false);
    const writer = new ImpressionWriter(to, () => {});
    writer.record(list(1), { userId: 'u1' }, { page: 'home' }, 10);
    writer.record(list(2), {}, undefined, 0);
    return writer.close().then(() => {
      assert.equal(to.events.flat().length, 1, 'an anonymous list without a session is not recorded');
      const event = to.events[0]![0]!;
      assert.equal(event.id, 'imp:feed.v1.r1:10');
      assert.deepEqual([event.type, event.userId, event.sessionId, event.itemId, event.recId, event.value], ['impression', 'u1', null, null, 'feed.v1.r1', 2]);
      assert.deepEqual(event.context, { surface: 'feed', model: 'ease', modelVersion: 'v1', experiment: 'spring', variant: 'b', items: ['i1', 'i2'], request: { page: 'home' } });
      assert.deepEqual(impressionEvent(['feed.rules.x', 0, null, 's1', 7, 'feed', null, null, null, null, [], null]).context, { surface: 'feed', model: null, modelVersion: null, experiment: null, variant: null, items: [] });
    });
  });

  it('writes in-thread in transactions of 50', async () => {
    const to = sink(false);
    const writer = new ImpressionWriter(to, () => {});
    for (let k = 0; k < 120; k++) writer.record(list(k), { userId: `u${k}` }, undefined, 0);
    await writer.close();
    assert.deepEqual(to.events.map((b) => b.length), [50, 50, 20]);
    assert.equal(to.rows.length, 0);
  });

  it('off-thread, sends a few impressions after 250 ms and a busy first quarter-second after a second, as rows in one write', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const quiet = sink(true);
    const few = new ImpressionWriter(quiet, () => {});
    few.record(list(1), { userId: 'u1' }, undefined, 0);
    t.mock.timers.tick(249);
    await settle();
    assert.equal(quiet.rows.length, 0);
    t.mock.timers.tick(1);
    await settle();
    assert.equal(quiet.rows.length, 1, 'a few impressions go after 250 ms');
    assert.equal(quiet.events.length, 0, 'as rows, not events');

    const busy = sink(true);
    const many = new ImpressionWriter(busy, () => {});
    for (let k = 0; k < 120; k++) many.record(list(k), { userId: `u${k}` }, undefined, 0);
    t.mock.timers.tick(250);
    await settle();
    t.mock.timers.tick(749);
    await settle();
    assert.equal(busy.rows.length, 0, 'a busy queue waits for the second');
    t.mock.timers.tick(1);
    await settle();
    assert.deepEqual(busy.rows.map((rows) => rows.length), [120], 'one write for the whole second');
    await few.close();
    await many.close();
  });
});
