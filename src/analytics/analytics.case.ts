// Hand-built checks every SQL backend runs (see sqlite.test.ts, postgres.test.ts). The expected
// figures are worked out by hand from the events below; the comments show the working.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Event, type EventType } from '../core/types.js';
import type { Store } from '../store/store.js';
import { activeUsers } from './active-users.js';
import { funnel } from './funnel.js';
import { orders } from './orders.js';
import { periodLabel, type Granularity } from './periods.js';
import { repeatPurchase } from './repeat-purchase.js';
import { retention } from './retention.js';
import { periodSql, sqlRunner } from './sql.js';

const at = (iso: string): number => Date.parse(`${iso}:00Z`);

function ev(n: number, who: string, type: EventType, item: string, time: string, extra: Partial<Event> = {}): Event {
  // "s…" actors are anonymous sessions; everyone else is a known user.
  const anonymous = who.startsWith('s');
  return makeEvent({ id: `e${n}`, type, itemId: item, timestamp: at(time), userId: anonymous ? null : who, sessionId: anonymous ? who : null, ...extra });
}

/**
 * January–March 2024 (1 January 2024 is a Monday). Users a, b, c; anonymous sessions s1, s2.
 * Items: i1 (Home › Lighting, 10), i2 (Kitchen, 5).
 */
export const CASE_EVENTS: Event[] = [
  ev(1, 'a', 'view', 'i1', '2024-01-01T10:00', { sessionId: 'sa1' }),
  ev(2, 'a', 'add_to_cart', 'i1', '2024-01-01T10:05', { sessionId: 'sa1' }),
  ev(3, 'a', 'purchase', 'i1', '2024-01-01T10:10', { sessionId: 'sa1', quantity: 2, price: 10, orderId: 'o1' }),
  ev(4, 'a', 'purchase', 'i2', '2024-01-01T10:10', { sessionId: 'sa1', quantity: 1, price: 5, orderId: 'o1' }),
  ev(5, 'b', 'view', 'i2', '2024-01-03T09:00'),
  ev(6, 'b', 'view', 'i1', '2024-01-10T09:00'),
  ev(7, 'b', 'add_to_cart', 'i1', '2024-01-10T09:30'),
  ev(8, 's1', 'view', 'i1', '2024-01-15T12:00'),
  ev(9, 'a', 'view', 'i2', '2024-02-05T10:00', { sessionId: 'sa2' }),
  ev(10, 'a', 'purchase', 'i2', '2024-02-05T11:00', { sessionId: 'sa2', quantity: 3, price: 5, orderId: 'o2' }),
  ev(11, 'c', 'view', 'i1', '2024-02-06T10:00'),
  ev(12, 'c', 'purchase', 'i1', '2024-02-07T10:00', { quantity: 1, price: 10, orderId: 'o3' }),
  ev(13, 'a', 'return', 'i2', '2024-02-10T12:00', { quantity: 1, price: 5, orderId: 'o2' }),
  ev(14, 'b', 'purchase', 'i1', '2024-03-04T09:00', { quantity: 1, price: 10, orderId: 'o4' }),
  ev(15, 'c', 'purchase', 'i2', '2024-03-05T10:00', { quantity: 2, price: 5, orderId: 'o5' }),
  ev(16, 's2', 'purchase', 'i2', '2024-03-06T10:00', { quantity: 1, price: 5, orderId: 'o6' }),
  ev(17, 'c', 'view', 'i1', '2024-03-20T10:00'),
  // No order id, quantity or price: its own order, one unit, no revenue.
  ev(18, 'b', 'purchase', 'i2', '2024-03-04T09:00'),
];

const HOUR = 3600;
const DAY = 86_400;

