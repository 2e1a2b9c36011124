import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { Command } from 'commander';
import { CASE_EVENTS } from '../../analytics/analytics.case.js';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, makeUser } from '../../core/types.js';
import { openStore } from '../../store/index.js';
import { registerAnalytics, runAnalyticsCommand } from './analytics.js';

describe('magpie analytics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-analytics-'));
  const db = `sqlite:${join(dir, 'shop.db')}`;
  before(async () => {
    const store = await openStore(db);
    await store.write({ users: [makeUser('a'), makeUser('b'), makeUser('c')], items: [makeItem('i1', { categories: ['Home'] }), makeItem('i2', { categories: ['Kitchen'] })], events: CASE_EVENTS });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the orders table and writes the same rows as JSON', async () => {
    const lines: string[] = [];
    const json = join(dir, 'out', 'orders.json');
    await runAnalyticsCommand('orders', { db, by: 'month', json }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(printed, /period\s+orders\s+customers\s+units\s+revenue\s+returns\s+net revenue\s+avg order value\s+revenue\/customer/);
    // February (see analytics.case.ts): 2 orders, 4 units, 25 revenue, 5 returned, AOV 12.50.
    assert.match(printed, /2024-02\s+2\s+2\s+4\s+25\.00\s+5\.00\s+20\.00\s+12\.50\s+12\.50/);
    const rows = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[1], { period: '2024-02', orders: 2, customers: 2, units: 4, revenue: 25, returns: 5, returnedUnits: 1, netRevenue: 20, averageOrderValue: 12.5, revenuePerCustomer: 12.5 });
  });

  it('prints classic and rolling retention, rates as percentages in the table and fractions in JSON', async () => {
    const lines: string[] = [];
    const json = join(dir, 'retention.json');
    await runAnalyticsCommand('retention', { db, by: 'month', json }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(printed, /Rolling retention/);
    assert.match(printed, /2024-01\s+2\s+100\.0%\s+50\.0%\s+50\.0%/);
    assert.match(printed, /2024-01\s+2\s+100\.0%\s+100\.0%\s+50\.0%/);
    assert.deepEqual(JSON.parse(readFileSync(json, 'utf8'))[0], { cohort: '2024-01', size: 2, retention: [1, 0.5, 0.5], rollingRetention: [1, 1, 0.5] });
  });

  it('takes funnel steps, window and dates from the command line', async () => {
    const program = new Command().exitOverride();
    registerAnalytics(program);
    const json = join(dir, 'funnel.json');
    const log = mock.method(console, 'log', () => undefined);
    try {
      await program.parseAsync(['analytics', 'funnel', '--db', db, '--steps', 'purchase,return', '--window', '60', '--to', '2024-03-01', '--json', json], { from: 'user' });
    } finally {
      log.mock.restore();
    }
    // Before March: purchasers a and c; a returns 40 days after buying.
    const rows = JSON.parse(readFileSync(json, 'utf8')) as { event: string; users: number }[];
    assert.deepEqual(rows.map((r) => [r.event, r.users]), [['purchase', 2], ['return', 1]]);
    assert.ok(log.mock.calls.some((call) => /median time from previous/.test(String(call.arguments[0]))));
  });

  it('rejects an unknown analysis, listing the valid names, and a bad period', async () => {
    await assert.rejects(runAnalyticsCommand('cohorts', { db }), (e: unknown) => isMagpieError(e, 'invalid_input') && /active-users, retention, funnel, repeat-purchase, orders/.test(e.hint ?? ''));
    await assert.rejects(runAnalyticsCommand('orders', { db, by: 'year' }), (e: unknown) => isMagpieError(e, 'invalid_input') && e.location?.field === 'by');
    await assert.rejects(runAnalyticsCommand('funnel', { db, steps: 'view' }), (e: unknown) => isMagpieError(e, 'invalid_input') && /two steps/.test(e.message));
  });
});
