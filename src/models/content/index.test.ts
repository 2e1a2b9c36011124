import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, type Item } from '../../core/types.js';
import { close, datasetFromTriples } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { Content } from './index.js';
import { itemTerms } from './tfidf.js';
import { tokenize, wholeTerm } from './text.js';

runRecommenderContract('content', () => new Content());
runRecommenderContract('content', () => new Content({ categoryWeight: 2, binary: false }));

describe('content', () => {
  // i3 has no catalog row; i4 ("green mug") has text but nobody interacted with it.
  const catalog = new Map<number, Item>([
    [0, makeItem('i0', { title: 'Red mug' })],
    [1, makeItem('i1', { title: 'Blue mug' })],
    [2, makeItem('i2', { title: 'Red scarf' })],
    [4, makeItem('i4', { title: 'Green mug' })],
  ]);
  const data = datasetFromTriples(2, 5, [[0, 0], [0, 1], [1, 2], [1, 3]], catalog);
  // N = 4 documents; df: mug 3, red 2, blue/scarf/green 1 → idf = ln(5 / (1 + df)) + 1.
  const M = Math.log(5 / 4) + 1;
  const R = Math.log(5 / 3) + 1;
  const G = Math.log(5 / 2) + 1;
  const fitted = async (): Promise<Content> => {
    const model = new Content({ titleWeight: 1 });
    await model.fit(data);
    return model;
  };

  it('tokenizes and makes whole terms of categories and brands', () => {
    assert.deepEqual(tokenize('The Red Mug, 350ml — dishwasher-safe & a Ü-Boot'), ['red', 'mug', '350ml', 'dishwasher', 'safe', 'boot']);
    assert.equal(wholeTerm('category', ' Home &\n Garden'), 'category:home & garden');
    const terms = itemTerms(makeItem('x', { title: 'Red mug', description: 'a red one', categories: ['Kitchen', 'Kitchen'], brand: 'Acme' }), {
      title: 2,
      description: 1,
      category: 3,
      brand: 4,
    });
    assert.deepEqual(Object.fromEntries(terms), { red: 3, mug: 2, one: 1, 'category:kitchen': 3, 'brand:acme': 4 });
  });

  it('scores TF-IDF cosine by hand, cold items included', async () => {
    const model = await fitted();
    const out = new Float32Array(5);
    model.scoreItems({ user: 1 }, out); // u1 holds i2 "red scarf" (and i3, which has no text)
    assert.ok(close(out[0]!, (R * R) / (Math.hypot(R, G) * Math.hypot(R, M))));
    assert.equal(out[1], 0, 'no shared term');
    assert.ok(close(out[2]!, 1));
    assert.equal(out[3], -Infinity, 'no catalog text');
    assert.equal(out[4], 0);
    model.scoreItems({ history: [0] }, out);
    assert.ok(close(out[4]!, (M * M) / (Math.hypot(R, M) * Math.hypot(G, M))), 'the never-bought green mug gets a real score');
  });

  it('sums the profile over history items', async () => {
    const model = await fitted();
    const out = new Float32Array(5);
    model.scoreItems({ user: 0 }, out);
    // profile = v0 + v1; v0 = (red R, mug M)/|·|, v1 = (blue G, mug M)/|·|.
    const n0 = Math.hypot(R, M);
    const n1 = Math.hypot(G, M);
    const profile = { red: R / n0, mug: M / n0 + M / n1, blue: G / n1 };
    const norm = Math.hypot(profile.red, profile.mug, profile.blue);
    assert.ok(close(out[4]!, (profile.mug * (M / Math.hypot(G, M))) / norm));
  });

  it('lists similar items and embeds new text', async () => {
    const model = await fitted();
    // cos(i0, i2) = R²/(|R,M|·|R,G|) ≈ 0.48 beats cos(i0, i1) = cos(i0, i4) = M²/(|R,M|·|G,M|) ≈ 0.34.
    const similar = model.similarItems(0, { n: 5 });
    assert.deepEqual(similar.map((s) => s.item), [2, 1, 4]);
    assert.ok(close(similar[0]!.score, (R * R) / (Math.hypot(R, M) * Math.hypot(R, G))));
    assert.ok(close(similar[2]!.score, (M * M) / (Math.hypot(R, M) * Math.hypot(G, M))));
    const vector = model.embedText('GREEN mug!! with unheard-of words');
    assert.deepEqual(Array.from(vector.terms).map((t) => model.terms()[t]), ['mug', 'green']);
    const best = model.similarToVector(vector, { n: 2 });
    assert.equal(best[0]!.item, 4);
    assert.ok(close(best[0]!.score, 1));
    assert.equal(model.similarToVector(model.embedItem({ title: 'Blue mug', description: null, categories: [], brand: null }), { n: 1 })[0]!.item, 1);
    assert.throws(() => model.similarItems(7, { n: 1 }), (e: unknown) => isMagpieError(e, 'not_found'));
  });
});