/** Runs the hand-built analytics checks against a fresh, empty store made by `open`. */
export function runAnalyticsCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`analytics on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({
        users: [makeUser('a', { attributes: { country: 'UK' } }), makeUser('b', { attributes: { country: 'FR' } }), makeUser('c', { attributes: { country: 'UK' } })],
        items: [makeItem('i1', { categories: ['Home', 'Lighting'], price: 10 }), makeItem('i2', { categories: ['Kitchen'], price: 5 })],
        events: CASE_EVENTS,
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('labels periods in SQL exactly as periodLabel does (UTC, ISO weeks from Monday)', async () => {
      const sql = sqlRunner(store);
      const times = ['2020-12-31T23:59', '2021-01-03T23:59', '2021-01-04T00:00', '2024-02-29T12:00', '2024-03-31T23:59', '2024-01-07T00:00', '1999-12-31T00:00'].map(at);
      for (const by of ['day', 'week', 'month'] as Granularity[]) {
        for (const ts of [...times, at('2021-01-03T23:59') + 59_999]) {
          const [row] = await sql.all(
            `SELECT ${periodSql(sql.dialect, by, 'CAST(? AS BIGINT)')} AS direct, ${periodSql(sql.dialect, by, '(CAST(? AS BIGINT) / 86400000) * 86400000')} AS via_day`,
            [ts, ts],
          );
          assert.equal(row?.direct, periodLabel(ts, by), `${by} of ${new Date(ts).toISOString()}`);
          assert.equal(row?.via_day, periodLabel(ts, by));
        }
      }
    });

    it('active users by month: new, returning, anonymous sessions, per-user rates and DAU/MAU', async () => {
      const rows = await activeUsers(store, { by: 'month' });
      assert.deepEqual(rows, [
        // Jan: a (e1–4), b (e5–7) active and both new; s1 anonymous; 8 events, 7 of known users → 3.5 each.
        // Sessions: only a has one (sa1) → 1 per user with sessions. Days with events: Jan 1 (a), 3 (b),
        // 10 (b), 15 (s1 only: 0 users) → mean DAU 0.75, ÷ 2 monthly actives = 0.375.
        { period: '2024-01', activeUsers: 2, newUsers: 2, returningUsers: 0, activeSessions: 1, events: 8, eventsPerUser: 3.5, sessionsPerUser: 1, stickiness: 0.375 },
        // Feb: a (e9, 10, 13) returning, c (e11, 12) new; 5 events → 2.5; sessions: a's sa2 → 1.
        // Days: Feb 5 (a), 6 (c), 7 (c), 10 (a) → mean DAU 1, ÷ 2 = 0.5.
        { period: '2024-02', activeUsers: 2, newUsers: 1, returningUsers: 1, activeSessions: 0, events: 5, eventsPerUser: 2.5, sessionsPerUser: 1, stickiness: 0.5 },
        // Mar: b (e14, 18), c (e15, 17) returning; s2 anonymous; 5 events, 4 known → 2; no sessions of
        // known users → null. Days: Mar 4 (b), 5 (c), 6 (s2: 0), 20 (c) → 0.75 ÷ 2 = 0.375.
        { period: '2024-03', activeUsers: 2, newUsers: 0, returningUsers: 2, activeSessions: 1, events: 5, eventsPerUser: 2, sessionsPerUser: null, stickiness: 0.375 },
      ]);
    });

    it('active users by week: Monday labels, quiet weeks filled with zeros, DAU/WAU', async () => {
      const rows = await activeUsers(store, { by: 'week' });
      // Weeks from Mon 2024-01-01 to the week of Wed 2024-03-20 (Mon 03-18): 12 rows.
      assert.equal(rows.length, 12);
      assert.deepEqual(
        rows.map((r) => r.period),
        ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29', '2024-02-05', '2024-02-12', '2024-02-19', '2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18'],
      );
      // Week 1: a and b, both new; days Jan 1 (a) and Jan 3 (b) → mean DAU 1 ÷ 2 = 0.5.
      assert.deepEqual(rows[0], { period: '2024-01-01', activeUsers: 2, newUsers: 2, returningUsers: 0, activeSessions: 0, events: 5, eventsPerUser: 2.5, sessionsPerUser: 1, stickiness: 0.5 });
      // Week 2: b only, seen the week before.
      assert.equal(rows[1]?.activeUsers, 1);
      assert.equal(rows[1]?.returningUsers, 1);
      // Week 3: only the anonymous session s1.
      assert.deepEqual([rows[2]?.activeUsers, rows[2]?.activeSessions, rows[2]?.stickiness], [0, 1, null]);
      assert.deepEqual(rows[3], { period: '2024-01-22', activeUsers: 0, newUsers: 0, returningUsers: 0, activeSessions: 0, events: 0, eventsPerUser: null, sessionsPerUser: null, stickiness: null });
    });

    it('active users by day carry no stickiness and honour from/to', async () => {
      const rows = await activeUsers(store, { by: 'day', from: '2024-02-05', to: '2024-02-08' });
      assert.deepEqual(
        rows.map((r) => [r.period, r.activeUsers, r.newUsers, r.stickiness]),
        [
          ['2024-02-05', 1, 0, null], // a, first seen in January
          ['2024-02-06', 1, 1, null], // c's first event ever
          ['2024-02-07', 1, 0, null],
        ],
      );
    });

    it('retention by month: classic and rolling, cohorts by first event ever', async () => {
      // Cohort Jan = {a, b}: a active Jan, Feb (last +1); b active Jan, Mar (last +2).
      //   classic: +1 → a → 1/2, +2 → b → 1/2; rolling: +1 → a and b → 1, +2 → b → 1/2.
      // Cohort Feb = {c}: active Feb and Mar.
      assert.deepEqual(await retention(store, { by: 'month' }), [
        { cohort: '2024-01', size: 2, retention: [1, 0.5, 0.5], rollingRetention: [1, 1, 0.5] },
        { cohort: '2024-02', size: 1, retention: [1, 1], rollingRetention: [1, 1] },
      ]);
      // From February on, a and b (first seen in January) form no cohort.
      assert.deepEqual(await retention(store, { by: 'month', from: '2024-02' }), [{ cohort: '2024-02', size: 1, retention: [1, 1], rollingRetention: [1, 1] }]);
    });

    it('retention by week spans every week up to the last one with data', async () => {
      const rows = await retention(store, { by: 'week' });
      // a: weeks 01-01 (+0), 02-05 (+5); b: 01-01, 01-08 (+1), 03-04 (+9); the last week with data is 03-18 (+11).
      assert.deepEqual(rows[0], {
        cohort: '2024-01-01',
        size: 2,
        retention: [1, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5, 0, 0],
        rollingRetention: [1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0, 0],
      });
      // c: weeks 02-05 (+0), 03-04 (+4), 03-18 (+6).
      assert.deepEqual(rows[1], { cohort: '2024-02-05', size: 1, retention: [1, 0, 0, 0, 1, 0, 1], rollingRetention: [1, 1, 1, 1, 1, 1, 1] });
    });

    it('funnel view → add_to_cart → purchase within 30 days', async () => {
      // a: view 10:00 → cart 10:05 → purchase 10:10 (two lines, one time): 3 steps, gaps 300 s, 300 s.
      // b: first view Jan 3 09:00 starts; cart Jan 10 09:30 (7 d 30 min = 606,600 s); purchase Mar 4 is
      //    61 days after the start, outside the window. s1 and c: a view only. s2: no view.
      assert.deepEqual(await funnel(store), [
        { step: 1, event: 'view', users: 4, conversion: 1, stepConversion: 1, dropOff: 0, medianSecondsFromPrevious: null },
        { step: 2, event: 'add_to_cart', users: 2, conversion: 0.5, stepConversion: 0.5, dropOff: 2, medianSecondsFromPrevious: (300 + 606_600) / 2 },
        { step: 3, event: 'purchase', users: 1, conversion: 0.25, stepConversion: 0.5, dropOff: 1, medianSecondsFromPrevious: 300 },
      ]);
      // With 100 days b converts too: cart Jan 10 09:30 → purchase Mar 4 09:00 = 53 d 23.5 h.
      const wide = await funnel(store, { windowDays: 100 });
      assert.equal(wide[2]?.users, 2);
      assert.equal(wide[2]?.medianSecondsFromPrevious, (300 + 53 * DAY + 23.5 * HOUR) / 2);
    });

    it('funnel purchase → return respects the window and the range', async () => {
      // Purchasers: a (Jan 1 10:10), c, b, s2. a returns Feb 10 12:00: 40 d 1 h 50 min later.
      const narrow = await funnel(store, { steps: ['purchase', 'return'] });
      assert.deepEqual(narrow.map((r) => r.users), [4, 0]);
      const wide = await funnel(store, { steps: ['purchase', 'return'], windowDays: 60 });
      assert.deepEqual(wide.map((r) => r.users), [4, 1]);
      assert.equal(wide[1]?.medianSecondsFromPrevious, 40 * DAY + HOUR + 50 * 60);
      // From February, a's first purchase in range is o2 (Feb 5 11:00): the return follows 5 d 1 h later.
      const feb = await funnel(store, { steps: ['purchase', 'return'], from: '2024-02' });
      assert.deepEqual(feb.map((r) => [r.users, r.dropOff]), [[4, 0], [1, 3]]);
      assert.equal(feb[1]?.medianSecondsFromPrevious, 5 * DAY + HOUR);
    });

    it('funnel by category counts only events on items of that category', async () => {
      const rows = await funnel(store, { byCategory: true });
      // Overall as above, then Home (i1): a 3 steps (300 s, 300 s); b view Jan 10 09:00 → cart 09:30
      // (1,800 s); s1, c a view only. Kitchen (i2): b's view Jan 3 and a's view Feb 5, nothing after.
      assert.deepEqual(
        rows.map((r) => [r.category, r.step, r.users, r.medianSecondsFromPrevious]),
        [
          [null, 1, 4, null],
          [null, 2, 2, 303_450],
          [null, 3, 1, 300],
          ['Home', 1, 4, null],
          ['Home', 2, 2, 1050],
          ['Home', 3, 1, 300],
          ['Kitchen', 1, 2, null],
          ['Kitchen', 2, 0, null],
          ['Kitchen', 3, 0, null],
        ],
      );
    });

    it('orders by month: distinct orders, units, revenue, returns apart, AOV, revenue per customer', async () => {
      assert.deepEqual(await orders(store, { by: 'month' }), [
        // o1: 2×10 + 1×5 = 25.
        { period: '2024-01', orders: 1, customers: 1, units: 3, revenue: 25, returns: 0, returnedUnits: 0, netRevenue: 25, averageOrderValue: 25, revenuePerCustomer: 25 },
        // o2 3×5 = 15 (a), o3 10 (c); a returns 1×5.
        { period: '2024-02', orders: 2, customers: 2, units: 4, revenue: 25, returns: 5, returnedUnits: 1, netRevenue: 20, averageOrderValue: 12.5, revenuePerCustomer: 12.5 },
        // o4 10 (b), o5 2×5 (c), o6 5 (s2, anonymous), and b's order without id (1 unit, no price):
        // 4 orders, 25 revenue → AOV 6.25; known customers b, c spent 20 → 10 each.
        { period: '2024-03', orders: 4, customers: 2, units: 5, revenue: 25, returns: 0, returnedUnits: 0, netRevenue: 25, averageOrderValue: 6.25, revenuePerCustomer: 10 },
      ]);
    });

    it('orders of a segment leave other users and anonymous sessions out', async () => {
      // country = UK: a and c. March keeps only c's o5.
      const rows = await orders(store, { by: 'month', segment: { attribute: 'country', value: 'UK' } });
      assert.deepEqual(rows.map((r) => [r.period, r.orders, r.revenue]), [['2024-01', 1, 25], ['2024-02', 2, 25], ['2024-03', 1, 10]]);
    });

    it('repeat purchase by month, with the whole range last', async () => {
      // Orders: a o1 Jan 1 10:10, o2 Feb 5 11:00 (gap 35 d 50 min); c o3 Feb 7 10:00, o5 Mar 5 10:00
      // (27 d, 2024 is a leap year); b o4 and the id-less order, both Mar 4 09:00 (0 d).
      const gapA = (at('2024-02-05T11:00') - at('2024-01-01T10:10')) / 86_400_000;
      assert.deepEqual(await repeatPurchase(store, { by: 'month' }), [
        { period: '2024-01', customers: 1, repeatCustomers: 0, repeatRate: 0, newCustomers: 1, cohortRepeatCustomers: 1, cohortRepeatRate: 1, medianDaysBetweenOrders: null, meanDaysBetweenOrders: null },
        { period: '2024-02', customers: 2, repeatCustomers: 0, repeatRate: 0, newCustomers: 1, cohortRepeatCustomers: 1, cohortRepeatRate: 1, medianDaysBetweenOrders: gapA, meanDaysBetweenOrders: gapA },
        // b has two orders in March; gaps ending in March: c 27, b 0.
        { period: '2024-03', customers: 2, repeatCustomers: 1, repeatRate: 0.5, newCustomers: 1, cohortRepeatCustomers: 1, cohortRepeatRate: 1, medianDaysBetweenOrders: 13.5, meanDaysBetweenOrders: 13.5 },
        { period: 'all', customers: 3, repeatCustomers: 3, repeatRate: 1, newCustomers: 3, cohortRepeatCustomers: 3, cohortRepeatRate: 1, medianDaysBetweenOrders: 27, meanDaysBetweenOrders: (gapA + 27) / 3 },
      ]);
    });

    it('repeat purchase from February keeps earlier orders as history only', async () => {
      const rows = await repeatPurchase(store, { by: 'month', from: '2024-02' });
      // a's first order is in January: a counts as a February customer but not as new; a's gap ends in Feb.
      assert.deepEqual(rows[0] && [rows[0].period, rows[0].customers, rows[0].newCustomers, rows[0].medianDaysBetweenOrders], ['2024-02', 2, 1, (at('2024-02-05T11:00') - at('2024-01-01T10:10')) / 86_400_000]);
      // Whole range: a has one order in it (not a repeat), b and c two each.
      const all = rows[rows.length - 1];
      assert.deepEqual(all && [all.period, all.customers, all.repeatCustomers, all.newCustomers], ['all', 3, 2, 2]);
      assert.ok(all && Math.abs((all.repeatRate ?? 0) - 2 / 3) < 1e-12);
    });
  });
}
