import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datasetFromLog } from '../dataset/derive.js';
import { Random } from '../math/random.js';
import { datasetFromTriples, type Triple } from '../models/fixtures.case.js';
import { createModel } from '../models/registry.js';
import { auc } from './metrics.js';
import { scoreTestUsers, streamingUserAuc } from './score-users.js';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

/**
 * Items a=0 … e=4. Train (days 0–7): u0 {a,b}, u1 {a,c}, u2 {a,b,d}, u3 {c}, so popularity is
 * a 3, b 2, c 2, d 1, e 0. Test (day 10+): u0 {c,e}, u1 {b}, u3 {a,d}; u2 has no test items.
 */
function toySplit() {
  const TEST_DAY = 10;
  const triples: Triple[] = [
    [0, 0, 1, 0], [0, 1, 1, 1], [1, 0, 1, 2], [1, 2, 1, 3], [2, 0, 1, 4], [2, 1, 1, 5], [2, 3, 1, 6], [3, 2, 1, 7],
    [0, 2, 1, 10], [0, 4, 1, 11], [1, 1, 1, 12], [3, 0, 1, 13], [3, 3, 1, 14],
  ];
  const all = datasetFromTriples(4, 5, triples);
  const day = (e: number): number => (all.log.time[e]! - all.log.time[0]!) / 86_400_000;
  return { train: datasetFromLog(all, (e) => day(e) < TEST_DAY), test: datasetFromLog(all, (e) => day(e) >= TEST_DAY) };
}

describe('scoreTestUsers', () => {
  it('matches metrics worked out by hand for popularity at k = 2', async () => {
    const { train, test } = toySplit();
    const model = createModel('popularity');
    await model.fit(train);
    // Seen items removed, ties to the lower index: u0 → [c, d], u1 → [b, d], u3 → [a, b].
    const { metrics, users } = scoreTestUsers(model, train.matrix, test.matrix, { k: 2 });
    assert.equal(users, 3);
    close(metrics['precision@k'], 0.5);
    close(metrics['recall@k'], (0.5 + 1 + 0.5) / 3);
    const ideal2 = 1 + 1 / Math.log2(3);
    close(metrics['ndcg@k'], (1 / ideal2 + 1 + 1 / ideal2) / 3);
    close(metrics['map@k'], (0.5 + 1 + 0.5) / 3);
    close(metrics.map, (0.5 + 1 + 0.5) / 3);
    close(metrics['hit@k'], 1);
    close(metrics['mrr@k'], 1);
    // u0: c beats d, e loses to d → 1/2; u1: b beats d and e → 1; u3: a beats b, e; d beats e only → 3/4.
    close(metrics.auc, (0.5 + 1 + 0.75) / 3);
    // a, b, c, d recommended out of 5 items.
    close(metrics.coverage, 4 / 5);
  });

  it('keeps training items when removeSeen is false', async () => {
    const { train, test } = toySplit();
    const model = createModel('popularity');
    await model.fit(train);
    // Everyone gets [a, b]: u0 has no hit, u1 hits b at rank 2, u3 hits a at rank 1.
    const { metrics } = scoreTestUsers(model, train.matrix, test.matrix, { k: 2, removeSeen: false });
    close(metrics['precision@k'], (0 + 0.5 + 0.5) / 3);
    close(metrics['mrr@k'], (0 + 0.5 + 1) / 3);
  });
});

describe('streamingUserAuc', () => {
  it('equals the sorting AUC of metrics.ts on random scores with ties and exclusions', () => {
    const rng = new Random(7);
    const items = 60;
    const excluded = new Int32Array(items).fill(-1);
    const positives = new Float64Array(items);
    for (let trial = 0; trial < 200; trial++) {
      // Few distinct values, so ties are common.
      const scores = Float32Array.from({ length: items }, () => rng.nextInt(8));
      const relevant = new Set<number>();
      const seen = new Set<number>();
      for (let i = 0; i < items; i++) {
        const r = rng.nextFloat();
        if (r < 0.15) relevant.add(i);
        else if (r < 0.35) seen.add(i);
      }
      for (const i of seen) excluded[i] = trial;
      // One relevant item also seen: it is no candidate on either side.
      if (seen.size > 0) relevant.add([...seen][0]!);
      const expected = auc([scores], [relevant], [seen]);
      const actual = streamingUserAuc(scores, Int32Array.from(relevant), excluded, trial, positives);
      if (Number.isNaN(actual)) assert.equal(expected, 0);
      else close(actual, expected);
      for (const i of seen) assert.equal(excluded[i], trial, 'training stamps survive');
    }
  });

  it('is NaN without positives or without negatives, and ranks NaN scores lowest', () => {
    const excluded = new Int32Array(3).fill(-1);
    const positives = new Float64Array(3);
    assert.ok(Number.isNaN(streamingUserAuc(Float32Array.of(1, 2, 3), [], excluded, 0, positives)));
    assert.ok(Number.isNaN(streamingUserAuc(Float32Array.of(1, 2, 3), [0, 1, 2], excluded, 0, positives)));
    close(streamingUserAuc(Float32Array.of(Number.NaN, 0, 1), [1], excluded, 0, positives), 0.5);
  });
});
