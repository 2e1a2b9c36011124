import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { eventsCsvSource, eventsJsonlSource, resolveMapping } from './events-file.js';
import { collect, tempFile } from './test-files.case.js';

describe('eventsCsvSource', () => {
  it('maps a shop export with --map and --types', async () => {
    const csv = [
      'customer_id,sku,event,ts,amount,extra',
      'c1,p1,pageview,2024-05-01T10:00:00Z,,x',
      'c1,p1,buy,2024-05-01T10:05:00Z,19.99,y',
      '"c2","p2","cart",1714557600,,z',
    ].join('\n');
    const source = eventsCsvSource(tempFile('shop.csv', csv), { map: 'user=customer_id,item=sku,type=event,time=ts,price=amount', types: 'pageview=view,buy=purchase,cart=add_to_cart' });
    const events = (await collect(source)).map((r) => r.event!);
    assert.deepEqual(events.map((e) => [e.userId, e.itemId, e.type, e.timestamp, e.price]), [
      ['c1', 'p1', 'view', Date.UTC(2024, 4, 1, 10), null],
      ['c1', 'p1', 'purchase', Date.UTC(2024, 4, 1, 10, 5), 19.99],
      ['c2', 'p2', 'add_to_cart', 1714557600000, null],
    ]);
    // Ids are derived from content: the same file imported twice gives the same ids.
    const again = (await collect(eventsCsvSource(tempFile('shop.csv', csv), { map: 'user=customer_id,item=sku,type=event,time=ts,price=amount', types: 'pageview=view,buy=purchase,cart=add_to_cart' }))).map((r) => r.event!.id);
    assert.deepEqual(again, events.map((e) => e.id));
  });

  it('recognises common header names without a mapping', async () => {
    assert.deepEqual([...resolveMapping(['user_id', 'Item ID', 'event_type', 'timestamp'], undefined)], [['userId', 'user_id'], ['itemId', 'Item ID'], ['type', 'event_type'], ['timestamp', 'timestamp']]);
  });

  it('rejects bad rows with the field, the line and the reason, and keeps the good ones', async () => {
    const csv = ['user,item,type,time,quantity', 'u1,i1,view,2024-01-01,', 'u1,i1,teleport,2024-01-01,', 'u1,i1,view,not a time,', 'u1,,view,2024-01-01,', 'u1,i1,purchase,2024-01-01,two', 'u1,i1'].join('\n');
    const records = await collect(eventsCsvSource(tempFile('bad.csv', csv)));
    assert.equal(records.filter((r) => r.event).length, 1);
    const rejected = records.filter((r) => r.rejected).map((r) => [r.line, r.rejected]);
    assert.equal(rejected.length, 5);
    assert.deepEqual(rejected.map((r) => r[0]), [3, 4, 5, 6, 7]);
    assert.match(String(rejected[0]![1]), /^type: must be one of view, click/);
    assert.match(String(rejected[1]![1]), /^timestamp: "not a time" is not a time/);
    assert.match(String(rejected[2]![1]), /^itemId: a view event needs an itemId/);
    assert.match(String(rejected[3]![1]), /quantity is not a number/);
    assert.match(String(rejected[4]![1]), /wrong number of columns/);
  });

  it('says which columns are missing and lists the ones there are', async () => {
    await assert.rejects(collect(eventsCsvSource(tempFile('x.csv', 'a,b\n1,2\n'))), (e: unknown) => isMagpieError(e, 'invalid_input') && /no column for userId, type, timestamp/.test(e.message) && /columns: a, b/.test(e.hint ?? ''));
    await assert.rejects(collect(eventsCsvSource(tempFile('x.csv', 'a,b\n1,2\n'), { map: 'user=nope' })), (e: unknown) => isMagpieError(e) && /no such column/.test(e.message));
    assert.throws(() => eventsCsvSource(tempFile('x.csv', 'a\n'), { types: 'broken' }), (e: unknown) => isMagpieError(e) && /not of the form name=value/.test(e.message));
  });
});

describe('eventsJsonlSource', () => {
  it('reads one event per line, with context, and rejects bad JSON by line', async () => {
    const jsonl = [
      JSON.stringify({ id: 'e1', userId: 'u1', itemId: 'i1', type: 'click', timestamp: 1700000000000, recId: 'r9', context: { device: 'mobile' } }),
      '{not json',
      JSON.stringify({ sessionId: 's1', type: 'search', query: 'red mug', timestamp: '2024-01-01T00:00:00Z' }),
      '',
      JSON.stringify([1, 2]),
      JSON.stringify({ userId: 'u1', itemId: 'i1', type: 'view', timestamp: 1, color: 'red' }),
    ].join('\n');
    const records = await collect(eventsJsonlSource(tempFile('events.jsonl.gz', jsonl)));
    const events = records.filter((r) => r.event).map((r) => r.event!);
    assert.deepEqual(events.map((e) => [e.id, e.type, e.recId, e.query, e.context]), [
      ['e1', 'click', 'r9', null, { device: 'mobile' }],
      [events[1]!.id, 'search', null, 'red mug', {}],
      [events[2]!.id, 'view', null, null, {}],
    ]);
    assert.deepEqual(records.filter((r) => r.rejected).map((r) => [r.line, r.rejected]), [[2, 'not valid JSON'], [5, 'not a JSON object']]);
  });
});
