import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError, MagpieError } from './errors.js';
import { deriveEventId, fnv1a64, parseEvent, parseItem, parseOrder, parseUser, toEpochMillis } from './schemas.js';

describe('fnv1a64', () => {
  // Reference values of the 64-bit FNV-1a hash (offset basis cbf29ce484222325, prime 100000001b3).
  const cases: [string, string][] = [
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ];
  for (const [input, hash] of cases) it(`hashes ${JSON.stringify(input)}`, () => assert.equal(fnv1a64(input), hash));
});

describe('toEpochMillis', () => {
  const cases: [number | string, number | null][] = [
    [1700000000, 1700000000000],
    [1700000000000, 1700000000000],
    ['1700000000', 1700000000000],
    ['2011-12-09 12:50:00', Date.UTC(2011, 11, 9, 12, 50)],
    ['2011-12-09', Date.UTC(2011, 11, 9)],
    ['2024-05-01T10:00:00+02:00', Date.UTC(2024, 4, 1, 8)],
    ['2024-05-01T10:00:00.250Z', Date.UTC(2024, 4, 1, 10, 0, 0, 250)],
    ['yesterday', null],
    ['', null],
    [Number.NaN, null],
  ];
  for (const [input, expected] of cases) it(`reads ${JSON.stringify(input)}`, () => assert.equal(toEpochMillis(input), expected));
});

describe('parseEvent', () => {
  it('fills defaults and derives a stable id from the content', () => {
    const a = parseEvent({ userId: 'u1', itemId: 'sku-9', type: 'view', timestamp: '2024-01-02T10:00:00Z' });
    const b = parseEvent({ userId: 'u1', itemId: 'sku-9', type: 'view', timestamp: '2024-01-02T10:00:00Z' });
    assert.equal(a.id, b.id);
    assert.match(a.id, /^h:[0-9a-f]{16}$/);
    assert.equal(a.sessionId, null);
    assert.deepEqual(a.context, {});
    assert.notEqual(deriveEventId({ ...a, itemId: 'sku-10' }), a.id);
  });

  it('accepts numeric ids and turns them into strings', () => {
    const e = parseEvent({ id: 7, userId: 17850, itemId: 85123, type: 'purchase', quantity: 2, timestamp: 1 });
    assert.deepEqual([e.id, e.userId, e.itemId], ['7', '17850', '85123']);
  });

  const bad: [string, unknown, RegExp, string][] = [
    ['an unknown type', { userId: 'u', itemId: 'i', type: 'buy', timestamp: 1 }, /^type: must be one of view/, 'type'],
    ['no user and no session', { itemId: 'i', type: 'view', timestamp: 1 }, /userId: an event needs a userId or a sessionId/, 'userId'],
    ['no item on a view', { userId: 'u', type: 'view', timestamp: 1 }, /itemId: a view event needs an itemId/, 'itemId'],
    ['an empty id', { userId: '', itemId: 'i', type: 'view', timestamp: 1 }, /userId: must not be empty/, 'userId'],
    ['a string quantity', { userId: 'u', itemId: 'i', type: 'view', quantity: '2', timestamp: 1 }, /^quantity: /, 'quantity'],
    ['an unknown field', { userId: 'u', itemId: 'i', type: 'view', colour: 'red', timestamp: 1 }, /colour/, ''],
    ['a bad time', { userId: 'u', itemId: 'i', type: 'view', timestamp: 'soon' }, /timestamp: "soon" is not a time/, 'timestamp'],
  ];
  for (const [what, input, message, field] of bad) {
    it(`rejects ${what}, naming the field and the line`, () => {
      assert.throws(
        () => parseEvent(input, { file: 'events.jsonl', line: 12 }),
        (e: unknown) => isMagpieError(e, 'invalid_input') && message.test(e.message) && e.location?.line === 12 && (field === '' || e.location?.field === field) && e.hint !== undefined,
      );
    });
  }
});

describe('other schemas', () => {
  it('parses items, users and orders with defaults', () => {
    assert.deepEqual(parseItem({ id: 'i1', title: 'Mug', price: 3 }).categories, []);
    assert.equal(parseItem({ id: 'i1' }).hidden, false);
    assert.throws(() => parseItem({ id: 'i1', price: -1 }), (e: unknown) => isMagpieError(e) && e.location?.field === 'price');
    assert.deepEqual(parseUser({ id: 'u', attributes: { tier: 'gold' } }), { id: 'u', attributes: { tier: 'gold' }, createdAt: null });
    const order = parseOrder({ id: 'o', status: 'paid', lines: [{ itemId: 'i', quantity: 1 }], createdAt: '2024-01-01' });
    assert.equal(order.updatedAt, order.createdAt);
    assert.equal(order.lines[0]?.price, null);
  });
});

describe('MagpieError', () => {
  it('describes what, where and how to fix, and serialises without a stack', () => {
    const e = new MagpieError('invalid_input', 'unknown event type "buy"', { location: { file: 'a.csv', line: 3, field: 'type' }, hint: 'use purchase' });
    assert.equal(e.describe(), 'unknown event type "buy" (a.csv, line 3, field type). Fix: use purchase');
    assert.deepEqual(Object.keys(e.toJSON()), ['code', 'message', 'location', 'hint']);
  });
});
