// The semi-synthetic campaign on the bundled Online Retail sample: real customers and purchases in
// November 2011, a simulated treatment by the stated rule. Checks that the simulation does exactly
// what the rule says, and that the estimators find some of the effect it plants.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../store/index.js';
import { upliftAnalysis } from './analysis.js';
import { campaignData, hashUniform, semiSyntheticCampaign, SIMULATED_EFFECT, type SemiSyntheticCampaign } from './campaign-data.js';
import { openSampleStore } from '../../ingest/sample-store.case.js';

describe('semi-synthetic campaign on the Online Retail sample', () => {
  let store: Store;
  let campaign: SemiSyntheticCampaign;
  before(async () => {
    store = await openSampleStore();
    campaign = await semiSyntheticCampaign(store, { seed: 5 });
  });
  after(async () => {
    await store.close();
  });

  it('is labelled, randomised 50/50 and changes outcomes only as the rule states', () => {
    assert.equal(campaign.kind, 'semi-synthetic');
    assert.match(campaign.rule[0]!, /^SEMI-SYNTHETIC/);
    assert.equal(new Date(campaign.cutoff).toISOString(), '2011-11-01T00:00:00.000Z');
    const n = campaign.x.n;
    const share = campaign.t.reduce((a, b) => a + b, 0) / n;
    assert.ok(n > 2000 && Math.abs(share - 0.5) < 0.03, `${n} customers, ${share} treated`);
    const gain: Record<string, number> = { lapsing: SIMULATED_EFFECT.lapsing, 'recent-one-time': SIMULATED_EFFECT.recentOneTime, 'sleeping-dogs': 0, none: 0 };
    for (let i = 0; i < n; i++) {
      const y0 = campaign.realOutcome[i]!;
      const seg = campaign.segment[i]!;
      if (campaign.t[i] === 0 || seg === 'none') assert.equal(campaign.y[i], y0, 'control and unaffected customers keep their real outcome');
      else if (seg === 'sleeping-dogs') assert.ok(campaign.y[i]! <= y0);
      else assert.ok(campaign.y[i]! >= y0);
      const u = hashUniform(5, 'effect', campaign.userIds[i]!);
      if (campaign.t[i] === 1 && y0 === 0 && seg !== 'sleeping-dogs') assert.equal(campaign.y[i], Number(u < gain[seg]!));
      const expected = seg === 'sleeping-dogs' ? -SIMULATED_EFFECT.sleepingDogs * y0 : gain[seg]! * (1 - y0);
      assert.equal(campaign.trueUplift[i], expected);
    }
    // Segments follow features at the cut-off: a lapsing customer has 2+ orders, the last 30–180 days ago.
    const r = campaign.names.indexOf('recencyDays');
    const o = campaign.names.indexOf('ordersTotal');
    campaign.segment.forEach((seg, i) => {
      if (seg !== 'lapsing') return;
      const [recency, orders] = [campaign.x.values[i * campaign.x.d + r]!, campaign.x.values[i * campaign.x.d + o]!];
      assert.ok(orders >= 2 && recency >= 30 && recency <= 180);
    });
  });

  it('estimators find more of the planted effect than a random ranking', () => {
    const result = upliftAnalysis(campaign, { seed: 5 });
    assert.ok(result.oracle!.qini.coefficient > result.random.qini.coefficient + 0.03);
    const correlations = result.estimators.map((e) => e.trueRankCorrelation!);
    assert.ok(correlations.reduce((a, b) => a + b, 0) / correlations.length > 0.15, `${correlations}`);
    const best = Math.max(...result.estimators.map((e) => e.qini.coefficient));
    assert.ok(best > result.random.qini.coefficient, `${best} vs random ${result.random.qini.coefficient}`);
  });

  it('joins a real campaign file to features at its start, leaving out unknown customers', async () => {
    const data = await campaignData(store, [
      { userId: campaign.userIds[0]!, treated: true, converted: true },
      { userId: campaign.userIds[1]!, treated: false, converted: false },
      { userId: 'nobody', treated: true, converted: false },
    ], { cutoff: '2011-11-01' });
    assert.deepEqual([data.x.n, data.unknownUsers, [...data.y], [...data.t]], [2, 1, [1, 0], [1, 0]]);
    assert.deepEqual(Array.from(data.x.values.subarray(0, data.x.d)), Array.from(campaign.x.values.subarray(0, campaign.x.d)));
    await assert.rejects(campaignData(store, [{ userId: 'a', treated: true, converted: true }, { userId: 'a', treated: false, converted: true }], { cutoff: '2011-11-01' }), /assigned twice/);
  });
});
