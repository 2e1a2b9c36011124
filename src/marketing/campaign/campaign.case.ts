// The campaign panel checked on every SQL backend (see sqlite.test.ts, postgres.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser } from '../../core/types.js';
import type { Store } from '../../store/store.js';
import { differenceInDifferences } from './did.js';
import { campaignPanel } from './panel.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 2, 4);

/** Runs the panel checks against a fresh, empty store made by `open`. */
export function runCampaignCases(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`campaign panel on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
      let n = 0;
      const buy = (user: string, day: number, amount: number, order: string) =>
        makeEvent({ id: `c${++n}`, type: 'purchase', userId: user, itemId: 'k', orderId: order, quantity: 1, price: amount, timestamp: START + day * DAY });
      await store.write({
        users: ['t1', 't2', 'c1', 'c2'].map((id) => makeUser(id)),
        items: [makeItem('k')],
        events: [
          buy('t1', 1, 10, 'o1'), // before, week 0
          buy('t1', 15, 30, 'o2'), // after, week 0 (the after window starts on day 14)
          buy('t1', 16, 5, 'o3'),
          buy('t2', 22, 20, 'o4'), // after, week 1
          buy('c1', 8, 10, 'o5'), // before, week 1
          buy('c1', 20, 10, 'o6'), // after, week 0
          buy('c2', 30, 99, 'o7'), // outside both windows
          buy('x', 2, 50, 'o8'), // not in the campaign
        ],
      });
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('lays out every customer × week, zeros included, and feeds the DiD', async () => {
      const panel = await campaignPanel(store, {
        test: ['t1', 't2'],
        control: ['c1', 'c2'],
        before: { from: START, to: START + 14 * DAY },
        after: { from: START + 14 * DAY, to: START + 28 * DAY },
      });
      assert.equal(panel.length, 16);
      const values = (unit: string): number[] => panel.filter((o) => o.unit === unit).map((o) => o.value);
      assert.deepEqual(values('t1'), [10, 0, 35, 0]);
      assert.deepEqual(values('t2'), [0, 0, 0, 20]);
      assert.deepEqual(values('c1'), [0, 10, 10, 0]);
      assert.deepEqual(values('c2'), [0, 0, 0, 0]);
      assert.deepEqual(panel.filter((o) => o.unit === 't1').map((o) => o.post), [false, false, true, true]);
      // Weekly means: test 2.5 → 13.75, control 2.5 → 2.5; DiD 11.25.
      assert.equal(differenceInDifferences(panel).estimate, 11.25);
      const orders = await campaignPanel(store, { test: ['t1'], control: ['c1'], before: { from: START, to: START + 14 * DAY }, after: { from: START + 14 * DAY, to: START + 28 * DAY }, metric: 'orders' });
      assert.deepEqual(orders.map((o) => o.value), [1, 0, 2, 0, 0, 1, 1, 0]);
    });

    it('rejects windows that are not whole weeks and customers in both groups', async () => {
      await assert.rejects(campaignPanel(store, { test: ['t1'], control: ['c1'], before: { from: START, to: START + 10 * DAY }, after: { from: START + 14 * DAY, to: START + 28 * DAY } }), /whole number of periods/);
      await assert.rejects(campaignPanel(store, { test: ['t1'], control: ['t1'], before: { from: START, to: START + 7 * DAY }, after: { from: START + 7 * DAY, to: START + 14 * DAY } }), /both the test and the control/);
    });
  });
}
