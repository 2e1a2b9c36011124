import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { isMagpieError } from '../../core/errors.js';
import { makeItem, makeUser } from '../../core/types.js';
import { AS_OF, CASE_CUSTOMERS, EXPECTED_RFM, caseEvents } from '../../marketing/marketing.case.js';
import { openStore } from '../../store/index.js';
import { registerSegments, runSegmentsCommand, segmentsOptions } from './segments.js';

describe('magpie segments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-segments-'));
  const db = `sqlite:${join(dir, 'shop.db')}`;
  before(async () => {
    const store = await openStore(db);
    await store.write({ users: CASE_CUSTOMERS.map(([id]) => makeUser(id)), items: [makeItem('k', { categories: ['Kitchen'] }), makeItem('h', { categories: ['Home'] }), makeItem('g', { categories: ['Garden'] })], events: caseEvents() });
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one row per RFM segment and writes one row per customer as CSV and JSON', async () => {
    const lines: string[] = [];
    const csv = join(dir, 'out', 'rfm.csv');
    const json = join(dir, 'out', 'rfm.json');
    await runSegmentsCommand({ db, asOf: '2024-04-01', csv, json }, (line) => lines.push(line));
    const printed = lines.join('\n');
    assert.match(printed, /RFM segments of 10 customers as of 2024-04-01T00:00:00Z/);
    // Champions: u01 and u02, 20%, median 1.5 days (prints 2), 4.5 orders, 450 mean, 900 total, 950/9 per order.
    assert.match(printed, /Champions\s+2\s+20\.0%\s+2\s+4\.5\s+450\.00\s+900\.00\s+105\.56\s+Kitchen 100%\s+frequent high spenders/);
    const rows = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>[];
    assert.equal(rows.length, 10);
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.userId, [r.rfm, r.segment]])), EXPECTED_RFM);
    assert.deepEqual(rows[1], {
      userId: 'u02',
      segment: 'Champions',
      r: 5,
      f: 4,
      m: 4,
      rfm: '544',
      recencyDays: 2,
      frequency: 4,
      monetary: 400,
      revenue: 450,
      returns: 50,
      averageOrderValue: 112.5,
      tenureDays: 23,
      distinctCategories: 1,
      returnRate: 0.1111,
      topCategory: 'Kitchen',
      lastPurchaseAt: new Date(AS_OF - 2 * 86_400_000).toISOString(),
    });
    const text = readFileSync(csv, 'utf8').split('\n');
    assert.equal(text[0], 'userId,segment,r,f,m,rfm,recencyDays,frequency,monetary,revenue,returns,averageOrderValue,tenureDays,distinctCategories,returnRate,topCategory,lastPurchaseAt');
    assert.equal(text.length, 12, 'header, ten customers and the final newline');
    assert.equal(text[9], `u09,Can't lose them,1,4,5,145,100,5,700,700,0,140,128,1,0,Kitchen,${new Date(AS_OF - 100 * 86_400_000).toISOString()}`);
  });

  it('runs k-means through commander with --method kmeans --k 2', async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      const program = new Command();
      registerSegments(program);
      await program.parseAsync(['node', 'magpie', 'segments', '--db', db, '--method', 'kmeans', '--k', '2', '--as-of', '2024-04-01']);
    } finally {
      console.log = original;
    }
    const printed = lines.join('\n');
    assert.match(printed, /k-means segments of 10 customers/);
    assert.match(printed, /k = 2 \(silhouette k=2: -?\d\.\d{3}\)/);
    assert.match(printed, /cluster 1\s+\d/);
    assert.match(printed, /cluster 2\s+\d/);
  });

  it('rejects an unknown method and a bad k before opening the store', () => {
    assert.throws(() => segmentsOptions({ method: 'lda' }), (e) => isMagpieError(e, 'invalid_input') && /rfm, kmeans/.test(e.hint ?? ''));
    assert.throws(() => segmentsOptions({ k: '2.5' }), (e) => isMagpieError(e, 'invalid_input'));
    assert.deepEqual(segmentsOptions({ method: 'kmeans', k: 'auto', seed: '9' }), { method: 'kmeans', seed: 9 });
  });
});
