import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { isMagpieError } from '../../core/errors.js';
import type { Dataset } from '../../dataset/types.js';
import { datasetFromTriples } from '../fixtures.case.js';
import { runRecommenderContract } from '../recommender.case.js';
import { AssociationRules } from './index.js';
import { mineRules } from './mining.js';
import { recentItems } from './recent.js';

runRecommenderContract('association-rules', () => new AssociationRules());
runRecommenderContract('association-rules', () => new AssociationRules({ scoring: 'lift', maxLength: 2, minConfidence: 0.2 }));

const ONLINE_RETAIL = '../shared/datasets/online-retail/online_retail.csv.gz';

describe('association-rules', () => {
  // Item counts: i0 4, i1 4, i2 3, i3 2 of 5 baskets.
  // Pairs: 01 ×3, 02 ×2, 12 ×2, 13 ×2, 03 ×1, 23 ×1 · triples: 012, 013, 123 ×1 each.
  const baskets = [Int32Array.of(0, 1, 2), Int32Array.of(0, 1), Int32Array.of(0, 2), Int32Array.of(1, 2, 3), Int32Array.of(0, 1, 3)];
  const data: Dataset = { ...datasetFromTriples(1, 4, [[0, 0]]), baskets };
  const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  const fitted = async (params: Record<string, unknown>): Promise<AssociationRules> => {
    const model = new AssociationRules({ minConfidence: 0, minLift: 0, ...params });
    await model.fit(data);
    return model;
  };

  it('computes support, confidence and lift by hand', async () => {
    const model = await fitted({ minSupport: 0.4 });
    assert.deepEqual(model.rulesFor([3], 5), [{ antecedent: [3], consequent: 1, support: 0.4, confidence: 1, lift: 1.25 }]);
    const fromOne = model.rulesFor([1], 5);
    assert.deepEqual(fromOne.map((r) => r.consequent), [0, 3, 2], 'confidence 3/4, then 1/2 with lift 5/4 before 1/2 with lift 5/6');
    assert.ok(close(fromOne[0]!.confidence, 3 / 4) && close(fromOne[0]!.lift, 15 / 16) && close(fromOne[0]!.support, 3 / 5));
    assert.ok(close(fromOne[2]!.lift, 0.5 / 0.6));
  });

  it('mines rules with two antecedents from frequent triples', async () => {
    const model = await fitted({ minSupport: 0.2 });
    const rules = model.rulesFor([0, 3], 10);
    // {3} → 1 and {0, 3} → 1 both have confidence 1 and lift 1.25; the single rule has more support.
    assert.deepEqual(rules[0], { antecedent: [3], consequent: 1, support: 0.4, confidence: 1, lift: 1.25 });
    assert.deepEqual(rules[1], { antecedent: [0, 3], consequent: 1, support: 0.2, confidence: 1, lift: 1.25 });
    assert.ok(rules.every((r) => r.consequent !== 0 && r.consequent !== 3));
    const none = await fitted({ minSupport: 0.2, maxLength: 2 });
    assert.ok(none.rulesFor([0, 3], 10).every((r) => r.antecedent.length === 1));
  });

  it('filters by confidence and lift', async () => {
    const model = await fitted({ minSupport: 0.4, minLift: 1 });
    assert.deepEqual(model.rulesFor([0, 1, 2, 3], 10).map((r) => [r.antecedent[0], r.consequent]), []);
    assert.deepEqual(model.rulesFor([1], 10).map((r) => r.consequent), [3]);
    const confident = await fitted({ minSupport: 0.4, minConfidence: 0.7 });
    assert.deepEqual(confident.rulesFor([0], 10).map((r) => r.consequent), [1]);
  });

  it('scores the best firing rule, else the item support', async () => {
    const model = await fitted({ minSupport: 0.2 });
    const out = new Float32Array(4);
    model.scoreItems({ history: [0, 3] }, out);
    // i1: max(0→1 3/4, 3→1 1, {0,3}→1 1) · i2: max(support 3/5, 0→2 1/2, 3→2 1/2).
    assert.deepEqual(Array.from(out), [0.8, 1, 0.6, 0.4].map(Math.fround));
    assert.deepEqual(model.similarItems(3, { n: 5 }).map((s) => s.item), [1, 0, 2]);
    const byLift = await fitted({ minSupport: 0.4, scoring: 'lift' });
    byLift.scoreItems({ history: [1] }, out);
    assert.ok(close(out[3]!, 1.25) && close(out[0]!, 15 / 16));
  });

  it('uses the latest distinct items when recent is set', async () => {
    assert.deepEqual(recentItems([4, 7, 4, 9, 99], 10, 2), [4, 9]);
    const model = await fitted({ minSupport: 0.4, recent: 1 });
    const out = new Float32Array(4);
    model.scoreItems({ history: [3, 0] }, out);
    // Only i0 fires (0→1, confidence 3/4, below i1's support 4/5); i3's 3→1 (confidence 1) does not.
    assert.equal(out[1], Math.fround(4 / 5));
  });

  it('counts an item once per basket', () => {
    const table = mineRules([Int32Array.of(0, 1), Int32Array.of(1, 0, 0)], 2, { minSupport: 1, minConfidence: 0, minLift: 0, maxLength: 3 });
    assert.deepEqual(Array.from(table.itemCounts), [2, 2]);
    assert.deepEqual(Array.from(table.singleConsequent), [1, 0]);
    assert.throws(() => new AssociationRules({ maxLength: 4 }), (e: unknown) => isMagpieError(e, 'invalid_input'));
  });

  it("mines each user's items when the dataset has no baskets", async () => {
    // u0: i0 i1 · u1: i0 i1 · u2: i0 → 0→1 has confidence 2/3, 1→0 has 1.
    const model = new AssociationRules({ minConfidence: 0, minLift: 0 });
    await model.fit(datasetFromTriples(3, 2, [[0, 0], [0, 1], [1, 0], [1, 1], [2, 0]]));
    assert.deepEqual(model.rulesFor([0], 1)[0], { antecedent: [0], consequent: 1, support: 2 / 3, confidence: 2 / 3, lift: 1 });
    assert.equal(model.rulesFor([1], 1)[0]!.confidence, 1);
  });

  it('mines Online Retail quickly', { skip: !existsSync(ONLINE_RETAIL) }, async () => {
    // Baskets straight from the file (invoice → stock codes; cancellations skipped), so the check
    // times the miner rather than the importer.
    const byInvoice = new Map<string, Set<number>>();
    const codes = new Map<string, number>();
    for (const line of gunzipSync(readFileSync(ONLINE_RETAIL)).toString('utf8').split('\n').slice(1)) {
      const [invoice, code] = line.split(',', 2).map((field) => field.replaceAll('"', ''));
      if (!invoice || !code || invoice.startsWith('C')) continue;
      let item = codes.get(code);
      if (item === undefined) codes.set(code, (item = codes.size));
      let basket = byInvoice.get(invoice);
      if (basket === undefined) byInvoice.set(invoice, (basket = new Set()));
      basket.add(item);
    }
    const baskets = [...byInvoice.values()].filter((b) => b.size >= 2).map((b) => Int32Array.from(b));
    assert.ok(baskets.length > 18_000, `${baskets.length} baskets`);
    const retail: Dataset = { ...datasetFromTriples(1, codes.size, [[0, 0]]), baskets };
    const started = performance.now();
    const model = new AssociationRules();
    await model.fit(retail);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 5, `mining took ${seconds.toFixed(2)} s`);
    // The green Regency teacup sells with its pink and roses siblings and the Regency cake stand.
    const rules = model.rulesFor([codes.get('22697')!], 3);
    assert.deepEqual(new Set(rules.map((r) => r.consequent)), new Set([codes.get('22699')!, codes.get('22698')!, codes.get('22423')!]));
    for (const rule of rules) assert.ok(rule.lift > 4 && rule.confidence > 0.3, JSON.stringify(rule));
  });
});

describe('association-rules on very large baskets', () => {
  it('leaves baskets above maxBasketSize out of pair counting but keeps their item support', async () => {
    const { mineRules } = await import('./mining.js');
    const big = Int32Array.from({ length: 40 }, (_, i) => i);
    const baskets = [Int32Array.of(0, 1), Int32Array.of(0, 1), big];
    const all = mineRules(baskets, 40, { minSupport: 0, minConfidence: 0, minLift: 0, maxLength: 2 });
    const capped = mineRules(baskets, 40, { minSupport: 0, minConfidence: 0, minLift: 0, maxLength: 2, maxBasketSize: 10 });
    assert.equal(all.itemCounts[0], 3);
    assert.equal(capped.itemCounts[0], 3, 'the big basket still counts toward support');
    // Without the cap the 40-item basket yields 40·39 directed rules on top of 0↔1.
    assert.equal(all.singleConsequent.length, 40 * 39);
    assert.deepEqual([...capped.singleConsequent].sort(), [0, 1]);
  });
});
