// Events, items and users through the SDK against the real engine on a listening server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventInput } from '../../core/schemas.js';
import { rejection, startServer, type Harness } from '../harness.case.js';

const T0 = Date.UTC(2024, 2, 1);

describe('events, items and users over HTTP', () => {
  let server: Harness;
  let derivedId = '';
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('stores events once, however often they are sent, and says which were duplicates', async () => {
    const client = server.client();
    const events: EventInput[] = [
      { id: 'e1', userId: 'ann', itemId: 'mug', type: 'view', timestamp: T0 },
      { id: 'e2', userId: 'ann', itemId: 'mug', type: 'add_to_cart', timestamp: T0 + 60_000 },
      { userId: 'ann', itemId: 'plate', type: 'view', timestamp: '2024-03-01T00:02:00Z' },
    ];
    const first = await client.sendEvents(events);
    assert.equal(first.stored, 3);
    assert.equal(first.duplicates, 0);
    assert.equal(first.ids[0], 'e1');
    derivedId = first.ids[2]!;
    assert.match(derivedId, /^h:[0-9a-f]{16}$/, 'an event without id gets one derived from its content');
    const again = await client.sendEvents(events);
    assert.deepEqual(again, { stored: 0, duplicates: 3, ids: first.ids });
    const single = await client.sendEvents({ id: 'e3', sessionId: 's-9', itemId: 'lamp', type: 'view', timestamp: T0 + 1 });
    assert.deepEqual(single, { stored: 1, duplicates: 0, ids: ['e3'] });
    assert.equal((await server.engine.store.stats()).events, 4);
  });

  it('upserts, reads and hides items', async () => {
    const client = server.client();
    assert.deepEqual(await client.upsertItems([{ id: 'mug', title: 'Red mug', categories: ['Kitchen'], price: 8 }, { id: 'plate', categories: ['Kitchen'] }, { id: 'lamp', categories: ['Lighting'], stock: 3 }]), { upserted: 3 });
    const lamp = await client.upsertItem({ id: 'lamp', title: 'Desk lamp', categories: ['Lighting'], brand: 'Lux', createdAt: '2024-01-05T00:00:00Z' });
    assert.equal(lamp.title, 'Desk lamp');
    assert.equal(lamp.createdAt, Date.UTC(2024, 0, 5));
    assert.deepEqual(await client.getItem('lamp'), lamp);
    assert.equal((await client.getItem('mug')).price, 8);
    const mismatch = await rejection(server.client().request('upsertItem', { params: { id: 'lamp' }, body: { id: 'other' } }));
    assert.equal(mismatch.status, 400);
    assert.deepEqual(mismatch.location, { field: 'id' });
    assert.deepEqual(await client.deleteItem('plate'), { deleted: true });
    assert.equal((await client.trending({ n: 10 })).items.some((i) => i.itemId === 'plate'), false, 'a deleted item is in no list');
    assert.equal((await rejection(client.deleteItem('never-existed'))).status, 404);
  });

  it('upserts and reads users, and lists their events newest first', async () => {
    const client = server.client();
    assert.deepEqual(await client.upsertUsers([{ id: 'ann', attributes: { country: 'UK' } }, { id: 'ben' }]), { upserted: 2 });
    const ben = await client.upsertUser({ id: 'ben', attributes: { tier: 'gold' } });
    assert.deepEqual(ben, { id: 'ben', attributes: { tier: 'gold' }, createdAt: null });
    assert.deepEqual((await client.getUser('ann')).attributes, { country: 'UK' });
    assert.equal((await rejection(client.getUser('nobody'))).status, 404);
    const events = await client.userEvents('ann');
    assert.deepEqual(events.map((e) => e.id), [derivedId, 'e2', 'e1']);
    assert.equal((await client.userEvents('ann', { limit: 1 })).length, 1);
  });

  it('deletes every trace of a user: profile, events, and its session events', async () => {
    const client = server.client();
    await client.sendEvents([
      { id: 'c1', userId: 'cat', sessionId: 's-cat', itemId: 'mug', type: 'view', timestamp: T0 },
      { id: 'c2', sessionId: 's-cat', itemId: 'lamp', type: 'view', timestamp: T0 + 1000 },
      { id: 'c3', userId: 'cat', itemId: 'mug', type: 'purchase', quantity: 1, price: 8, orderId: 'o-cat', timestamp: T0 + 2000 },
    ]);
    await client.upsertUser({ id: 'cat' });
    const before = (await server.engine.store.stats()).events;
    const deleted = await client.deleteUser('cat');
    assert.equal(deleted.users, 1);
    assert.equal(deleted.events, 3);
    assert.deepEqual(await client.userEvents('cat'), []);
    assert.deepEqual(await server.engine.store.eventsBySession('s-cat'), []);
    assert.equal((await server.engine.store.stats()).events, before - 3);
    assert.equal((await rejection(client.getUser('cat'))).status, 404);
    assert.deepEqual(await client.deleteUser('cat'), { users: 0, events: 0, orders: 0 }, 'deleting again is safe');
  });
});
