// GET /v1/analytics/{name}: the same rows as `magpie analytics`, from the hand-checked case events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CASE_EVENTS } from '../../analytics/analytics.case.js';
import { runAnalysis } from '../../analytics/index.js';
import { makeItem, makeUser } from '../../core/types.js';
import { rejection, startServer, type Harness } from '../harness.case.js';

describe('analytics over HTTP', () => {
  let server: Harness;
  before(async () => {
    server = await startServer();
    await server.engine.store.write({
      users: [makeUser('a', { attributes: { country: 'UK' } }), makeUser('b', { attributes: { country: 'FR' } }), makeUser('c', { attributes: { country: 'UK' } })],
      items: [makeItem('i1', { categories: ['Home', 'Lighting'], price: 10 }), makeItem('i2', { categories: ['Kitchen'], price: 5 })],
      events: CASE_EVENTS,
    });
  });
  after(() => server.close());

  it('answers the rows the CLI writes, e.g. February: 2 orders, 25 revenue, 5 returned', async () => {
    const { name, result: rows } = await server.client().analytics('orders', { by: 'month' });
    assert.equal(name, 'orders');
    assert.deepEqual(rows[1], { period: '2024-02', orders: 2, customers: 2, units: 4, revenue: 25, returns: 5, returnedUnits: 1, netRevenue: 20, averageOrderValue: 12.5, revenuePerCustomer: 12.5 });
    assert.deepEqual(rows, JSON.parse(JSON.stringify(await runAnalysis(server.engine.store, 'orders', { by: 'month' }))));
  });

  it('takes the CLI options: range, segment, funnel steps and window', async () => {
    const client = server.client();
    const ranged = await client.analytics('active-users', { from: '2024-02', to: '2024-03', by: 'month' });
    assert.deepEqual(ranged.result.map((r) => r.period), ['2024-02']);
    const uk = await client.analytics('retention', { by: 'month', segment: 'country=UK' });
    assert.deepEqual(uk.result, JSON.parse(JSON.stringify(await runAnalysis(server.engine.store, 'retention', { by: 'month', segment: { attribute: 'country', value: 'UK' } }))));
    const funnel = await client.analytics<{ step: number; event: string; users: number }[]>('funnel', { steps: ['view', 'purchase'], window: 30 });
    assert.deepEqual(funnel.result.map((r) => r.event), ['view', 'purchase']);
    assert.deepEqual(funnel.result, JSON.parse(JSON.stringify(await runAnalysis(server.engine.store, 'funnel', { steps: ['view', 'purchase'], windowDays: 30 }))));
  });

  it('answers the model object of user-states as the CLI writes it', async () => {
    const states = await server.client().analytics<Record<string, unknown>>('user-states', { by: 'week', churnAfter: 4 });
    assert.equal(Array.isArray(states.result), false);
    assert.deepEqual(states.result, JSON.parse(JSON.stringify(await runAnalysis(server.engine.store, 'user-states', { by: 'week', churnAfter: 4 }))));
  });

  it('answers 404 with the valid names for an unknown analysis, and 400 for bad options', async () => {
    const unknown = await rejection(server.client().analytics('revenue-forecast'));
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.hint), /active-users, retention, funnel, repeat-purchase, orders/);
    const by = await rejection(server.client().analytics('orders', { by: 'year' as never }));
    assert.equal(by.status, 400);
    assert.deepEqual(by.location, { field: 'by' });
    const steps = await rejection(server.client().analytics('funnel', { steps: ['view', 'buy' as never] }));
    assert.deepEqual(steps.location, { field: 'steps' });
    const range = await rejection(server.client().analytics('orders', { from: '2024-03', to: '2024-02' }));
    assert.deepEqual(range.location, { field: 'to' });
  });
});
