import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeEvent, makeItem, type Event } from '../core/types.js';
import { buildDataset, datasetFromLog, interactionsOf } from './build.js';

const DAY = 86_400_000;
let nextId = 0;
function ev(fields: Partial<Event> & Pick<Event, 'type' | 'timestamp'>): Event {
  return makeEvent({ id: `e${nextId++}`, ...fields });
}

/** A small shop: two known users, one anonymous session, one order of two items. */
const shop: Event[] = [
  ev({ userId: 'u1', itemId: 'A', type: 'view', timestamp: 1000 }),
  ev({ userId: 'u1', itemId: 'A', type: 'click', timestamp: 2000 }),
  ev({ sessionId: 's9', itemId: 'B', type: 'view', timestamp: 1500 }),
  ev({ userId: 'u1', itemId: 'B', type: 'purchase', orderId: 'o1', timestamp: 3000 }),
  ev({ userId: 'u1', itemId: 'C', type: 'purchase', orderId: 'o1', timestamp: 3000 }),
  ev({ userId: 'u2', type: 'search', query: 'lamp', timestamp: 100 }),
  ev({ userId: 'u2', itemId: 'A', type: 'remove_from_cart', timestamp: 500 }),
  ev({ userId: 'u2', itemId: 'C', type: 'add_to_cart', timestamp: 4000 }),
  ev({ userId: 'u1', itemId: 'A', type: 'view', timestamp: 5000 }),
  ev({ userId: 'u2', itemId: 'B', type: 'rate', value: 4, timestamp: 6000 }),
  ev({ userId: 'u2', itemId: 'B', type: 'rate', value: 2, timestamp: 7000 }),
];

