// Hand-built segmentation checks every SQL backend runs (see sqlite.test.ts, postgres.test.ts).
// Ten customers whose recency, orders and spend are chosen so the quintiles are worked by hand.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Event } from '../core/types.js';
import type { Store } from '../store/store.js';
import { customerFeatures } from './features.js';
import { rfmCode } from './rfm.js';
import { segmentCustomers } from './segments.js';

const DAY = 86_400_000;
/** The reference time of the checks. */
export const AS_OF = Date.UTC(2024, 3, 1);

/**
 * [user, days since last order, orders, net spend]. Orders are a week apart, one Kitchen line each
 * at spend ÷ orders, except where {@link caseEvents} says otherwise.
 *
 * Working (n = 10, score = 1 + ⌊5 × #strictly worse ÷ 10⌋):
 * - R on days (fewer is better): 120, 100 → 1; 80, 60 → 2; 30, 20 → 3; 10, 5 → 4; 2, 1 → 5.
 * - F on orders 1,1,1,1 | 2 | 3 | 4 | 5,5 | 6: ones → 1; 2 (4 worse) → 3; 3 (5 worse) → 3;
 *   4 (6 worse) → 4; 5 (7 worse) → 4; 6 (9 worse) → 5.
 * - M on spend 10, 15 → 1; 20, 40 → 2; 60, 300 → 3; 400, 500 → 4; 600, 700 → 5.
 * Segments from the grid in rfm.ts, FM = (F + M) / 2.
 */
export const CASE_CUSTOMERS: [string, number, number, number][] = [
  ['u01', 1, 5, 500], // R5 F4 M4, FM 4 → Champions
  ['u02', 2, 4, 400], // R5 F4 M4 → Champions (450 bought, 50 returned)
  ['u03', 5, 1, 20], // R4 F1 M2, FM 1.5 → Promising
  ['u04', 10, 3, 300], // R4 F3 M3, FM 3 → Loyal (one order of two lines)
  ['u05', 20, 2, 60], // R3 F3 M3 → Need attention
  ['u06', 30, 1, 40], // R3 F1 M2 → About to sleep
  ['u07', 60, 6, 600], // R2 F5 M5 → At risk
  ['u08', 80, 1, 10], // R2 F1 M1 → Hibernating
  ['u09', 100, 5, 700], // R1 F4 M5, FM 4.5 → Can't lose them
  ['u10', 120, 1, 15], // R1 F1 M1 → Lost (no order id, no quantity)
];

/** Expected RFM code and segment per user, from the working above. */
export const EXPECTED_RFM: Record<string, [string, string]> = {
  u01: ['544', 'Champions'],
  u02: ['544', 'Champions'],
  u03: ['412', 'Promising'],
  u04: ['433', 'Loyal'],
  u05: ['333', 'Need attention'],
  u06: ['312', 'About to sleep'],
  u07: ['255', 'At risk'],
  u08: ['211', 'Hibernating'],
  u09: ['145', "Can't lose them"],
  u10: ['111', 'Lost'],
};

/** The events of the ten customers, plus some that must not count. */
export function caseEvents(): Event[] {
  const events: Event[] = [];
  let n = 0;
  const buy = (user: string | null, ts: number, item: string, fields: Partial<Event>): void => {
    events.push(makeEvent({ id: `m${++n}`, type: 'purchase', userId: user, sessionId: user === null ? 'anon' : null, itemId: item, timestamp: ts, ...fields }));
  };
  for (const [user, days, orders, spend] of CASE_CUSTOMERS) {
    const last = AS_OF - days * DAY;
    const gross = user === 'u02' ? 450 : spend;
    for (let j = 0; j < orders; j++) {
      const ts = last - j * 7 * DAY;
      const orderId = `${user}-o${j}`;
      if (user === 'u10') buy(user, ts, 'k', { price: gross });
      else if (user === 'u04' && j === 0) {
        buy(user, ts, 'h', { orderId, quantity: 2, price: 30 });
        buy(user, ts, 'g', { orderId, quantity: 1, price: 40 });
      } else buy(user, ts, user === 'u07' ? 'h' : 'k', { orderId, quantity: 1, price: gross / orders });
    }
  }
  events.push(makeEvent({ id: `m${++n}`, type: 'return', userId: 'u02', itemId: 'k', orderId: 'u02-o0', quantity: 1, price: 50, timestamp: AS_OF - DAY }));
  // None of these may count: an anonymous buyer, a viewer who never bought, a purchase after asOf.
  buy(null, AS_OF - 3 * DAY, 'k', { orderId: 'anon-o', quantity: 1, price: 999 });
  events.push(makeEvent({ id: `m${++n}`, type: 'view', userId: 'v1', itemId: 'k', timestamp: AS_OF - DAY }));
  buy('u01', AS_OF + 4 * DAY + 10 * 3_600_000, 'k', { orderId: 'u01-late', quantity: 1, price: 1000 });
  return events;
}

