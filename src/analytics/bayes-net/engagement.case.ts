// Hand-built engagement-network checks every SQL backend runs (sqlite.test.ts, postgres.test.ts here).
// Cut-off 1 April 2024, outcome window 30 days, "recently" = from 2 March.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Event, type EventType } from '../../core/types.js';
import type { Store } from '../../store/store.js';
import { engagementDataset, learnEngagementNetwork } from './engagement.js';
import { query } from './inference.js';

const AS_OF = '2024-04-01';
let n = 0;
function ev(user: string | null, type: EventType, date: string, extra: Partial<Event> = {}): Event {
  return makeEvent({ id: `bn${++n}`, type, timestamp: Date.parse(`${date}T12:00:00Z`), userId: user, sessionId: user === null ? 'anon' : null, itemId: 'i1', ...extra });
}
const buy = (user: string, date: string, order: string, price: number, item = 'i1'): Event => ev(user, 'purchase', date, { orderId: order, itemId: item, price, quantity: 1 });

/**
 * a (UK): views in March on mobile, mobile, desktop; cart 24 Mar; orders o1 (2 lines, 20 Mar) and o2
 *    (i1 at 8, under 99% of 10: a discount, 25 Mar); buys again 10 Apr.
 * b (UK): view 5 Jan (desktop), order o3 10 Jan; buys only on 5 May, after the window.
 * c (FR): order o4 of 4 lines on 1 Nov 2023; buys 20 Apr.
 * d (UK): view and cart 28 Mar on a tablet, no order.
 * e (no country): six one-line orders in Feb–Mar, the last 30 Mar (one names a mobile); buys 2 Apr.
 * f (UK): a return on 1 Mar only. g: impressions only (not active). Anonymous purchases never count.
 */
export const NETWORK_EVENTS: Event[] = [
  ev('a', 'view', '2024-03-18', { context: { device: 'mobile' } }),
  ev('a', 'view', '2024-03-19', { context: { device: 'mobile' } }),
  ev('a', 'view', '2024-03-22', { context: { device: 'desktop' } }),
  ev('a', 'add_to_cart', '2024-03-24'),
  buy('a', '2024-03-20', 'o1', 10),
  buy('a', '2024-03-20', 'o1', 5, 'i2'),
  buy('a', '2024-03-25', 'o2', 8),
  buy('a', '2024-04-10', 'o20', 10),
  ev('b', 'view', '2024-01-05', { context: { device: 'desktop' } }),
  buy('b', '2024-01-10', 'o3', 5, 'i2'),
  buy('b', '2024-05-05', 'o21', 10),
  ...[1, 2, 3, 4].map((k) => buy('c', '2023-11-01', 'o4', 10, `i${k}`)),
  buy('c', '2024-04-20', 'o22', 10),
  ev('d', 'view', '2024-03-28', { context: { device: 'tablet' } }),
  ev('d', 'add_to_cart', '2024-03-28'),
  ...['02-01', '02-10', '02-20', '03-01', '03-15'].map((day, k) => buy('e', `2024-${day}`, `o${5 + k}`, 10)),
  ev('e', 'purchase', '2024-03-30', { orderId: 'o10', price: 10, quantity: 1, context: { device: 'mobile' } }),
  buy('e', '2024-04-02', 'o23', 10),
  ev('f', 'return', '2024-03-01', { orderId: 'o99', price: 10, quantity: 1 }),
  ev('g', 'impression', '2024-03-05', { itemId: null, recId: 'feed.rules.x' }),
  ev(null, 'purchase', '2024-03-05', { orderId: 'o30', price: 10 }),
];

