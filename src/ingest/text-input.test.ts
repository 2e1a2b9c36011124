import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { isMagpieError } from '../core/errors.js';
import { openStore } from '../store/index.js';
import { DEMO_SAMPLE } from '../cli/commands/demo.js';
import { importSource } from './importer.js';
import { movielensSource } from './movielens.js';
import { onlineRetailSource } from './online-retail.js';
import { collect } from './test-files.case.js';

function file(name: string, bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'magpie-gzip-')), name);
  writeFileSync(path, bytes);
  return path;
}

const corrupt = (e: unknown): boolean => isMagpieError(e, 'corrupt') && /not a complete, valid gzip file/.test(e.message) && /gzip -t/.test(e.hint ?? '');

describe('damaged gzip input', () => {
  const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not deflate data at all, just text')]);

  it('is a clear corrupt-file error for CSV sources, not a crash', async () => {
    await assert.rejects(collect(onlineRetailSource(file('bad.csv.gz', garbage))), corrupt);
  });

  it('is a clear corrupt-file error for line sources', async () => {
    await assert.rejects(collect(movielensSource(file('ratings.dat.gz', garbage))), corrupt);
  });

  it('keeps the batches committed before a truncated file ends, so a rerun with the whole file completes', async () => {
    const whole = readFileSync(DEMO_SAMPLE);
    const truncated = file('truncated.csv.gz', whole.subarray(0, Math.floor(whole.length / 3)));
    const store = await openStore(':memory:');
    await assert.rejects(importSource(store, onlineRetailSource(truncated), { batchSize: 5_000 }), corrupt);
    const partial = (await store.stats()).events;
    assert.ok(partial > 0, 'batches before the damage are stored');
    const rerun = await importSource(store, onlineRetailSource(DEMO_SAMPLE));
    assert.equal(rerun.eventsAlreadyStored, partial);
    assert.equal((await store.stats()).events + rerun.rejected, rerun.rowsRead);
    await store.close();
  });

  it('reads a valid gzip file whatever its name', async () => {
    const records = await collect(movielensSource(file('ratings.txt', gzipSync('1::2::5\n'))));
    assert.equal(records.filter((r) => r.event).length, 1);
  });
});
