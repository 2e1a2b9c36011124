import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeEvent, makeItem } from '../core/types.js';
import { tempFile } from '../ingest/test-files.case.js';
import { openStore } from '../store/index.js';
import { loadDataset, parseDataSpec } from './load.js';

describe('parseDataSpec', () => {
  it('accepts import formats with paths, db and store URLs', () => {
    assert.deepEqual(parseDataSpec('movielens:../ml-100k'), { kind: 'file', format: 'movielens', path: '../ml-100k' });
    assert.deepEqual(parseDataSpec('events-csv:C:/data/x.csv'), { kind: 'file', format: 'events-csv', path: 'C:/data/x.csv' });
    assert.deepEqual(parseDataSpec('db'), { kind: 'store', url: undefined });
    assert.deepEqual(parseDataSpec('sqlite:./data/magpie.db'), { kind: 'store', url: 'sqlite:./data/magpie.db' });
    assert.deepEqual(parseDataSpec('postgres://u@h/db'), { kind: 'store', url: 'postgres://u@h/db' });
  });

  it('says which forms are accepted', () => {
    assert.throws(() => parseDataSpec('excel:x.xlsx'), (e: Error & { hint?: string }) => /unknown data format "excel"/.test(e.message) && /movielens, events-csv, events-jsonl; or db/.test(e.hint ?? ''));
    assert.throws(() => parseDataSpec('ml-100k'), /no format in --data "ml-100k"/);
  });
});

describe('loadDataset', () => {
  it('reads an events file into a dataset with its catalog, counting rejected lines', async () => {
    const path = tempFile(
      'events.csv',
      'user,item,type,time\nann,mug,view,2024-01-01T00:00:00Z\nann,mug,purchase,2024-01-02T00:00:00Z\nbob,cup,view,2024-01-03T00:00:00Z\nbob,,teleport,2024-01-03T00:00:00Z\n',
    );
    const { dataset, rejected } = await loadDataset(`events-csv:${path}`, { build: { weights: { view: 2 } } });
    assert.deepEqual(dataset.users.ids, ['ann', 'bob']);
    assert.deepEqual(dataset.items.ids, ['mug', 'cup']);
    assert.deepEqual(Array.from(dataset.matrix.data), [10, 2], 'view=2 + purchase=8 for ann/mug');
    assert.equal(rejected, 1);
  });

  it('attaches MovieLens titles and genres as the catalog', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'magpie-ml-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(folder, 'u.data'), '1\t10\t5\t881250949\n2\t10\t3\t881250950\n2\t20\t4\t881250951\n');
    writeFileSync(join(folder, 'u.item'), '10|Toy Story (1995)|01-Jan-1995||url|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n20|GoldenEye (1995)|01-Jan-1995||url|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0\n');
    const { dataset } = await loadDataset(`movielens:${folder}`, { build: { ratings: 'binary' } });
    assert.equal(dataset.catalog.size, 2);
    assert.equal(dataset.catalog.get(dataset.items.index.get('10')!)?.title, 'Toy Story (1995)');
    assert.deepEqual(Array.from(dataset.matrix.data), [1, 1, 1], '--binary ratings weigh 1');
  });

  it('reads events and items from a store', async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'magpie-load-')), 'x.db')}`;
    const store = await openStore(url);
    await store.write({
      items: [makeItem('mug', { title: 'Mug' }), makeItem('pen', { title: 'Pen' })],
      events: [
        makeEvent({ id: 'e1', type: 'purchase', userId: 'ann', itemId: 'mug', timestamp: Date.UTC(2024, 0, 1) }),
        makeEvent({ id: 'e2', type: 'view', userId: 'bob', itemId: 'mug', timestamp: Date.UTC(2024, 0, 2) }),
      ],
    });
    await store.close();
    const { dataset } = await loadDataset(url);
    assert.deepEqual(dataset.users.ids, ['ann', 'bob']);
    // The pen was never interacted with but is in the catalog, so it gets an index after the mug.
    assert.deepEqual(dataset.items.ids, ['mug', 'pen']);
    assert.equal(dataset.catalog.get(1)?.title, 'Pen');
  });
});
