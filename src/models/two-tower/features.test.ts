import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendFeatures, buildVocabulary, featureTable, quantileEdges, rowFeatures, type ItemRow } from './features.js';
import { Random } from '../../math/random.js';
import { distinctRecent, epochRows, packContexts, userBags } from './examples.js';

const row = (fields: Partial<ItemRow>): ItemRow => ({ title: null, description: null, categories: [], brand: null, price: null, ...fields });
const options = { vocabulary: 100, minCount: 2, maxWords: 10, priceBuckets: 4 };

describe('two-tower item features', () => {
  const catalog = new Map<number, ItemRow>([
    [0, row({ title: 'Red mug', categories: ['Kitchen'], brand: 'Acme', price: 2 })],
    [1, row({ title: 'Blue mug', description: 'A red handle', categories: ['Kitchen', 'Mugs'], brand: 'Acme', price: 4 })],
    [2, row({ title: 'Red scarf', categories: ['Clothing'], price: 8 })],
    [3, row({ title: 'Wool scarf', categories: ['Clothing'], price: 16 })],
    [5, row({ description: 'lonely words only here' })],
  ]);

  it('keeps terms on at least minCount items, most frequent first, and a term per price bucket', () => {
    const vocab = buildVocabulary(catalog, options);
    // red 3, then category:clothing, category:kitchen, mug, scarf, brand:acme (2 each) in term order.
    assert.deepEqual(vocab.terms.slice(0, 6), ['red', 'brand:acme', 'category:clothing', 'category:kitchen', 'mug', 'scarf']);
    assert.ok(!vocab.terms.includes('lonely') && !vocab.terms.includes('category:mugs'), 'terms on one item are dropped');
    assert.deepEqual([...vocab.priceEdges], [4, 8, 16]);
    assert.deepEqual(vocab.terms.slice(6), ['price:0', 'price:1', 'price:2', 'price:3']);
    const capped = buildVocabulary(catalog, { ...options, vocabulary: 2, priceBuckets: 0 });
    assert.deepEqual(capped.terms, ['red', 'brand:acme']);
  });

  it('weighs each field as a mean and drops what the vocabulary lacks or the row misses', () => {
    const vocab = buildVocabulary(catalog, options);
    const t = (term: string) => vocab.index.get(term)!;
    assert.deepEqual(rowFeatures(catalog.get(1)!, vocab, options), [
      [t('mug'), 0.5],
      [t('red'), 0.5],
      [t('category:kitchen'), 1],
      [t('brand:acme'), 1],
      [t('price:1'), 1],
    ]);
    assert.deepEqual(rowFeatures(row({ title: 'Green scarf', price: 1000 }), vocab, options), [
      [t('scarf'), 1],
      [t('price:3'), 1],
    ]);
    assert.deepEqual(rowFeatures(row({ price: -3 }), vocab, options), []);
    // Two slots: words give way first.
    assert.deepEqual(rowFeatures(catalog.get(1)!, vocab, options, 2), [
      [t('category:kitchen'), 1],
      [t('brand:acme'), 1],
    ]);
  });

  it('lays features out in padded slots and appends rows', () => {
    const vocab = buildVocabulary(catalog, options);
    const table = featureTable(6, (i) => catalog.get(i), vocab, options);
    assert.equal(table.slots, 5);
    const pad = vocab.terms.length;
    assert.deepEqual([...table.ids.subarray(4 * 5, 6 * 5)], new Array(10).fill(pad), 'items 4 and 5 have no known feature');
    assert.deepEqual([...table.weights.subarray(4 * 5, 6 * 5)], new Array(10).fill(0));
    const more = featureTable(1, () => row({ title: 'red red mug' }), vocab, options, table.slots);
    const both = appendFeatures(table, more);
    assert.equal(both.ids.length, 7 * 5);
    assert.deepEqual([...both.weights.subarray(6 * 5, 6 * 5 + 3)], [0.5, 0.5, 0]);
  });

  it('splits prices into quantile buckets, merging duplicate edges', () => {
    assert.deepEqual([...quantileEdges([1, 2, 3, 4, 5, 6, 7, 8], 4)], [3, 5, 7]);
    assert.deepEqual([...quantileEdges([1, 1, 2, 2, 3, 3, 4, 4], 4)], [2, 3, 4]);
    // Every quantile falls on 5, the smallest price: one bucket.
    assert.deepEqual([...quantileEdges([5, 5, 5, 5, 9], 4)], []);
    assert.deepEqual([...quantileEdges([], 4)], []);
  });
});

describe('two-tower training rows', () => {
  it('takes the distinct recent items and leaves each row\'s targets out of its context', () => {
    assert.deepEqual(distinctRecent([4, 7, 4, 99, 2, -1], 10, 3), [2, 4, 7]);
    const path = [1, 2, 1, 3, 4, 6, 7, 8, 9, 10, 11];
    const bags = userBags([path, [5]], 20);
    assert.deepEqual([...bags.items], [11, 10, 9, 8, 7, 6, 4, 3, 1, 2, 5]);
    assert.deepEqual([...bags.offsets], [0, 10, 11]);
    const rows = epochRows(bags, 3, new Random(1));
    // User 0's ten items: groups of at most a quarter of them (2), so 5 rows; user 1 one row.
    assert.equal(rows.count, 6);
    assert.deepEqual([...rows.targets].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, r) => rows.targetOffsets[r + 1]! - rows.targetOffsets[r]!).sort(),
      [1, 2, 2, 2, 2, 2],
    );
    const contexts = packContexts(bags, rows, 0, 6, 3);
    for (let r = 0; r < 6; r++) {
      const targets = [...rows.targets.subarray(rows.targetOffsets[r]!, rows.targetOffsets[r + 1]!)];
      const context = [...contexts.subarray(r * 3, r * 3 + 3)].filter((i) => i >= 0);
      const bag = rows.users[r] === 0 ? [...bags.items.subarray(0, 10)] : [5];
      // The rest of the bag, most recent first, at most 3.
      assert.deepEqual(context, bag.filter((i) => !targets.includes(i)).slice(0, 3));
    }
    // The same seed gives the same rows.
    assert.deepEqual(epochRows(bags, 3, new Random(1)), rows);
  });
});
