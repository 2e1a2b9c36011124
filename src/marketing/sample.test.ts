// Segments of the bundled Online Retail sample (Sep–Nov 2011), with R, F and M checked against a
// naive walk over every event, written without the marketing or analytics helpers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../store/index.js';
import { segmentCustomers, type Segmentation } from './segments.js';
import { openSampleStore } from '../ingest/sample-store.case.js';

interface Naive {
  last: number;
  orders: Set<string>;
  net: number;
}

describe('segments on the Online Retail sample', () => {
  let store: Store;
  let rfm: Segmentation;
  const naive = new Map<string, Naive>();
  before(async () => {
    store = await openSampleStore();
    rfm = await segmentCustomers(store, { method: 'rfm' });
    for await (const e of store.iterateEvents({ batchSize: 20_000, to: rfm.asOf })) {
      if (e.userId === null || (e.type !== 'purchase' && e.type !== 'return')) continue;
      let n = naive.get(e.userId);
      if (!n) naive.set(e.userId, (n = { last: Number.NEGATIVE_INFINITY, orders: new Set(), net: 0 }));
      const amount = (e.quantity ?? 1) * (e.price ?? 0);
      if (e.type === 'purchase') {
        n.last = Math.max(n.last, e.timestamp);
        n.orders.add(e.orderId ?? `@${e.timestamp}`);
        n.net += amount;
      } else n.net -= amount;
    }
  });
  after(async () => {
    await store.close();
  });

  it('assigns every customer once; segment sizes add up; Champions outspend the Lost', () => {
    const buyers = [...naive.entries()].filter(([, n]) => n.orders.size > 0).map(([id]) => id).sort();
    assert.deepEqual(rfm.customers.map((c) => c.userId), buyers);
    assert.ok(buyers.length > 1000, `${buyers.length} customers`);
    assert.equal(rfm.segments.reduce((sum, s) => sum + s.size, 0), buyers.length);
    const champions = rfm.segments.find((s) => s.segment === 'Champions')!;
    const lost = rfm.segments.find((s) => s.segment === 'Lost')!;
    assert.ok(champions.meanMonetary > 5 * lost.meanMonetary, `${champions.meanMonetary} vs ${lost.meanMonetary}`);
    assert.ok(champions.meanFrequency > lost.meanFrequency && champions.medianRecencyDays < lost.medianRecencyDays);
    // The sample ends on 30 November 2011 (a Wednesday), so asOf is midnight on 1 December.
    assert.equal(new Date(rfm.asOf).toISOString(), '2011-12-01T00:00:00.000Z');
  });

  it('agrees with the naive R, F and M of every customer, and its quintile scores for a few', () => {
    for (const c of rfm.customers) {
      const n = naive.get(c.userId)!;
      assert.equal(c.features.lastPurchaseAt, n.last, c.userId);
      assert.equal(c.features.frequency, n.orders.size, c.userId);
      assert.ok(Math.abs(c.features.monetary - n.net) < 1e-6, `${c.userId}: ${c.features.monetary} vs ${n.net}`);
    }
    // Score = 1 + ⌊5 × (customers strictly worse) ÷ n⌋, counted directly for a handful of customers.
    const all = rfm.customers.map((c) => naive.get(c.userId)!);
    const score = (worse: number): number => 1 + Math.floor((5 * worse) / all.length);
    for (const c of rfm.customers.filter((_, i) => i % 397 === 0)) {
      const n = naive.get(c.userId)!;
      assert.equal(c.rfm.r, score(all.filter((o) => o.last < n.last).length), `R of ${c.userId}`);
      assert.equal(c.rfm.f, score(all.filter((o) => o.orders.size < n.orders.size).length), `F of ${c.userId}`);
      assert.equal(c.rfm.m, score(all.filter((o) => o.net < n.net - 1e-9).length), `M of ${c.userId}`);
    }
  });

  it('clusters with k-means, k chosen by silhouette, reproducibly, with described segments', async () => {
    const first = await segmentCustomers(store, { method: 'kmeans', seed: 3 });
    // The chosen k again, fixed: the same seed must give the same clusters.
    const again = await segmentCustomers(store, { method: 'kmeans', k: first.kmeans!.k, seed: 3 });
    const info = first.kmeans!;
    assert.ok(info.k >= 2 && info.k <= 8);
    assert.deepEqual(info.candidates.map((c) => c.k), [2, 3, 4, 5, 6, 7, 8]);
    assert.equal(info.silhouette, Math.max(...info.candidates.map((c) => c.silhouette)));
    assert.ok(info.silhouette > 0.2, `silhouette ${info.silhouette}`);
    assert.deepEqual(again.customers.map((c) => c.segment), first.customers.map((c) => c.segment));
    assert.equal(first.segments.reduce((sum, s) => sum + s.size, 0), rfm.customers.length);
    for (const s of first.segments) {
      assert.match(s.description, /^(one-time|occasional|regular|frequent) (low|mid|high) spenders, last seen (today|\d+ days? ago)(, (love|mostly) .+)?$/);
      assert.ok(s.topCategories.length > 0 && s.topCategories.length <= 3);
    }
  });
});
