import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csrFromTriples } from '../dataset/csr.js';
import {
  auc,
  catalogCoverage,
  hitAtK,
  intraListDiversity,
  mae,
  map,
  mapAtK,
  mrrAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  rankedAuc,
  rankingMetrics,
  recallAtK,
  relevantSets,
  rmse,
  type RankedLists,
  type RelevantSets,
} from './metrics.js';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} ≠ ${expected}`);

/*
 * The MS-Recommenders-style example, k = 3:
 *   user 0: recs [1, 2, 3], relevant {1, 3, 5, 7} → hits at ranks 1 and 3
 *   user 1: recs [4, 5, 6], relevant {6}          → hit at rank 3
 *   user 2: recs [7, 8, 9], relevant {1, 2}       → no hit
 *   user 3: recs but no relevant items, user 4: relevant items but no recs → not counted
 */
const recs: RankedLists = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3], undefined];
const truth: RelevantSets = [new Set([1, 3, 5, 7]), new Set([6]), new Set([1, 2]), undefined, new Set([1])];
const inv3 = 1 / Math.log2(3); // 0.6309…

describe('ranking metrics on the 3-user example (k = 3)', () => {
  const cases: [string, (r: RankedLists, t: RelevantSets, k: number) => number, number][] = [
    // (2/3 + 1/3 + 0) / 3 = 1/3
    ['precision@k', precisionAtK, 1 / 3],
    // (2/4 + 1/1 + 0) / 3 = 0.5
    ['recall@k', recallAtK, 0.5],
    // user 0: DCG = 1/log2(2) + 1/log2(4) = 1.5, IDCG over min(4, 3) = 3 positions = 1 + 1/log2(3) + 0.5
    // user 1: DCG = 1/log2(4) = 0.5, IDCG = 1;  mean = (1.5 / (1.5 + 1/log2 3) + 0.5) / 3 ≈ 0.401306
    ['ndcg@k', ndcgAtK, (1.5 / (1.5 + inv3) + 0.5) / 3],
    // precision sums: user 0: 1/1 + 2/3 = 5/3, user 1: 1/3, user 2: 0
    // map divides by |relevant|: (5/3 / 4 + 1/3 / 1 + 0) / 3 = (5/12 + 4/12) / 3 = 0.25
    ['map', map, 0.25],
    // map@k divides by min(|relevant|, k): (5/3 / 3 + 1/3 / 1 + 0) / 3 = (5/9 + 3/9) / 3 = 8/27
    ['map@k', mapAtK, 8 / 27],
    // users 0 and 1 hit: 2/3
    ['hit@k', hitAtK, 2 / 3],
    // (1/1 + 1/3 + 0) / 3 = 4/9
    ['mrr@k', mrrAtK, 4 / 9],
  ];
  for (const [name, metric, expected] of cases) it(name, () => close(metric(recs, truth, 3), expected));
});

describe('cut-off and counting rules', () => {
  it('cuts lists at k and divides precision by k, not the list length', () => {
    // k = 1: user 0's top-1 is 9, not relevant.
    assert.equal(precisionAtK([[9, 1]], [new Set([1])], 1), 0);
    assert.equal(hitAtK([[9, 1]], [new Set([1])], 1), 0);
    // k = 4 with a 2-item list holding 1 hit: 1/4.
    assert.equal(precisionAtK([[9, 1]], [new Set([1])], 4), 0.25);
  });

  it('is 0 when no user can be counted, and rejects k < 1', () => {
    assert.equal(ndcgAtK([undefined], [new Set([1])], 5), 0);
    assert.throws(() => precisionAtK(recs, truth, 0), RangeError);
  });

  it('builds relevant sets from a test matrix', () => {
    const m = csrFromTriples(3, 4, Int32Array.of(0, 0, 2), Int32Array.of(3, 1, 0), Float32Array.of(1, 1, 1));
    assert.deepEqual(relevantSets(m), [new Set([1, 3]), new Set(), new Set([0])]);
  });
});

describe('auc', () => {
  it('counts correctly ordered (relevant, other) pairs with ties as 1/2', () => {
    // scores [0.9, 0.1, 0.5, 0.5], relevant {0, 2}: pairs (0>1) ✓ (0>3) ✓ (2>1) ✓ (2=3) ½ → 3.5/4
    close(auc([[0.9, 0.1, 0.5, 0.5]], [new Set([0, 2])]), 0.875);
    // Excluding item 3 leaves (0>1) ✓ (2>1) ✓ → 1
    close(auc((u) => (u === 0 ? [0.9, 0.1, 0.5, 0.5] : undefined), [new Set([0, 2])], [new Set([3])]), 1);
  });

  it('has a top-k form that treats unlisted items as tied', () => {
    // 5 items, list [2, 0, 4], relevant {0, 3}: negatives {1, 2, 4}.
    // item 0 beats 4 and 1 (2 of 3); item 3 (unlisted) loses to 2 and 4, ties 1 → ½. (2 + ½) / 6
    close(rankedAuc([[2, 0, 4]], [new Set([0, 3])], 3, 5), 2.5 / 6);
    // The same as full scores that rank the list first and tie the rest.
    close(auc([[2, 0, 3, 0, 1]], [new Set([0, 3])]), 2.5 / 6);
  });
});

describe('beyond-accuracy metrics', () => {
  it('catalogCoverage counts distinct items in the top k', () => {
    close(catalogCoverage([[1, 2], [2, 3]], 10), 3 / 10);
    close(catalogCoverage([[1, 2], [2, 3]], 10, 1), 2 / 10);
  });

  it('intraListDiversity averages 1 − similarity over pairs', () => {
    const sim = (a: number, b: number) => (a + b === 1 ? 1 : 0); // items 0 and 1 are the same
    // [0, 1, 2]: (0,1) → 0, (0,2) → 1, (1,2) → 1 → 2/3; [3, 4] → 1; [5] is skipped.
    close(intraListDiversity([[0, 1, 2], [3, 4], [5]], sim), (2 / 3 + 1) / 2);
  });

  it('novelty is the mean −log2 of popularity shares', () => {
    // shares 4/8, 2/8, 1/8 → 1, 2, 3 bits; item 4 has no popularity and is skipped.
    close(novelty([[0, 1], [2, 4]], [4, 2, 1, 1, 0]), 2);
    // MS form: popularity = users per item, total = number of users (8 here too).
    close(novelty([[0]], [4, 2], Infinity, 8), 1);
  });

  it('rmse and mae', () => {
    // errors 0, −2, 3: rmse = √(13/3), mae = 5/3
    close(rmse([1, 2, 3], [1, 4, 0]), Math.sqrt(13 / 3));
    close(mae([1, 2, 3], [1, 4, 0]), 5 / 3);
    assert.throws(() => rmse([1], [1, 2]), RangeError);
  });
});

describe('rankingMetrics', () => {
  it('reports every metric under the JSON names', () => {
    const m = rankingMetrics(recs, truth, 3, { itemCount: 10 });
    assert.deepEqual(Object.keys(m).sort(), ['auc', 'coverage', 'hit@k', 'map', 'map@k', 'mrr@k', 'ndcg@k', 'precision@k', 'recall@k']);
    close(m['precision@k'], 1 / 3);
    close(m['map@k'], 8 / 27);
    close(m.coverage, 9 / 10); // items 1..9
    assert.ok(m.auc > 0 && m.auc < 1);
  });

  it('leaves auc and coverage NaN without a catalogue size or scores', () => {
    const m = rankingMetrics(recs, truth, 3);
    assert.ok(Number.isNaN(m.auc));
    assert.ok(Number.isNaN(m.coverage));
  });
});
