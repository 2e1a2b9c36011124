import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { close, overlappingBaskets } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { ItemKnn } from './index.js';

runRecommenderContract('item-knn', () => new ItemKnn());
runRecommenderContract('item-knn', () => new ItemKnn({ similarity: 'jaccard', neighbors: 5, shrink: 2, binary: false }));

describe('item-knn', () => {
  // u0: i0 i1 · u1: i0 i1 i2 · u2: i1 i2 · u3: i2 i3
  const data = overlappingBaskets();

  it('computes cosine by hand', async () => {
    const model = new ItemKnn();
    await model.fit(data);
    const similar = model.similarItems(0, { n: 5 });
    assert.deepEqual(similar.map((s) => s.item), [1, 2]);
    assert.ok(close(similar[0]!.score, 2 / Math.sqrt(6)));
    assert.ok(close(similar[1]!.score, 1 / Math.sqrt(6)));
    const out = new Float32Array(4);
    model.scoreItems({ history: [0, 3] }, out);
    // From i0: i1 2/√6, i2 1/√6; from i3: i2 1/√3.
    assert.ok(close(out[1]!, 2 / Math.sqrt(6)));
    assert.ok(close(out[2]!, 1 / Math.sqrt(6) + 1 / Math.sqrt(3)));
    assert.equal(out[0], 0);
  });

  it('applies shrink, jaccard, lift and co-occurrence', async () => {
    const first = async (params: Record<string, unknown>): Promise<number> => {
      const model = new ItemKnn(params);
      await model.fit(data);
      return model.similarItems(0, { n: 1 })[0]!.score;
    };
    assert.ok(close(await first({ shrink: 1 }), 2 / (Math.sqrt(6) + 1)));
    assert.ok(close(await first({ similarity: 'jaccard' }), 2 / 3));
    assert.ok(close(await first({ similarity: 'lift' }), 2 / 6));
    assert.ok(close(await first({ similarity: 'cooccurrence' }), 2));
    assert.ok(close(await first({ alpha: 1 }), 2 / 2));
  });

  it('keeps only the top neighbours', async () => {
    const model = new ItemKnn({ neighbors: 1 });
    await model.fit(data);
    assert.deepEqual(model.similarItems(2, { n: 5 }).map((s) => s.item), [1]);
  });

  it('never returns the item itself and rejects unknown items', async () => {
    const model = new ItemKnn();
    await model.fit(data);
    for (let i = 0; i < 4; i++) assert.ok(model.similarItems(i, { n: 4 }).every((s) => s.item !== i));
    assert.throws(() => model.similarItems(9, { n: 1 }), (e: unknown) => isMagpieError(e, 'not_found'));
    assert.throws(() => model.recommend({ user: 9 }, { n: 1 }), (e: unknown) => isMagpieError(e, 'not_found'));
  });
});
