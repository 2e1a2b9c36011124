import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { gorseFeedbackType, magpieEventType } from './feedback-types.js';
import { decodeCursor, encodeCursor, formatGorseTime, pageParams, parseGoDuration, parseGorseTime } from './params.js';

describe('Gorse parameters', () => {
  it('reads Go durations', () => {
    const cases: [string, number][] = [['0', 0], ['10m', 600_000], ['1h30m', 5_400_000], ['1.5s', 1500], ['250ms', 250], ['-2h', -7_200_000], ['0h0m5s', 5000]];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text, 'd'), ms, text);
    for (const bad of ['', '10', 'soon', '1d', 'm5']) assert.throws(() => parseGoDuration(bad, 'd'), (e: unknown) => isMagpieError(e, 'invalid_input'), bad);
  });

  it('writes times as Go does and reads the forms Gorse accepts', () => {
    assert.equal(formatGorseTime(Date.UTC(2022, 1, 24)), '2022-02-24T00:00:00Z');
    assert.equal(formatGorseTime(Date.UTC(2022, 1, 24, 1, 2, 3, 450)), '2022-02-24T01:02:03.450Z');
    assert.equal(formatGorseTime(null), '0001-01-01T00:00:00Z');
    assert.equal(parseGorseTime('2022-02-24', 't'), Date.UTC(2022, 1, 24));
    assert.equal(parseGorseTime('2022-02-24T10:00:00+02:00', 't'), Date.UTC(2022, 1, 24, 8));
    assert.equal(parseGorseTime(1645660800, 't'), Date.UTC(2022, 1, 24));
    assert.equal(parseGorseTime('0001-01-01T00:00:00Z', 't'), null);
    assert.equal(parseGorseTime('', 't'), null);
    assert.throws(() => parseGorseTime('yesterday', 'Timestamp'), /Timestamp: "yesterday" is not a time/);
  });

  it('round-trips cursors and rejects foreign ones', () => {
    const isNumber = (v: unknown): v is number => typeof v === 'number';
    assert.equal(decodeCursor(encodeCursor(42), isNumber), 42);
    assert.throws(() => decodeCursor(encodeCursor('x'), isNumber), /is not a cursor from this server/);
    assert.throws(() => decodeCursor('%%%', isNumber), /is not a cursor from this server/);
  });

  it('keeps offset + n within the largest page', () => {
    assert.deepEqual(pageParams({}), { n: 10, offset: 0 });
    assert.deepEqual(pageParams({ n: '5', offset: '995' }), { n: 5, offset: 995 });
    assert.throws(() => pageParams({ n: '5', offset: '996' }), /offset: 996 is out of range/);
    assert.throws(() => pageParams({ n: '0' }), /n: 0 is out of range/);
  });

  it('maps Gorse feedback types onto Magpie events and back', () => {
    assert.equal(magpieEventType('star'), 'favorite');
    assert.equal(magpieEventType('Purchase'), 'purchase');
    assert.equal(magpieEventType('read'), 'view');
    assert.equal(magpieEventType('cart'), 'add_to_cart');
    assert.equal(magpieEventType('upvote'), 'view');
    assert.equal(gorseFeedbackType({ type: 'view', context: { gorseType: 'upvote' } }), 'upvote');
    assert.equal(gorseFeedbackType({ type: 'purchase', context: {} }), 'purchase');
  });
});
