import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { makeEvent, type Event } from '../core/types.js';
import { buildDataset } from './build.js';
import { pythonRound, splitDataset, validationSplit } from './split.js';
import type { Dataset } from './types.js';

const DAY = 86_400_000;

function views(rows: [user: string, item: string, time: number][]): Event[] {
  return rows.map(([userId, itemId, timestamp], k) => makeEvent({ id: `e${k}`, userId, itemId, type: 'view', timestamp }));
}

/** (user id, item id) of every log entry, for readable assertions. */
function pairs(d: Dataset): string[] {
  return Array.from({ length: d.log.length }, (_, e) => `${d.users.ids[d.log.user[e]!]}:${d.items.ids[d.log.item[e]!]}`);
}

describe('pythonRound', () => {
  // Python 3: round(0.5) = 0, round(1.5) = 2, round(2.5) = 2, round(4.5) = 4, round(7.5) = 8.
  const cases: [number, number][] = [[0.5, 0], [0.75, 1], [1.5, 2], [2.25, 2], [2.5, 2], [3, 3], [4.5, 4], [7.5, 8], [2.75, 3]];
  for (const [x, expected] of cases) it(`${x} → ${expected}`, () => assert.equal(pythonRound(x), expected));
});

describe('msr-item-stratified', () => {
  it('puts round-half-even(0.75·n) of each item in train', async () => {
    // Item A: 1 entry → round(0.75) = 1 train, 0 test. B: 2 → round(1.5) = 2, 0.
    // C: 4 → 3, 1. D: 6 → round(4.5) = 4, 2.
    const rows: [string, string, number][] = [];
    const sizes: Record<string, number> = { A: 1, B: 2, C: 4, D: 6 };
    for (const [item, n] of Object.entries(sizes)) for (let u = 0; u < n; u++) rows.push([`u${u}`, item, u]);
    const d = await buildDataset(views(rows));
    const { train, test } = splitDataset(d, 'msr-item-stratified', 1);
    const countBy = (s: Dataset, item: string) => pairs(s).filter((p) => p.endsWith(`:${item}`)).length;
    assert.deepEqual(['A', 'B', 'C', 'D'].map((i) => [countBy(train, i), countBy(test, i)]), [[1, 0], [2, 0], [3, 1], [4, 2]]);
    assert.equal(train.users, d.users);
    assert.equal(test.items, d.items);
    assert.deepEqual(new Set([...pairs(train), ...pairs(test)]), new Set(pairs(d)));
  });
});

describe('user-stratified', () => {
  it('splits each user 75/25 and is reproducible', async () => {
    const rows: [string, string, number][] = [];
    for (let i = 0; i < 8; i++) rows.push(['u1', `i${i}`, i]); // 8 → 6 train, 2 test
    for (let i = 0; i < 3; i++) rows.push(['u2', `i${i}`, i]); // 3 → round(2.25) = 2 train, 1 test
    const d = await buildDataset(views(rows));
    const a = splitDataset(d, { name: 'user-stratified' }, 5);
    const b = splitDataset(d, { name: 'user-stratified' }, 5);
    assert.deepEqual(pairs(a.test), pairs(b.test));
    assert.equal(pairs(a.train).filter((p) => p.startsWith('u1:')).length, 6);
    assert.equal(pairs(a.train).filter((p) => p.startsWith('u2:')).length, 2);
    assert.equal(a.test.log.length, 3);
  });
});

describe('leave-last-out', () => {
  it('holds out each user’s latest entry, ties going to the later log entry', async () => {
    const d = await buildDataset(
      views([
        ['u1', 'A', 5],
        ['u1', 'B', 9],
        ['u1', 'C', 9],
        ['u1', 'D', 1],
        ['u2', 'A', 3], // u2 has one entry: stays in train
        ['u3', 'B', 7],
        ['u3', 'A', 2],
      ]),
    );
    const { train, test } = splitDataset(d, 'leave-last-out');
    assert.deepEqual(pairs(test), ['u1:C', 'u3:B']);
    assert.deepEqual(pairs(train), ['u1:A', 'u1:B', 'u1:D', 'u2:A', 'u3:A']);
    // The test matrix holds exactly the held-out pairs.
    assert.equal(test.matrix.indptr[test.matrix.rows], 2);
  });
});

