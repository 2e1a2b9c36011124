import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_EVENT_WEIGHTS, EVENT_STRENGTH, decayFactor, eventWeight, eventWeights } from './weights.js';

const DAY = 86_400_000;

describe('eventWeights', () => {
  it('applies overrides over the defaults', () => {
    const w = eventWeights({ view: 0.5, return: -8 });
    assert.equal(w.view, 0.5);
    assert.equal(w.return, -8);
    assert.equal(w.purchase, 8);
    assert.equal(w.add_to_cart, 4);
    assert.equal(DEFAULT_EVENT_WEIGHTS.view, 1);
  });

  it('rejects non-finite weights', () => {
    assert.throws(() => eventWeights({ view: Number.NaN }), RangeError);
    assert.throws(() => eventWeights({ click: Infinity }), RangeError);
  });
});

describe('eventWeight', () => {
  const cases: [string, Parameters<typeof eventWeight>, number][] = [
    ['view', ['view', null, DEFAULT_EVENT_WEIGHTS], 1],
    ['click', ['click', null, DEFAULT_EVENT_WEIGHTS], 2],
    ['add_to_cart', ['add_to_cart', 3, DEFAULT_EVENT_WEIGHTS], 4],
    ['remove_from_cart is ignored', ['remove_from_cart', null, DEFAULT_EVENT_WEIGHTS], 0],
    ['favorite', ['favorite', null, DEFAULT_EVENT_WEIGHTS], 3],
    ['share', ['share', null, DEFAULT_EVENT_WEIGHTS], 3],
    ['review', ['review', 5, DEFAULT_EVENT_WEIGHTS], 4],
    ['purchase', ['purchase', null, DEFAULT_EVENT_WEIGHTS], 8],
    ['return', ['return', null, DEFAULT_EVENT_WEIGHTS], 0],
    ['search', ['search', null, DEFAULT_EVENT_WEIGHTS], 0],
    ['rate by value', ['rate', 4, DEFAULT_EVENT_WEIGHTS, 'value'], 4],
    ['rate binary', ['rate', 4, DEFAULT_EVENT_WEIGHTS, 'binary'], 1],
    ['rate without a value', ['rate', null, DEFAULT_EVENT_WEIGHTS, 'value'], 1],
    ['rate multiplier 0.5 × 4', ['rate', 4, eventWeights({ rate: 0.5 }), 'value'], 2],
    ['negative return', ['return', null, eventWeights({ return: -8 })], -8],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => assert.equal(eventWeight(...args), expected));
  }
});

describe('decayFactor', () => {
  const now = 100 * DAY;
  const cases: [string, number, number | undefined, number][] = [
    ['no half-life', 0, undefined, 1],
    ['zero half-life disables', 0, 0, 1],
    ['at now', now, 7, 1],
    ['one half-life ago', now - 7 * DAY, 7, 0.5],
    ['two half-lives ago', now - 14 * DAY, 7, 0.25],
    ['half a half-life ago: 2^-0.5', now - 3.5 * DAY, 7, Math.SQRT1_2],
    ['future events are not boosted', now + 30 * DAY, 7, 1],
  ];
  for (const [name, time, halfLife, expected] of cases) {
    it(name, () => assert.ok(Math.abs(decayFactor(time, now, halfLife) - expected) < 1e-12));
  }
});

describe('EVENT_STRENGTH', () => {
  it('orders intent', () => {
    assert.ok(EVENT_STRENGTH.purchase > EVENT_STRENGTH.add_to_cart);
    assert.ok(EVENT_STRENGTH.add_to_cart > EVENT_STRENGTH.click);
    assert.ok(EVENT_STRENGTH.click > EVENT_STRENGTH.view);
  });
});