describe('buildDataset', () => {
  it('de-duplicates pairs, keeps first-seen ids and builds matrix, sequences and baskets', async () => {
    const d = await buildDataset(shop);
    // The search and the zero-weight remove_from_cart are skipped, so u2 is first seen at add_to_cart.
    assert.deepEqual(d.users.ids, ['u1', 'session:s9', 'u2']);
    assert.deepEqual(d.items.ids, ['A', 'B', 'C']);
    assert.equal(d.users.index.get('u2'), 2);
    // Entries in order of each pair's first event:
    // (u1,A) view 1 + click 2 + view 1 = 4, latest 5000, strongest click
    // (s9,B) view 1; (u1,B) purchase 8; (u1,C) purchase 8; (u2,C) cart 4
    // (u2,B) rate 4 + rate 2 = 6, rating = latest = 2
    assert.equal(d.log.length, 6);
    assert.deepEqual([...d.log.user], [0, 1, 0, 0, 2, 2]);
    assert.deepEqual([...d.log.item], [0, 1, 1, 2, 2, 1]);
    assert.deepEqual([...d.log.weight], [4, 1, 8, 8, 4, 6]);
    assert.deepEqual([...d.log.time], [5000, 1500, 3000, 3000, 4000, 7000]);
    assert.deepEqual(d.log.type, ['click', 'view', 'purchase', 'purchase', 'add_to_cart', 'rate']);
    assert.deepEqual([...d.log.rating].map((r) => (Number.isNaN(r) ? null : r)), [null, null, null, null, null, 2]);
    assert.deepEqual([...d.matrix.indptr], [0, 3, 4, 6]);
    assert.deepEqual([...d.matrix.indices], [0, 1, 2, 1, 1, 2]);
    assert.deepEqual([...d.matrix.data], [4, 8, 8, 1, 6, 4]);
    // u1: A@1000, A@2000, B@3000, C@3000, A@5000 (repeats kept, ties in log order).
    assert.deepEqual(d.sequences.map((s) => [...s.items]), [[0, 0, 1, 2, 0], [1], [2, 1, 1]]);
    assert.deepEqual([...d.sequences[0]!.times], [1000, 2000, 3000, 3000, 5000]);
    assert.deepEqual(d.baskets.map((b) => [...b]), [[1, 2]]);
    assert.equal(d.catalog.size, 0);
  });

  it('reads async iterables the same way', async () => {
    async function* stream() {
      for (const e of shop) yield e;
    }
    const a = await buildDataset(stream());
    const b = await buildDataset(shop);
    assert.deepEqual(a.log, b.log);
    assert.deepEqual(a.users.ids, b.users.ids);
  });

  it('keeps one entry per event without dedupe; the matrix still sums', async () => {
    const d = await buildDataset(shop, { dedupe: false });
    assert.equal(d.log.length, 9);
    assert.deepEqual([...d.log.weight], [1, 2, 1, 8, 8, 4, 1, 4, 2]);
    assert.deepEqual([...d.matrix.data], [4, 8, 8, 1, 6, 4]);
  });

  it('skips anonymous events with userKey "user", and uses sessions only with "session"', async () => {
    const byUser = await buildDataset(shop, { userKey: 'user' });
    assert.deepEqual(byUser.users.ids, ['u1', 'u2']);
    const bySession = await buildDataset(shop, { userKey: 'session' });
    assert.deepEqual(bySession.users.ids, ['session:s9']);
  });

  it('weights ratings as 1 in binary mode', async () => {
    const d = await buildDataset(shop, { ratings: 'binary' });
    assert.equal(d.log.weight[5], 2); // two rate events at 1 each
    assert.equal(d.log.rating[5], 2); // the rating itself is still recorded
  });

  it('applies exponential decay relative to now', async () => {
    const now = 100 * DAY;
    const events = [
      ev({ userId: 'u', itemId: 'A', type: 'view', timestamp: now }),
      ev({ userId: 'u', itemId: 'A', type: 'view', timestamp: now - 2 * DAY }),
      ev({ userId: 'u', itemId: 'B', type: 'purchase', timestamp: now - 4 * DAY }),
    ];
    // Half-life 2 days: A = 1 + 1·0.5 = 1.5; B = 8·0.25 = 2.
    const d = await buildDataset(events, { halfLifeDays: 2 });
    assert.deepEqual([...d.log.weight], [1.5, 2]);
    // An explicit reference time two days later halves everything again.
    const later = await buildDataset(events, { halfLifeDays: 2, now: now + 2 * DAY });
    assert.deepEqual([...later.log.weight], [0.75, 1]);
  });

  it('drops pairs whose weight a negative return cancels', async () => {
    const events = [
      ev({ userId: 'u1', itemId: 'A', type: 'purchase', timestamp: 1 }),
      ev({ userId: 'u1', itemId: 'A', type: 'return', timestamp: 2 }),
      ev({ userId: 'u2', itemId: 'B', type: 'view', timestamp: 3 }),
    ];
    const kept = await buildDataset(events);
    assert.deepEqual(kept.items.ids, ['A', 'B']); // return weighs 0 by default: ignored
    const cancelled = await buildDataset(events, { weights: { return: -8 } });
    // 8 − 8 = 0 ≤ 0: the pair goes, and with it u1 and A.
    assert.deepEqual(cancelled.users.ids, ['u2']);
    assert.deepEqual(cancelled.items.ids, ['B']);
    assert.deepEqual(cancelled.sequences.map((s) => [...s.items]), [[0]]);
  });

  it('filters to a k-core of users and items', async () => {
    const pairs: [string, string][] = [['u1', 'A'], ['u1', 'B'], ['u1', 'C'], ['u2', 'A'], ['u2', 'B'], ['u3', 'A']];
    const events = pairs.map(([u, i], t) => ev({ userId: u, itemId: i, type: 'view', timestamp: t }));
    // Items need 2 users: C (1) goes. Users need 2 items: u3 (1) goes. Then A has u1, u2: stable.
    const d = await buildDataset(events, { minUserInteractions: 2, minItemInteractions: 2 });
    assert.deepEqual(d.users.ids, ['u1', 'u2']);
    assert.deepEqual(d.items.ids, ['A', 'B']);
    assert.equal(d.log.length, 4);
  });

  it('indexes catalog items, appending those never interacted with', async () => {
    const catalog = [makeItem('Z', { title: 'Zither' }), makeItem('A', { title: 'Amp' })];
    const d = await buildDataset(shop, { catalog });
    assert.deepEqual(d.items.ids, ['A', 'B', 'C', 'Z']);
    assert.equal(d.catalog.get(0)?.title, 'Amp');
    assert.equal(d.catalog.get(3)?.title, 'Zither');
    assert.equal(d.matrix.cols, 4);
    const strict = await buildDataset(shop, { catalog, minItemInteractions: 1 });
    assert.deepEqual(strict.items.ids, ['A', 'B', 'C']);
  });

  it('groups purchases without an order id by user and session', async () => {
    const events = [
      ev({ userId: 'u', sessionId: 's1', itemId: 'A', type: 'purchase', timestamp: 1 }),
      ev({ userId: 'u', sessionId: 's1', itemId: 'B', type: 'purchase', timestamp: 2 }),
      ev({ userId: 'u', sessionId: 's1', itemId: 'A', type: 'purchase', timestamp: 3 }),
      ev({ userId: 'u', sessionId: 's2', itemId: 'C', type: 'purchase', timestamp: 4 }),
    ];
    const d = await buildDataset(events);
    // s1 holds A, B, A → distinct [A, B]; s2 holds one item and is dropped.
    assert.deepEqual(d.baskets.map((b) => [...b]), [[0, 1]]);
  });
});

describe('datasetFromLog', () => {
  it('keeps the IdMaps and drops every trace of the removed entries', async () => {
    const d = await buildDataset(shop);
    const train = datasetFromLog(d, (e) => e !== 2); // entry 2 is (u1, B)
    assert.equal(train.users, d.users);
    assert.equal(train.items, d.items);
    assert.equal(train.log.length, 5);
    assert.deepEqual([...train.matrix.indptr], [0, 2, 3, 5]);
    assert.deepEqual([...train.matrix.data], [4, 8, 1, 6, 4]);
    assert.deepEqual(train.sequences.map((s) => [...s.items]), [[0, 0, 2, 0], [1], [2, 1, 1]]);
    assert.deepEqual(train.baskets, []); // the order now holds C alone
    // Derived datasets can be derived again: keep only entries of user 2.
    const only = datasetFromLog(train, Uint8Array.from({ length: train.log.length }, (_, e) => (train.log.user[e] === 2 ? 1 : 0)));
    assert.deepEqual(only.sequences.map((s) => [...s.items]), [[], [], [2, 1, 1]]);
  });
});

describe('interactionsOf', () => {
  it('returns a row of the matrix by index or id', async () => {
    const d = await buildDataset(shop);
    const row = interactionsOf(d, 'u2');
    assert.deepEqual([...row.items], [1, 2]);
    assert.deepEqual([...row.weights], [6, 4]);
    assert.deepEqual([...interactionsOf(d, 0).items], [0, 1, 2]);
    assert.equal(interactionsOf(d, 'nobody').items.length, 0);
  });
});
