// Hand-built propensity checks every SQL backend runs (see sqlite.test.ts, postgres.test.ts): the
// features of one customer worked by hand, labels and populations on both sides of the cut-off,
// and the leakage check — events added after the cut-off must not change any feature.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Event } from '../../core/types.js';
import type { Store } from '../../store/store.js';
import { loadActivity } from './activity.js';
import { CORE_FEATURES, fitFeatureSpec, populationAt } from './feature-spec.js';
import { featureTable } from './features.js';
import { labelsAt } from './labels.js';

const DAY = 86_400_000;
/** The cut-off of the checks. */
export const CUTOFF = Date.UTC(2024, 5, 1);
const at = (days: number): number => CUTOFF + days * DAY;

/**
 * - a: order o1 40 days before (2 × k at 5 and 1 × h at 20 = 30), order o2 10 days before (1 × k at 10),
 *   a return of one k (10) 5 days before, a view 3 days before, a purchase 5 days after.
 * - b: one order 100 days before (1 × g at 50), nothing after.
 * - c: two views 2 days before, a purchase exactly at the cut-off (label side, not feature side).
 * - d: first seen after the cut-off.
 */
export function propensityEvents(): Event[] {
  let n = 0;
  const e = (fields: Partial<Event> & Pick<Event, 'type' | 'timestamp'>): Event => makeEvent({ id: `p${++n}`, ...fields });
  return [
    e({ type: 'purchase', userId: 'a', itemId: 'k', orderId: 'o1', quantity: 2, price: 5, timestamp: at(-40) }),
    e({ type: 'purchase', userId: 'a', itemId: 'h', orderId: 'o1', quantity: 1, price: 20, timestamp: at(-40) }),
    e({ type: 'purchase', userId: 'a', itemId: 'k', orderId: 'o2', quantity: 1, price: 10, timestamp: at(-10) }),
    e({ type: 'return', userId: 'a', itemId: 'k', orderId: 'o2', quantity: 1, price: 10, timestamp: at(-5) }),
    e({ type: 'view', userId: 'a', itemId: 'g', timestamp: at(-3) }),
    e({ type: 'purchase', userId: 'a', itemId: 'g', orderId: 'o4', quantity: 1, price: 50, timestamp: at(5) }),
    e({ type: 'purchase', userId: 'b', itemId: 'g', orderId: 'o3', quantity: 1, price: 50, timestamp: at(-100) }),
    e({ type: 'view', userId: 'c', itemId: 'k', timestamp: at(-2) }),
    e({ type: 'view', userId: 'c', itemId: 'h', timestamp: at(-2) }),
    e({ type: 'purchase', userId: 'c', itemId: 'k', orderId: 'o5', quantity: 1, price: 10, timestamp: CUTOFF }),
    e({ type: 'purchase', userId: 'd', itemId: 'k', orderId: 'o6', quantity: 1, price: 10, timestamp: at(3) }),
  ];
}

/** Events after the cut-off that must leave every feature at the cut-off unchanged. */
export function lateEvents(): Event[] {
  return [
    makeEvent({ id: 'late1', type: 'purchase', userId: 'b', itemId: 'k', orderId: 'o9', quantity: 50, price: 100, timestamp: at(1) }),
    makeEvent({ id: 'late2', type: 'view', userId: 'a', itemId: 'k', timestamp: CUTOFF }),
    makeEvent({ id: 'late3', type: 'return', userId: 'a', itemId: 'h', orderId: 'o1', quantity: 1, price: 20, timestamp: at(2) }),
    makeEvent({ id: 'late4', type: 'add_to_cart', userId: 'c', itemId: 'g', timestamp: at(0.5) }),
    makeEvent({ id: 'late5', type: 'purchase', userId: 'e', itemId: 'x', orderId: 'o10', quantity: 1, price: 5, timestamp: at(1) }),
  ];
}

