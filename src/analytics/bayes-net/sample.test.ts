// The engagement network on the bundled Online Retail sample (Sep–Nov 2011): the drivers against a
// naive per-user walk over the events, and the learned network's readings against brute-force
// enumeration of its joint distribution.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Event } from '../../core/types.js';
import type { Store } from '../../store/index.js';
import { engagementDataset, learnEngagementNetwork } from './engagement.js';
import { openSampleStore, allEvents } from '../../ingest/sample-store.case.js';

const AS_OF = Date.UTC(2011, 10, 1);
const DAY = 86_400_000;

describe('engagement network on the Online Retail sample', () => {
  let store: Store;
  const events: Event[] = [];
  before(async () => {
    store = await openSampleStore();
    await allEvents(store, events);
  });
  after(async () => {
    await store.close();
  });

  it('has the drivers Online Retail supports, each user in the state a naive walk gives', async () => {
    const set = await engagementDataset(store, { asOf: AS_OF });
    assert.deepEqual(set.unavailable.map((u) => u.name), ['device', 'cart', 'browsing']);
    assert.deepEqual(set.data.variables.map((v) => v.name), ['country', 'discount', 'basket', 'recency', 'frequency', 'purchase']);

    const catalogue = new Map<string, number | null>();
    for (let page = await store.listItems({ limit: 10_000 }); page.length > 0; page = await store.listItems({ after: page.at(-1)!.id, limit: 10_000 })) {
      for (const item of page) catalogue.set(item.id, item.price);
    }
    const naive = new Map<string, { last: number; orders: Set<string>; lines: number; discounted: boolean; bought: boolean }>();
    for (const e of events) {
      if (e.userId === null) continue;
      if (e.timestamp >= AS_OF) {
        if (e.type === 'purchase' && e.timestamp < AS_OF + 30 * DAY) {
          const u = naive.get(e.userId);
          if (u) u.bought = true;
        }
        continue;
      }
      let u = naive.get(e.userId);
      if (!u) naive.set(e.userId, (u = { last: 0, orders: new Set(), lines: 0, discounted: false, bought: false }));
      u.last = Math.max(u.last, e.timestamp);
      if (e.type === 'purchase') {
        u.orders.add(e.orderId!);
        u.lines++;
        const list = catalogue.get(e.itemId!);
        if (list != null && e.price !== null && e.price < list * 0.99) u.discounted = true;
      }
    }
    // Events come in time order, so a buyer after the cut-off was already met before it when active then.
    assert.deepEqual(set.userIds, [...naive.keys()].sort());
    const column = (name: string): string[] => {
      const i = set.data.variables.findIndex((v) => v.name === name);
      return [...set.data.columns[i]!].map((k) => set.data.variables[i]!.states[k]!);
    };
    const recency = column('recency');
    const frequency = column('frequency');
    const discount = column('discount');
    const purchase = column('purchase');
    set.userIds.forEach((id, r) => {
      const u = naive.get(id)!;
      const days = (AS_OF - u.last) / DAY;
      assert.equal(recency[r], days <= 30 ? '0-30d' : days <= 90 ? '31-90d' : '91d+', `recency of ${id}`);
      const orders = u.orders.size;
      assert.equal(frequency[r], orders === 0 ? '0' : orders === 1 ? '1' : orders <= 4 ? '2-4' : '5+', `frequency of ${id}`);
      assert.equal(discount[r], u.discounted ? 'yes' : 'no', `discount of ${id}`);
      assert.equal(purchase[r], u.bought ? 'yes' : 'no', `purchase of ${id}`);
    });
  });

  it("the network's driver readings equal sums over its full joint distribution", async () => {
    const net = await learnEngagementNetwork(store, { asOf: AS_OF });
    const { variables, parents, cpts } = net.network;
    const cards = variables.map((v) => v.states.length);
    const size = cards.reduce((s, c) => s * c, 1);
    const outcome = variables.findIndex((v) => v.name === 'purchase');
    const joint = new Float64Array(size);
    const assignment = new Array<number>(cards.length).fill(0);
    for (let i = 0; i < size; i++) {
      let rest = i;
      for (let v = cards.length - 1; v >= 0; v--) {
        assignment[v] = rest % cards[v]!;
        rest = Math.floor(rest / cards[v]!);
      }
      joint[i] = variables.reduce((p, _, v) => {
        const config = parents[v]!.reduce((c, q) => c * cards[q]! + assignment[q]!, 0);
        return p * cpts[v]![config * cards[v]! + assignment[v]!]!;
      }, 1);
    }
    const stateOf = (i: number, v: number): number => Math.floor(i / cards.slice(v + 1).reduce((s, c) => s * c, 1)) % cards[v]!;
    for (const d of net.drivers) {
      const v = variables.findIndex((x) => x.name === d.variable);
      const k = variables[v]!.states.indexOf(d.state);
      let both = 0;
      let given = 0;
      joint.forEach((p, i) => {
        if (stateOf(i, v) !== k) return;
        given += p;
        if (stateOf(i, outcome) === 1) both += p;
      });
      assert.ok(Math.abs(d.probability - both / given) < 1e-12, `${d.variable}=${d.state}: ${d.probability} vs ${both / given}`);
    }
    assert.ok(net.edges.some((e) => e.to === 'purchase'), 'something predicts a purchase');
  });
});
