import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { MagpieError } from '../core/errors.js';
import { createModel, parseModelSpec } from '../models/registry.js';
import { formatModelSpec, formatParams, parseModelList } from './model-list.js';
import { parseBuildFlags, parseProtocol, parseSeeds } from './options.js';

/** Asserts `fn` throws a MagpieError whose one-line description (message + hint) matches. */
function throwsDescribed(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error) => error instanceof MagpieError && pattern.test(error.describe()));
}

describe('parseModelList', () => {
  it('splits models and params on the same commas', () => {
    assert.deepEqual(parseModelList('ease:lambda=400,item-knn').models, [
      { name: 'ease', params: { lambda: 400 } },
      { name: 'item-knn', params: {} },
    ]);
    assert.deepEqual(parseModelList('popularity, ease:lambda=400,binary=false ,item-knn:neighbors=50,shrink=10').models, [
      { name: 'popularity', params: {} },
      { name: 'ease', params: { lambda: 400, binary: false } },
      { name: 'item-knn', params: { neighbors: 50, shrink: 10 } },
    ]);
    // The same model twice with different params is two runs.
    assert.deepEqual(parseModelList('ease:lambda=100,ease:lambda=1000').models.map((m) => m.params['lambda']), [100, 1000]);
  });

  it('expands all to every registered model', () => {
    const list = parseModelList('all', ['popularity', 'ease']);
    assert.equal(list.all, true);
    assert.deepEqual(list.models, [{ name: 'popularity', params: {} }, { name: 'ease', params: {} }]);
    assert.equal(parseModelList('popularity').all, false);
  });

  it('names the problem: unknown model, unknown param, param before any model, nothing at all', () => {
    throwsDescribed(() => parseModelList('popularity,eas'), /unknown model "eas"\. Fix: valid models: .*popularity/);
    assert.throws(() => parseModelList('ease:lamda=4'), /unknown param "lamda" for model ease/);
    assert.throws(() => parseModelList('lambda=4,ease'), /param "lambda=4" in --models comes before any model/);
    assert.throws(() => parseModelList(' , '), /no models given/);
  });

  it('formats params briefly', () => {
    assert.equal(formatParams({ lambda: 400, binary: true, dense: false }), 'lambda=400 binary !dense');
    assert.equal(formatParams({}), '—');
    assert.equal(formatParams({ models: [{ name: 'ease', params: {}, weight: 0.7 }, { name: 'item-knn', params: { neighbors: 50 }, weight: 0.3 }] }), 'models=ease*0.7+item-knn[neighbors=50]*0.3');
    assert.equal(formatParams({ weights: { view: 1 } }), 'weights={"view":1}');
  });
});

describe('evaluation flags', () => {
  it('builds protocols with their options and rejects unknown ones with the list', () => {
    assert.deepEqual(parseProtocol({}), { name: 'msr-item-stratified' });
    assert.deepEqual(parseProtocol({ protocol: 'user-stratified', ratio: '0.8' }), { name: 'user-stratified', ratio: 0.8 });
    assert.deepEqual(parseProtocol({ protocol: 'temporal', testDays: '30' }), { name: 'temporal', testDays: 30 });
    assert.deepEqual(parseProtocol({ protocol: 'leave-last-out' }), { name: 'leave-last-out' });
    throwsDescribed(() => parseProtocol({ protocol: 'random' }), /unknown protocol "random" \(field protocol\)\. Fix: use one of msr-item-stratified, user-stratified, leave-last-out, temporal/);
    assert.throws(() => parseProtocol({ ratio: '1.5' }), /--ratio must be a fraction/);
  });

  it('reads seeds as a count or a list', () => {
    assert.deepEqual(parseSeeds({}), [1]);
    assert.deepEqual(parseSeeds({ seeds: '3' }), [1, 2, 3]);
    assert.deepEqual(parseSeeds({ seeds: '3', seedList: '42, 7' }), [42, 7]);
    assert.throws(() => parseSeeds({ seeds: '0' }), /--seeds must be a whole number ≥ 1/);
    assert.throws(() => parseSeeds({ seedList: '1,x' }), /--seed-list must be whole numbers/);
  });

  it('reads builder flags', () => {
    assert.deepEqual(parseBuildFlags({ binary: true, weights: 'purchase=10,view=0.5', minUser: '5' }), {
      ratings: 'binary',
      weights: { purchase: 10, view: 0.5 },
      minUserInteractions: 5,
    });
    assert.throws(() => parseBuildFlags({ weights: 'buy=3' }), /bad event weight "buy=3"/);
  });
});

test('formatModelSpec writes a spec that parses back to the same model, blends included', () => {
  const blend = createModel('blend', parseModelSpec('blend:models=ease[lambda=300]*0.7+item-knn*0.3,normalize=zscore').params);
  const text = formatModelSpec('blend', blend.params);
  assert.doesNotMatch(text, /object Object/);
  const again = createModel('blend', parseModelSpec(text).params);
  assert.deepEqual(again.params, blend.params);
  assert.equal(formatModelSpec('ease', { lambda: 400, binary: true }), 'ease:lambda=400,binary=true');
});