/** Runs the hand-built checks against a fresh, empty store made by `open`. */
export function runPropensityCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`propensity features on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({
        users: [makeUser('a', { attributes: { country: 'UK' } }), makeUser('b', { attributes: { country: 'France' } }), makeUser('c', { attributes: { country: 'UK' } }), makeUser('d')],
        items: [makeItem('k', { categories: ['Kitchen'] }), makeItem('h', { categories: ['Home'] }), makeItem('g', { categories: ['Garden'] })],
        events: propensityEvents(),
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('computes every feature of one customer as worked by hand', async () => {
      const log = await loadActivity(store);
      const users = populationAt(log, CUTOFF, 'any-activity');
      assert.deepEqual(Array.from(users, (u) => log.userIds[u]), ['a', 'b', 'c']);
      const spec = fitFeatureSpec(log, CUTOFF, users);
      assert.deepEqual(spec.engagementTypes, ['view']);
      // Spend before the cut-off: Garden 50 (b), Kitchen 10 + 10 and Home 20 (a).
      assert.deepEqual(spec.shareCategories, ['Garden', 'Home', 'Kitchen']);
      assert.deepEqual(spec.attributeColumns.map((c) => c.name), ['country=UK', 'country=France']);
      const table = featureTable(log, CUTOFF, users, spec);
      const row = (user: string): Record<string, number> => {
        const r = table.userIds.indexOf(user);
        return Object.fromEntries(table.names.map((f, j) => [f, table.values[r * table.d + j]!]));
      };
      const a = row('a');
      const expected: Record<string, number> = {
        recencyDays: 10,
        daysSinceLastEvent: 3,
        tenureDays: 40,
        daysSinceFirstPurchase: 40,
        orders7: 0,
        orders30: 1,
        orders90: 2,
        orders365: 2,
        ordersTotal: 2,
        lines30: 1,
        lines90: 3,
        revenue90: 40,
        revenue365: 40,
        revenueTotal: 40,
        meanBasket: 20,
        unitsPerOrder: 2,
        purchaseRate30: 1.5, // 2 orders over 40 days, per 30 days
        activePeriods12: 2, // 30-day periods 0 (10 days ago) and 1 (40 days ago)
        activeWeeks13: 2, // weeks 1 and 5
        activeShare: 1, // both of the ⌈40/30⌉ = 2 periods since the first order
        decayedOrders30: 2 ** (-40 / 30) + 2 ** (-10 / 30),
        decayedOrders90: 2 ** (-40 / 90) + 2 ** (-10 / 90),
        interPurchaseMeanDays: 30,
        interPurchaseStdDays: Number.NaN, // one gap has no spread
        recencyOverCycle: 10 / 30,
        ordersTrend30: 0, // one order in the last 30 days, one in the 30 before
        revenueTrend30: Math.log1p(10) - Math.log1p(30),
        distinctItems: 2,
        distinctCategories: 2,
        itemsPerLine: 2 / 3,
        returnsShare: 0.25,
        returnOrders: 1,
        view7: 1,
        view30: 1,
        view90: 1,
        'share:Garden': 0,
        'share:Home': 0.5,
        'share:Kitchen': 0.5,
        'country=UK': 1,
        'country=France': 0,
      };
      assert.deepEqual(Object.keys(a), Object.keys(expected));
      assert.equal(CORE_FEATURES.length + 3 + 3 + 2, table.d);
      for (const [f, v] of Object.entries(expected)) {
        if (Number.isNaN(v)) assert.ok(Number.isNaN(a[f]!), `${f}: ${a[f]}`);
        else assert.ok(Math.abs(a[f]! - v) < 1e-9, `${f}: ${a[f]} vs ${v}`);
      }
      // c has only views: no purchase features, and the purchase at the cut-off is not one of them.
      const c = row('c');
      assert.ok(Number.isNaN(c.recencyDays!));
      assert.deepEqual([c.ordersTotal, c.revenueTotal, c.daysSinceLastEvent, c.tenureDays, c.view7, c.distinctItems], [0, 0, 2, 2, 2, 0]);
    });

    it('labels the window [cut-off, cut-off + N) for purchase and churn', async () => {
      const log = await loadActivity(store);
      const anyone = populationAt(log, CUTOFF, 'any-activity');
      assert.deepEqual(Array.from(labelsAt(log, anyone, CUTOFF, 30, 'purchase')), [1, 0, 1]);
      // A 4-day window ends before a's purchase at +5 days; c's at exactly the cut-off is inside.
      assert.deepEqual(Array.from(labelsAt(log, anyone, CUTOFF, 4, 'purchase')), [0, 0, 1]);
      const buyers = populationAt(log, CUTOFF, 'purchasers');
      assert.deepEqual(Array.from(buyers, (u) => log.userIds[u]), ['a', 'b']);
      assert.deepEqual(Array.from(labelsAt(log, buyers, CUTOFF, 30, 'churn')), [0, 1]);
    });

    it('does not leak: events after the cut-off change no feature and no column', async () => {
      const before = await loadActivity(store);
      const usersBefore = populationAt(before, CUTOFF, 'any-activity');
      const specBefore = fitFeatureSpec(before, CUTOFF, usersBefore);
      const tableBefore = featureTable(before, CUTOFF, usersBefore, specBefore);
      await store.write({ users: [makeUser('e')], items: [makeItem('x', { categories: ['Toys'] })], events: lateEvents() });
      const later = await loadActivity(store);
      const usersLater = populationAt(later, CUTOFF, 'any-activity');
      const specLater = fitFeatureSpec(later, CUTOFF, usersLater);
      const tableLater = featureTable(later, CUTOFF, usersLater, specLater);
      assert.deepEqual(specLater, specBefore);
      assert.deepEqual(tableLater.userIds, tableBefore.userIds);
      assert.deepEqual(Array.from(tableLater.values), Array.from(tableBefore.values));
      // The late events are there: b now buys in the label window, and e is scored later on.
      assert.deepEqual(Array.from(labelsAt(later, usersLater, CUTOFF, 30, 'purchase')), [1, 1, 1]);
      assert.equal(populationAt(later, CUTOFF + 4 * DAY, 'any-activity').length, 5);
    });
  });
}