describe('temporal', () => {
  const rows: [string, string, number][] = [
    ['u1', 'A', 1 * DAY],
    ['u2', 'B', 2 * DAY],
    ['u1', 'B', 8 * DAY],
    ['u3', 'A', 9 * DAY], // u3 is new after the cut: dropped
    ['u2', 'C', 9 * DAY], // C is new after the cut: dropped
    ['u2', 'A', 10 * DAY],
  ];

  it('cuts at an absolute time and keeps only known users and items in test', async () => {
    const d = await buildDataset(views(rows));
    const { train, test } = splitDataset(d, { name: 'temporal', cutoff: 8 * DAY });
    assert.deepEqual(pairs(train), ['u1:A', 'u2:B']);
    assert.deepEqual(pairs(test), ['u1:B', 'u2:A']);
  });

  it('cuts the last days or the latest fraction', async () => {
    const d = await buildDataset(views(rows));
    // Latest is day 10; 2 days → cut at day 8, the same as above.
    assert.deepEqual(pairs(splitDataset(d, { name: 'temporal', testDays: 2 }).test), ['u1:B', 'u2:A']);
    // 1/3 of 6 entries = 2 → cut at the 5th smallest time (day 9): u3:A and u2:C are unknown, u2:A stays.
    assert.deepEqual(pairs(splitDataset(d, { name: 'temporal', testFraction: 1 / 3 }).test), ['u2:A']);
  });

  it('validates on train alone, never on test', async () => {
    const d = await buildDataset(views(rows));
    const { train } = splitDataset(d, { name: 'temporal', cutoff: 8 * DAY });
    const validation = validationSplit(train, { name: 'temporal', cutoff: 8 * DAY, testFraction: 0.5 });
    // Train holds u1:A (day 1) and u2:B (day 2); half → cut at day 2; u2 is unseen before it.
    assert.deepEqual(pairs(validation.train), ['u1:A']);
    assert.deepEqual(pairs(validation.test), []);
    assert.equal(validation.train.log.length + validation.test.log.length <= train.log.length, true);
  });
});

describe('splits of MovieLens 100K', () => {
  it('msr-item-stratified gives ~75/25 per item, reproducibly per seed', async (t) => {
    let text: string;
    try {
      text = readFileSync('../shared/datasets/ml-100k/u.data', 'utf8');
    } catch {
      t.skip('ml-100k not available');
      return;
    }
    const events: Event[] = [];
    for (const line of text.split('\n')) {
      if (line.length === 0) continue;
      const [user, item, rating, seconds] = line.split('\t');
      events.push(makeEvent({ id: `${user}:${item}`, userId: user!, itemId: item!, type: 'rate', value: Number(rating), timestamp: Number(seconds) * 1000 }));
    }
    const d = await buildDataset(events);
    assert.equal(d.log.length, 100_000);
    assert.equal(d.users.ids.length, 943);
    assert.equal(d.items.ids.length, 1682);
    const a = splitDataset(d, 'msr-item-stratified', 42);
    assert.equal(a.train.log.length + a.test.log.length, 100_000);
    const perItem = new Int32Array(d.items.ids.length);
    for (const i of d.log.item) perItem[i]!++;
    const trainPerItem = new Int32Array(d.items.ids.length);
    for (const i of a.train.log.item) trainPerItem[i]!++;
    let expectedTrain = 0;
    for (let i = 0; i < perItem.length; i++) {
      assert.equal(trainPerItem[i], pythonRound(0.75 * perItem[i]!));
      expectedTrain += pythonRound(0.75 * perItem[i]!);
    }
    assert.equal(a.train.log.length, expectedTrain);
    assert.ok(Math.abs(a.train.log.length - 75_000) < 500, `train size ${a.train.log.length}`);
    const same = splitDataset(d, 'msr-item-stratified', 42);
    assert.deepEqual(same.test.log.user, a.test.log.user);
    assert.deepEqual(same.test.log.item, a.test.log.item);
    const other = splitDataset(d, 'msr-item-stratified', 43);
    assert.equal(other.train.log.length, a.train.log.length); // sizes are fixed by the rule
    assert.notDeepEqual(other.test.log.user, a.test.log.user);
    // Leave-last-out: every ML-100K user has ≥ 20 ratings, so each gives exactly one test entry.
    assert.equal(splitDataset(d, 'leave-last-out').test.log.length, 943);
  });
});
