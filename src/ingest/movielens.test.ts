import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { movielensSource, SYNTHETIC_EPOCH } from './movielens.js';
import { collect, DATASETS, tempFile } from './test-files.case.js';

describe('movielensSource', () => {
  it('reads all of ML-100K with titles and genres', async () => {
    const records = await collect(movielensSource(DATASETS.ml100k));
    const events = records.filter((r) => r.event).map((r) => r.event!);
    assert.equal(events.length, 100_000);
    assert.equal(new Set(events.map((e) => e.userId)).size, 943);
    const items = records.filter((r) => r.item).map((r) => r.item!);
    assert.equal(items.length, 1682);
    const toyStory = items.find((i) => i.id === '1')!;
    assert.equal(toyStory.title, 'Toy Story (1995)');
    assert.deepEqual(toyStory.categories, ['Animation', "Children's", 'Comedy']);
    // First line of u.data: 196	242	3	881250949
    assert.deepEqual(events[0], { ...events[0], id: 'ml:196:242', userId: '196', itemId: '242', type: 'rate', value: 3, timestamp: 881250949000 });
    assert.equal(records.filter((r) => r.rejected).length, 0);
  });

  it('reads the ML-1M :: format from gzip, giving file-order times when there are none', async () => {
    const source = movielensSource(DATASETS.ml1m);
    const records = await collect(source);
    const events = records.filter((r) => r.event).map((r) => r.event!);
    assert.equal(events.length, 1_000_209);
    assert.equal(events[0]!.timestamp, SYNTHETIC_EPOCH + 1000);
    assert.equal(events[1]!.timestamp, SYNTHETIC_EPOCH + 2000);
    assert.ok(source.notes.some((n) => /no timestamps/.test(n)));
    const items = records.filter((r) => r.item).map((r) => r.item!);
    assert.equal(items.length, 3706);
    assert.equal(items.find((i) => i.id === '1')?.title, 'Toy Story (1995)');
  });

  it('reads ratings.dat with timestamps and rejects malformed lines with their numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magpie-ml-'));
    writeFileSync(join(dir, 'ratings.dat'), '1::10::5::978300760\n1::11::x::978300761\noops\n2::10::3::978300762\n');
    writeFileSync(join(dir, 'movies.dat'), '10::GoldenEye (1995)::Action|Adventure|Thriller\n');
    const records = await collect(movielensSource(dir));
    assert.deepEqual(records.filter((r) => r.rejected).map((r) => r.line), [2, 3]);
    const events = records.filter((r) => r.event).map((r) => r.event!);
    assert.deepEqual(events.map((e) => [e.userId, e.itemId, e.value, e.timestamp]), [['1', '10', 5, 978300760000], ['2', '10', 3, 978300762000]]);
    assert.deepEqual(records.find((r) => r.item)?.item?.categories, ['Action', 'Adventure', 'Thriller']);
  });

  it('explains what a MovieLens folder must hold', () => {
    const dir = tempFile('x.txt', '').replace(/x\.txt$/, '');
    assert.throws(() => movielensSource(dir), (e: unknown) => isMagpieError(e, 'not_found') && /u\.data/.test(e.hint ?? ''));
  });
});