/** Runs the hand-built checks against a fresh, empty store made by `open`. */
export function runMarketingCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`customer segments on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({
        users: CASE_CUSTOMERS.map(([id]) => makeUser(id)),
        items: [makeItem('k', { categories: ['Kitchen'] }), makeItem('h', { categories: ['Home', 'Lighting'] }), makeItem('g', { categories: ['Garden'] })],
        events: caseEvents(),
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('computes features from events before asOf only', async () => {
      const { asOf, customers } = await customerFeatures(store, { asOf: '2024-04-01' });
      assert.equal(asOf, AS_OF);
      assert.deepEqual(customers.map((c) => c.userId), CASE_CUSTOMERS.map(([id]) => id));
      const byId = new Map(customers.map((c) => [c.userId, c]));
      // u04: orders 10, 17, 24 days ago; the newest holds 2 × Home at 30 and 1 × Garden at 40.
      assert.deepEqual({ ...byId.get('u04')!, firstPurchaseAt: 0, lastPurchaseAt: 0 }, {
        userId: 'u04',
        firstPurchaseAt: 0,
        lastPurchaseAt: 0,
        recencyDays: 10,
        tenureDays: 24,
        frequency: 3,
        revenue: 300,
        returns: 0,
        monetary: 300,
        averageOrderValue: 100,
        distinctCategories: 3,
        returnRate: 0,
        categories: [
          { category: 'Kitchen', spend: 200 },
          { category: 'Home', spend: 60 },
          { category: 'Garden', spend: 40 },
        ],
      });
      // u02: 4 × 112.50 bought, 50 returned.
      const u02 = byId.get('u02')!;
      assert.deepEqual([u02.revenue, u02.returns, u02.monetary, u02.averageOrderValue, u02.frequency], [450, 50, 400, 112.5, 4]);
      assert.ok(Math.abs(u02.returnRate - 1 / 9) < 1e-12);
      // u01's purchase after asOf is left out: last order 1 day before, five orders of 100.
      const u01 = byId.get('u01')!;
      assert.deepEqual([u01.recencyDays, u01.tenureDays, u01.frequency, u01.monetary], [1, 29, 5, 500]);
      // u10: no order id and no quantity → one order, one unit at 15.
      const u10 = byId.get('u10')!;
      assert.deepEqual([u10.frequency, u10.monetary, u10.recencyDays], [1, 15, 120]);
    });

    it('defaults asOf to the midnight after the last event', async () => {
      const { asOf, customers } = await customerFeatures(store);
      // The late purchase is on 5 April at 10:00, so asOf is 6 April and it counts.
      assert.equal(asOf, Date.UTC(2024, 3, 6));
      assert.equal(customers.find((c) => c.userId === 'u01')!.monetary, 1500);
    });

    it('scores RFM quintiles and names segments as worked by hand', async () => {
      const result = await segmentCustomers(store, { method: 'rfm', asOf: AS_OF });
      const got = Object.fromEntries(result.customers.map((c) => [c.userId, [rfmCode(c.rfm), c.segment]]));
      assert.deepEqual(got, EXPECTED_RFM);
      assert.deepEqual(
        result.segments.map((s) => [s.segment, s.size]),
        [['Champions', 2], ['Loyal', 1], ['Promising', 1], ['Need attention', 1], ['About to sleep', 1], ['At risk', 1], ["Can't lose them", 1], ['Hibernating', 1], ['Lost', 1]]
      );
    });

    it('summarises a segment in numbers and words', async () => {
      const result = await segmentCustomers(store, { method: 'rfm', asOf: AS_OF });
      const champions = result.segments[0]!;
      // u01 and u02: 1 and 2 days, 5 and 4 orders, 500 and 400 net; 950 gross over 9 orders.
      assert.equal(champions.segment, 'Champions');
      assert.equal(champions.share, 0.2);
      assert.equal(champions.meanRecencyDays, 1.5);
      assert.equal(champions.meanFrequency, 4.5);
      assert.equal(champions.meanMonetary, 450);
      assert.equal(champions.totalMonetary, 900);
      assert.ok(Math.abs(champions.averageOrderValue - 950 / 9) < 1e-9);
      assert.deepEqual(champions.topCategories, [{ category: 'Kitchen', share: 1 }]);
      // Base: mean orders 29/10 = 2.9, median spend (60 + 300)/2 = 180, Kitchen 1,995 of 2,695 gross
      // (74%). Champions: mean 4.5 ≥ 1.5 × 2.9 → frequent; median 450 ≥ 2 × 180 → high; median
      // 1.5 days rounds to 2; Kitchen is 100% of their spend, ≥ 1.25 × 74% → love.
      assert.equal(champions.description, 'frequent high spenders, last seen 2 days ago, love Kitchen');
      // u04 alone: 3 orders (≈ 2.9) → regular; 300 < 360 → mid. Kitchen 200/300 is below its 74%
      // overall and Home 60/300 below its 660/2,695, but Garden 40/300 is 9 × its 40/2,695 → love.
      assert.equal(result.segments.find((s) => s.segment === 'Loyal')!.description, 'regular mid spenders, last seen 10 days ago, love Garden');
      const atRisk = result.segments.find((s) => s.segment === 'At risk')!;
      // u07 buys only Home, which is 660/2,695 of all spend.
      assert.equal(atRisk.description, 'frequent high spenders, last seen 60 days ago, love Home');
      const lost = result.segments.find((s) => s.segment === 'Lost')!;
      assert.equal(lost.description, 'one-time low spenders, last seen 120 days ago, love Kitchen');
    });

    it('clusters with k-means, every customer once, the same for the same seed', async () => {
      const first = await segmentCustomers(store, { method: 'kmeans', k: 3, asOf: AS_OF, seed: 5 });
      const again = await segmentCustomers(store, { method: 'kmeans', k: 3, asOf: AS_OF, seed: 5 });
      assert.equal(first.customers.length, 10);
      assert.equal(first.segments.reduce((sum, s) => sum + s.size, 0), 10);
      assert.deepEqual(first.segments.map((s) => s.segment), ['cluster 1', 'cluster 2', 'cluster 3']);
      assert.deepEqual(again.customers.map((c) => c.segment), first.customers.map((c) => c.segment));
      // Cluster 1 is the highest mean spend by construction of the names.
      const spends = first.segments.map((s) => s.meanMonetary);
      assert.deepEqual(spends, [...spends].sort((a, b) => b - a));
      assert.equal(first.kmeans?.k, 3);
    });
  });
}
