// Purchase propensity on the bundled Online Retail sample (Sep–Nov 2011): train at 2 October with
// labels to 1 November, test at 1 November with labels to 1 December. One month of history at the
// training cut-off makes this much harder than the full year: AUC ≈ 0.68 here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../store/index.js';
import { trainPropensity } from './train.js';
import type { PropensityResult } from './types.js';
import { openSampleStore } from '../../ingest/sample-store.case.js';

describe('purchase propensity on the Online Retail sample', () => {
  let store: Store;
  let result: PropensityResult;
  before(async () => {
    store = await openSampleStore();
    result = await trainPropensity(store, { target: 'purchase', folds: 3, scoreAt: '2011-11-01' });
  });
  after(async () => {
    await store.close();
  });

  it('tests on the later window, both models well above chance', () => {
    assert.equal(new Date(result.trainCutoff).toISOString(), '2011-10-02T00:00:00.000Z');
    assert.equal(new Date(result.testCutoff).toISOString(), '2011-11-01T00:00:00.000Z');
    assert.ok(result.train.customers > 1000 && result.test.customers > result.train.customers);
    for (const kind of ['gbt', 'lr'] as const) {
      const m = result.models[kind];
      assert.ok(m.test.raw.auc! > 0.65, `${kind} AUC ${m.test.raw.auc}`);
      // Above the base rate, which is what a random ranking scores on average precision.
      assert.ok(m.test.raw.averagePrecision! > m.test.raw.baseRate + 0.12, `${kind} AP ${m.test.raw.averagePrecision} vs ${m.test.raw.baseRate}`);
      assert.equal(m.calibration.calibrated.reduce((s, b) => s + b.count, 0), result.test.customers);
      assert.equal(m.details.length, 3);
    }
    // Recency and frequency lead the trees' importances on retail data.
    const top = result.models.gbt.importances.slice(0, 8).map((i) => i.feature);
    assert.ok(top.some((f) => /^(recency|daysSince|orders|decayedOrders|active)/.test(f)), top.join(', '));
  });

  it('scores every customer at the scoring time, with labels and reasons, best first', () => {
    assert.equal(result.scoredAt, result.testCutoff);
    assert.equal(result.scores.length, result.test.customers);
    for (let i = 1; i < result.scores.length; i++) assert.ok(result.scores[i - 1]!.probability >= result.scores[i]!.probability);
    const s = result.scores[0]!;
    assert.ok(s.probability > 0.5 && s.probability <= 1 && (s.label === 0 || s.label === 1));
    assert.ok(s.reasons.length === 3 && s.reasons.every((r) => result.features.includes(r.feature)));
    // The top tenth buys far more often than the bottom half.
    const rate = (list: typeof result.scores): number => list.reduce((a, c) => a + c.label!, 0) / list.length;
    const n = result.scores.length;
    assert.ok(rate(result.scores.slice(0, n / 10)) > 2 * rate(result.scores.slice(n / 2)));
  });
});
