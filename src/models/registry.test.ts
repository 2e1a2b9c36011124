import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { createModel, MODEL_NAMES, parseModelSpec } from './registry.js';

describe('model registry', () => {
  it('lists and creates every registered model', () => {
    for (const name of ['popularity', 'item-knn', 'ease']) assert.ok(MODEL_NAMES.includes(name));
    for (const name of MODEL_NAMES) assert.equal(createModel(name).name, name);
  });

  it('applies defaults and given params', () => {
    assert.deepEqual(createModel('ease', { lambda: 400 }).params, { lambda: 400, dropout: 0, binary: true, maxItems: 20_000, solver: 'auto' });
  });

  it('parses model specs, coercing numbers and booleans', () => {
    assert.deepEqual(parseModelSpec('ease:lambda=400,binary=false'), { name: 'ease', params: { lambda: 400, binary: false } });
    assert.deepEqual(parseModelSpec('item-knn:similarity=jaccard, neighbors=20'), { name: 'item-knn', params: { similarity: 'jaccard', neighbors: 20 } });
    assert.deepEqual(parseModelSpec('popularity'), { name: 'popularity', params: {} });
  });

  it('rejects unknown models and params with a hint listing the valid ones', () => {
    assert.throws(() => createModel('nope'), (e: unknown) => isMagpieError(e, 'invalid_input') && /ease/.test(e.hint ?? ''));
    assert.throws(() => parseModelSpec('ease:lamda=3'), (e: unknown) => isMagpieError(e, 'invalid_input') && /lambda/.test(e.hint ?? ''));
    assert.throws(() => parseModelSpec('ease:lambda=-1'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => parseModelSpec('ease:binary=maybe'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => parseModelSpec('item-knn:similarity=pearson'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => parseModelSpec('item-knn:neighbors=2.5'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => parseModelSpec('ease:lambda'), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });
});