/** Runs the hand-built engagement-network checks against a fresh, empty store made by `open`. */
export function runEngagementCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`engagement network on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      await store.write({
        users: [
          ...['a', 'b', 'd', 'f'].map((id) => makeUser(id, { attributes: { country: 'United Kingdom' } })),
          makeUser('c', { attributes: { country: 'France' } }),
          makeUser('e'),
          makeUser('g', { attributes: { country: 'France' } }),
        ],
        items: [makeItem('i1', { price: 10 }), makeItem('i2', { price: 5 }), makeItem('i3', { price: 10 }), makeItem('i4', { price: 10 })],
        events: NETWORK_EVENTS,
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('derives every driver per user from the log, as worked out by hand', async () => {
      const set = await engagementDataset(store, { asOf: AS_OF });
      assert.deepEqual(set.userIds, ['a', 'b', 'c', 'd', 'e', 'f']);
      assert.deepEqual(set.unavailable, []);
      // Baskets (lines per order) a 1.5, b 1, c 4, e 1 → terciles by nearest rank: ≤ 1, ≤ 1.5.
      const expected: Record<string, string[]> = {
        country: ['domestic', 'domestic', 'foreign', 'domestic', 'unknown', 'domestic'],
        device: ['mobile', 'desktop', 'unknown', 'tablet', 'mobile', 'unknown'],
        discount: ['yes', 'no', 'no', 'no', 'no', 'no'],
        basket: ['medium', 'small', 'large', 'none', 'small', 'none'],
        cart: ['yes', 'no', 'no', 'yes', 'no', 'no'],
        browsing: ['yes', 'no', 'no', 'yes', 'no', 'no'],
        // Last activity: a 25 Mar, b 10 Jan (82 d), c 1 Nov (152 d), d 28 Mar, e 30 Mar, f 1 Mar (31 d).
        recency: ['0-30d', '31-90d', '91d+', '0-30d', '0-30d', '31-90d'],
        frequency: ['2-4', '1', '1', '0', '5+', '0'],
        purchase: ['yes', 'no', 'yes', 'no', 'yes', 'no'],
      };
      assert.deepEqual(set.data.variables.map((v) => v.name), Object.keys(expected));
      set.data.variables.forEach((v, i) => assert.deepEqual([...set.data.columns[i]!].map((k) => v.states[k]), expected[v.name], v.name));
      // "other" devices: nobody, so the state is dropped.
      assert.deepEqual(set.variables.find((v) => v.name === 'device')?.states, ['mobile', 'desktop', 'tablet', 'unknown']);
      assert.match(set.variables.find((v) => v.name === 'basket')!.description, /small ≤ 1, medium ≤ 1.5/);
    });

    it('fits a given DAG: the outcome CPT with Laplace smoothing and drivers by inference, by hand', async () => {
      const net = await learnEngagementNetwork(store, { asOf: AS_OF, parents: { purchase: ['recency'] } });
      assert.deepEqual([net.users, net.purchasers, net.baseRate, net.learned], [6, 3, 0.5, false]);
      assert.deepEqual(net.edges, [{ from: 'recency', to: 'purchase' }]);
      // 0-30d: a yes, d no, e yes → (2+1)/(3+2); 31-90d: b, f no → 1/4; 91d+: c yes → 2/3.
      assert.deepEqual(net.outcomeCpt, {
        parents: ['recency'],
        rows: [
          { given: { recency: '0-30d' }, users: 3, probability: 0.6 },
          { given: { recency: '31-90d' }, users: 2, probability: 0.25 },
          { given: { recency: '91d+' }, users: 1, probability: 2 / 3 },
        ],
      });
      // cart is unconnected: P(purchase | cart) is the marginal Σ P(recency) P(yes | recency), with
      // P(recency) = (3+1, 2+1, 1+1) / 9.
      const marginal = (4 / 9) * 0.6 + (3 / 9) * 0.25 + (2 / 9) * (2 / 3);
      const cart = net.drivers.find((d) => d.variable === 'cart' && d.state === 'yes')!;
      assert.ok(Math.abs(cart.probability - marginal) < 1e-12, `${cart.probability} vs ${marginal}`);
      assert.deepEqual([cart.users, cart.observed], [2, 0.5]);
      assert.ok(Math.abs(query(net.network, 'purchase', { recency: '91d+', cart: 'no' }).yes! - 2 / 3) < 1e-12);
    });

    it('learns a DAG where nothing points back from the outcome, and refuses an empty population', async () => {
      const net = await learnEngagementNetwork(store, { asOf: AS_OF, seed: 4 });
      assert.ok(net.learned);
      assert.ok(net.edges.every((e) => e.from !== 'purchase'));
      const tier = new Map(net.variables.map((v) => [v.name, v.tier]));
      assert.ok(net.edges.every((e) => tier.get(e.from)! <= tier.get(e.to)!));
      await assert.rejects(learnEngagementNetwork(store, { asOf: '2020-01-01' }), /no known user was active/);
    });
  });
}
