// The one contract suite every Store backend runs (see sqlite/index.test.ts, postgres/index.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEvent, makeItem, makeUser, type Event, type Order } from '../core/types.js';
import type { Store } from './store.js';

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

function event(id: string, fields: Partial<Event> & Pick<Event, 'type'>, hour: number): Event {
  return makeEvent({ id, timestamp: T0 + hour * HOUR, ...fields });
}

/** Runs the shared Store contract against a fresh, empty store made by `open`. */
export function runStoreContract(name: string, open: () => Promise<Store>, cleanup?: () => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('starts empty', async () => {
      const stats = await store.stats();
      assert.equal(stats.events, 0);
      assert.equal(stats.items, 0);
      assert.equal(stats.firstEventAt, null);
    });

    it('writes a batch and reads every field back', async () => {
      const result = await store.write({
        users: [makeUser('u1', { attributes: { country: 'UK' }, createdAt: T0 }), makeUser('u2')],
        items: [
          makeItem('i1', { title: 'Lantern', categories: ['Home', 'Lighting'], price: 3.39, currency: 'GBP', stock: 5, attributes: { colour: 'white' } }),
          makeItem('i2', { title: 'Mug', hidden: true }),
          makeItem('i3'),
        ],
        events: [
          event('e1', { userId: 'u1', itemId: 'i1', type: 'view', context: { device: 'mobile' } }, 0),
          event('e2', { userId: 'u1', itemId: 'i1', type: 'purchase', quantity: 2, price: 3.39, orderId: 'o1', recId: 'r1' }, 2),
          event('e3', { userId: 'u2', itemId: 'i2', type: 'rate', value: 4 }, 1),
          event('e4', { sessionId: 's9', itemId: 'i3', type: 'view' }, 3),
          event('e5', { sessionId: 's9', type: 'search', query: 'red mug' }, 4),
        ],
      });
      assert.deepEqual(result, { users: 2, items: 3, events: 5, duplicateEvents: 0, orders: 0 });
      const item = await store.getItem('i1');
      assert.deepEqual(item, makeItem('i1', { title: 'Lantern', categories: ['Home', 'Lighting'], price: 3.39, currency: 'GBP', stock: 5, attributes: { colour: 'white' } }));
      assert.equal((await store.getItem('i2'))?.hidden, true);
      assert.deepEqual(await store.getUser('u1'), makeUser('u1', { attributes: { country: 'UK' }, createdAt: T0 }));
      const [view, purchase] = await store.eventsByUser('u1');
      assert.deepEqual(view, event('e1', { userId: 'u1', itemId: 'i1', type: 'view', context: { device: 'mobile' } }, 0));
      assert.deepEqual(purchase, event('e2', { userId: 'u1', itemId: 'i1', type: 'purchase', quantity: 2, price: 3.39, orderId: 'o1', recId: 'r1' }, 2));
      assert.equal(await store.getItem('nope'), null);
      assert.equal(await store.getUser('nope'), null);
    });

    it('stores an event id once, however often it is sent', async () => {
      const again = await store.write({ events: [event('e1', { userId: 'u1', itemId: 'i1', type: 'view' }, 0), event('e6', { userId: 'u2', itemId: 'i1', type: 'click' }, 5)] });
      assert.equal(again.events, 1);
      assert.equal(again.duplicateEvents, 1);
      assert.equal((await store.stats()).events, 6);
    });

    it('upserts items and users', async () => {
      await store.write({ items: [makeItem('i3', { title: 'Candle', price: 1.5 })], users: [makeUser('u2', { attributes: { tier: 'gold' } })] });
      assert.equal((await store.getItem('i3'))?.title, 'Candle');
      assert.deepEqual((await store.getUser('u2'))?.attributes, { tier: 'gold' });
      const items = await store.getItems(['i1', 'i3', 'missing']);
      assert.deepEqual([...items.keys()].sort(), ['i1', 'i3']);
      const page1 = await store.listItems({ limit: 2 });
      const page2 = await store.listItems({ after: page1[1]?.id, limit: 2 });
      assert.deepEqual([...page1, ...page2].map((i) => i.id), ['i1', 'i2', 'i3']);
      assert.deepEqual((await store.listUsers()).map((u) => u.id), ['u1', 'u2']);
    });

    it('answers queries by user, session, item, time range and type', async () => {
      assert.deepEqual((await store.eventsByUser('u1', { order: 'desc' })).map((e) => e.id), ['e2', 'e1']);
      assert.deepEqual((await store.eventsByUser('u1', { types: ['purchase'] })).map((e) => e.id), ['e2']);
      assert.deepEqual((await store.eventsBySession('s9')).map((e) => e.id), ['e4', 'e5']);
      assert.deepEqual((await store.eventsByItem('i1')).map((e) => e.id), ['e1', 'e2', 'e6']);
      assert.deepEqual((await store.events({ from: T0 + HOUR, to: T0 + 4 * HOUR })).map((e) => e.id), ['e3', 'e2', 'e4']);
      assert.deepEqual((await store.events({ types: ['view'], limit: 1 })).map((e) => e.id), ['e1']);
      assert.deepEqual(await store.eventsByUser('nobody'), []);
    });

    it('streams every event in time order in small pages', async () => {
      const ids: string[] = [];
      for await (const e of store.iterateEvents({ batchSize: 2 })) ids.push(e.id);
      assert.deepEqual(ids, ['e1', 'e3', 'e2', 'e4', 'e5', 'e6']);
      const views: string[] = [];
      for await (const e of store.iterateEvents({ types: ['view'], from: T0 + HOUR, batchSize: 1 })) views.push(e.id);
      assert.deepEqual(views, ['e4']);
    });

    it('keeps events with the same timestamp in insertion order across pages', async () => {
      const same = Array.from({ length: 7 }, (_, i) => event(`tie${i}`, { userId: 'tie', itemId: 'i1', type: 'view' }, 10));
      await store.write({ events: same });
      const ids: string[] = [];
      for await (const e of store.iterateEvents({ from: T0 + 10 * HOUR, batchSize: 3 })) ids.push(e.id);
      assert.deepEqual(ids, same.map((e) => e.id));
    });

    it('counts what is stored', async () => {
      const stats = await store.stats();
      assert.equal(stats.events, 13);
      assert.equal(stats.items, 3);
      assert.equal(stats.users, 2);
      assert.equal(stats.anonymousSessions, 1);
      assert.deepEqual(stats.eventsByType, { click: 1, purchase: 1, rate: 1, search: 1, view: 9 });
      assert.equal(stats.firstEventAt, T0);
      assert.equal(stats.lastEventAt, T0 + 10 * HOUR);
    });

    it('upserts orders and finds them by user', async () => {
      const order: Order = { id: 'o1', userId: 'u1', status: 'paid', lines: [{ itemId: 'i1', quantity: 2, price: 3.39 }], currency: 'GBP', createdAt: T0, updatedAt: T0 };
      await store.write({ orders: [order] });
      await store.write({ orders: [{ ...order, status: 'shipped', updatedAt: T0 + HOUR }] });
      assert.deepEqual(await store.getOrder('o1'), { ...order, status: 'shipped', updatedAt: T0 + HOUR });
      assert.deepEqual((await store.ordersByUser('u1')).map((o) => o.id), ['o1']);
      assert.equal((await store.stats()).orders, 1);
    });

    it('writes nothing of a batch that fails part-way', async () => {
      const before = await store.stats();
      const bad = makeEvent({ id: 'bad', type: 'view', timestamp: Number.NaN, userId: 'u1', itemId: 'i1' });
      // NOT NULL ts: NaN is stored as NULL by both drivers' bindings or rejected outright.
      await assert.rejects(store.write({ items: [makeItem('i-new')], events: [event('ok', { userId: 'u1', itemId: 'i1', type: 'view' }, 20), { ...bad, timestamp: null as unknown as number }] }));
      const after = await store.stats();
      assert.deepEqual(after, before);
      assert.equal(await store.getItem('i-new'), null);
    });

    it('keeps meta values', async () => {
      assert.equal(await store.getMeta('k'), null);
      await store.setMeta('k', 'v1');
      await store.setMeta('k', 'v2');
      assert.equal(await store.getMeta('k'), 'v2');
    });

    it('deletes every trace of a user, their sessions included', async () => {
      await store.write({ events: [event('s1', { userId: 'u1', sessionId: 'sess-u1', itemId: 'i3', type: 'view' }, 30), event('s2', { sessionId: 'sess-u1', itemId: 'i3', type: 'view' }, 29)] });
      const deleted = await store.deleteUser('u1');
      assert.deepEqual(deleted, { users: 1, events: 4, orders: 1 });
      assert.equal(await store.getUser('u1'), null);
      assert.deepEqual(await store.eventsByUser('u1'), []);
      assert.deepEqual(await store.eventsBySession('sess-u1'), []);
      assert.deepEqual(await store.ordersByUser('u1'), []);
      assert.equal((await store.eventsByUser('u2')).length, 2);
      assert.deepEqual(await store.deleteUser('u1'), { users: 0, events: 0, orders: 0 });
    });

    it('deletes items', async () => {
      assert.equal(await store.deleteItem('i2'), true);
      assert.equal(await store.deleteItem('i2'), false);
      assert.equal(await store.getItem('i2'), null);
    });
  });
}
