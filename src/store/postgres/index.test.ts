import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { isMagpieError } from '../../core/errors.js';
import { makeEvent, makeItem, makeUser } from '../../core/types.js';
import { openStore } from '../index.js';
import { runStoreContract } from '../store.case.js';
import { PostgresStore, dropSchema, parsePostgresUrl } from './index.js';
import { COPY_THRESHOLD, UPSERT_COPY_THRESHOLD, copyEventsStaged } from './write.js';

// CI runs a PostgreSQL server; these tests fail rather than skip when it is missing, so a broken
// setup is noticed instead of passing silently.
const SERVER = process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = randomBytes(4).toString('hex');
const withSchema = (suffix: string): string => `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=magpie_test_${run}_${suffix}`;

runStoreContract('postgres', () => openStore(withSchema('contract')), () => dropSchema(withSchema('contract')));

describe('PostgresStore', () => {
  const url = withSchema('extra');
  let store: PostgresStore;
  before(async () => {
    store = await PostgresStore.open(url);
  });
  after(async () => {
    await store.close();
    await dropSchema(url);
  });

  it('reads schema, label and a password-free URL from the store URL', () => {
    const target = parsePostgresUrl('postgres://me:s3cret@db.example:6543/shop?schema=tenant_a&sslmode=disable');
    assert.equal(target.schema, 'tenant_a');
    assert.equal(target.label, 'db.example:6543/shop');
    assert.equal(target.connectionString, 'postgres://me:s3cret@db.example:6543/shop?sslmode=disable');
    assert.equal(target.safeUrl, 'postgres://me@db.example:6543/shop?schema=tenant_a&sslmode=disable');
    assert.equal(parsePostgresUrl('postgresql://localhost/shop').schema, null);
    assert.equal(parsePostgresUrl('postgresql://localhost/shop').label, 'localhost:5432/shop');
  });

  it('never exposes the password in its url', async () => {
    assert.equal(store.kind, 'postgres');
    assert.doesNotMatch(store.url, /:[^/@]*@/);
    assert.match(store.url, /schema=magpie_test_/);
  });

  it('rejects schema names that are not plain lower-case identifiers', () => {
    for (const bad of ['Tenant', 'a-b', '1abc', 'x;drop']) {
      assert.throws(() => parsePostgresUrl(`postgres://localhost/db?schema=${encodeURIComponent(bad)}`), (error: unknown) => isMagpieError(error, 'invalid_input'));
    }
  });

  it('keeps schemas apart and opens an existing schema again', async () => {
    await store.write({ events: [makeEvent({ id: 'iso', type: 'view', userId: 'u', itemId: 'i', timestamp: 1 })] });
    const otherUrl = withSchema('other');
    const other = await PostgresStore.open(otherUrl);
    try {
      assert.equal((await other.stats()).events, 0);
      assert.deepEqual(await other.events(), []);
    } finally {
      await other.close();
      await dropSchema(otherUrl);
    }
    const again = await PostgresStore.open(url);
    try {
      assert.deepEqual((await again.events()).map((e) => e.id), ['iso']);
    } finally {
      await again.close();
    }
  });

  it('creates the schema once when several processes open it at the same time', async () => {
    const raceUrl = withSchema('race');
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(raceUrl)));
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(raceUrl);
    }
  });

  it('returns BIGINT times and counts as numbers', async () => {
    const [event] = await store.events({ limit: 1 });
    assert.equal(typeof event?.timestamp, 'number');
    assert.equal(typeof (await store.stats()).events, 'number');
  });

  it('writes batches far beyond the 65,535-parameter limit in one statement per table', async () => {
    const n = 12_000;
    const events = Array.from({ length: n }, (_, i) =>
      makeEvent({ id: `big${i}`, type: 'view', userId: `u${i % 97}`, itemId: `i${i % 501}`, timestamp: 1_000 + i, context: i % 2 ? { page: i } : {} }),
    );
    const items = Array.from({ length: 6_000 }, (_, i) => makeItem(`i${i}`, { title: `Item ${i}`, price: i / 10 }));
    const result = await store.write({ events, items, users: [makeUser('u1')] });
    assert.equal(result.events, n);
    assert.equal(result.items, 6_000);
    const again = await store.write({ events: events.slice(0, 10) });
    assert.deepEqual([again.events, again.duplicateEvents], [0, 10]);
    let count = 0;
    let previous = -Infinity;
    for await (const e of store.iterateEvents({ from: 1_000, batchSize: 5_000 })) {
      assert.ok(e.timestamp >= previous);
      previous = e.timestamp;
      count += 1;
    }
    assert.equal(count, n);
    assert.deepEqual((await store.getItem('i4321'))?.price, 432.1);
  });

  it('copies large event batches with awkward text intact, skipping repeats and keeping order', async () => {
    const n = COPY_THRESHOLD + 500;
    const awkward = 'tab\there\nnew line \\ back\\slash \\N "quoted" ünïcode';
    const events = Array.from({ length: n }, (_, i) =>
      makeEvent({ id: `copy${i % (n - 3)}`, type: 'search', sessionId: 'copy-session', query: i === 7 ? awkward : `q${i}`, timestamp: 5_000_000, context: i === 7 ? { note: awkward } : {}, value: i === 8 ? Number.NaN : null }),
    );
    const result = await store.write({ events });
    assert.deepEqual([result.events, result.duplicateEvents], [n - 3, 3]);
    const stored = await store.eventsBySession('copy-session', { limit: n });
    assert.equal(stored.length, n - 3);
    assert.deepEqual(stored.slice(0, 3).map((e) => e.id), ['copy0', 'copy1', 'copy2'], 'equal times keep the batch order');
    assert.equal(stored[7]?.query, awkward);
    assert.deepEqual(stored[7]?.context, { note: awkward });
    const before = await store.stats();
    const bad = events.map((e, i) => ({ ...e, id: `bad${i}`, timestamp: i === n - 1 ? (null as unknown as number) : e.timestamp }));
    await assert.rejects(store.write({ events: bad, items: [makeItem('never')] }));
    assert.deepEqual(await store.stats(), before, 'a failed COPY batch leaves nothing behind');
    assert.equal(await store.getItem('never'), null);
  });

  it('skips stored ids through the staging path used when a concurrent writer races the COPY', async () => {
    const client = new pg.Client({ connectionString: SERVER, options: `-c search_path=${new URL(url).searchParams.get('schema')}` });
    await client.connect();
    try {
      await store.write({ events: [makeEvent({ id: 'staged-old', type: 'view', userId: 'st', itemId: 'i', timestamp: 7 })] });
      await client.query('BEGIN');
      const inserted = await copyEventsStaged(client as unknown as pg.PoolClient, [
        makeEvent({ id: 'staged-old', type: 'view', userId: 'st', itemId: 'i', timestamp: 7 }),
        makeEvent({ id: 'staged-new', type: 'click', userId: 'st', itemId: 'i', timestamp: 8 }),
        makeEvent({ id: 'staged-new', type: 'click', userId: 'st', itemId: 'i', timestamp: 8 }),
      ]);
      await client.query('COMMIT');
      assert.equal(inserted, 1);
      assert.deepEqual((await store.eventsByUser('st')).map((e) => e.id), ['staged-old', 'staged-new']);
    } finally {
      await client.end();
    }
  });

  it('upserts large batches of items, users and orders through COPY with the same rules as small ones', async () => {
    const n = UPSERT_COPY_THRESHOLD + 200;
    const items = Array.from({ length: n }, (_, i) => makeItem(`big-item-${i}`, { title: `v1 ${i}`, categories: ['A'], hidden: i === 3 }));
    const users = Array.from({ length: n }, (_, i) => makeUser(`big-user-${i}`, { createdAt: 100 + i }));
    const orders = Array.from({ length: n }, (_, i) => ({ id: `big-order-${i}`, userId: `big-user-${i}`, status: 'paid' as const, lines: [{ itemId: `big-item-${i}`, quantity: 1, price: 2.5 }], currency: 'GBP', createdAt: 10, updatedAt: 10 }));
    await store.write({ items, users, orders });
    await store.write({
      items: items.map((item) => ({ ...item, title: item.title!.replace('v1', 'v2') })),
      users: users.map((user) => ({ ...user, attributes: { tier: 'gold' }, createdAt: 999 })),
      orders: orders.map((order) => ({ ...order, status: 'shipped' as const, createdAt: 50, updatedAt: 60 })),
    });
    const item = await store.getItem('big-item-3');
    assert.deepEqual([item?.title, item?.categories, item?.hidden], ['v2 3', ['A'], true]);
    assert.deepEqual(await store.getUser('big-user-7'), makeUser('big-user-7', { attributes: { tier: 'gold' }, createdAt: 107 }), 'created_at is kept from the first write');
    const order = await store.getOrder('big-order-9');
    assert.deepEqual([order?.status, order?.createdAt, order?.updatedAt, order?.lines], ['shipped', 10, 60, [{ itemId: 'big-item-9', quantity: 1, price: 2.5 }]]);
  });

  it('folds repeated ids within one batch, the last one winning', async () => {
    const result = await store.write({
      items: [makeItem('dup', { title: 'first' }), makeItem('dup', { title: 'second' })],
      users: [makeUser('dupu', { createdAt: 5 }), makeUser('dupu', { attributes: { v: 2 } })],
      events: [makeEvent({ id: 'dupe', type: 'view', userId: 'u', itemId: 'i', timestamp: 2 }), makeEvent({ id: 'dupe', type: 'click', userId: 'u', itemId: 'i', timestamp: 3 })],
    });
    assert.deepEqual([result.events, result.duplicateEvents], [1, 1]);
    assert.equal((await store.getItem('dup'))?.title, 'second');
    assert.deepEqual(await store.getUser('dupu'), makeUser('dupu', { attributes: { v: 2 }, createdAt: 5 }));
  });

  it('says clearly when the server cannot be reached', async () => {
    await assert.rejects(
      PostgresStore.open('postgres://postgres:pw@127.0.0.1:1/nowhere?schema=x'),
      (error: unknown) =>
        isMagpieError(error, 'unsupported') && /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere/.test(error.message) && /start PostgreSQL/.test(error.hint ?? '') && !error.message.includes('pw'),
    );
  });

  it('says clearly when the database does not exist', async () => {
    const missing = new URL(SERVER);
    missing.pathname = `/magpie_missing_${run}`;
    await assert.rejects(PostgresStore.open(missing.toString()), (error: unknown) => isMagpieError(error, 'unsupported') && /createdb/.test(error.hint ?? ''));
  });

  it('says so when used after close, and closes twice without complaint', async () => {
    const tempUrl = withSchema('closed');
    const temp = await PostgresStore.open(tempUrl);
    await temp.close();
    await temp.close();
    await assert.rejects(temp.stats(), (error: unknown) => isMagpieError(error, 'internal') && /is closed/.test(error.message));
    await dropSchema(tempUrl);
  });

  it('refuses to drop a schema when the URL names none', async () => {
    await assert.rejects(dropSchema(SERVER), (error: unknown) => isMagpieError(error, 'invalid_input'));
  });

  it('leaves nothing behind after dropSchema', async () => {
    const tempUrl = withSchema('dropped');
    await (await PostgresStore.open(tempUrl)).close();
    await dropSchema(tempUrl);
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    try {
      const { rowCount } = await client.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`magpie_test_${run}_dropped`]);
      assert.equal(rowCount, 0);
    } finally {
      await client.end();
    }
  });
});
