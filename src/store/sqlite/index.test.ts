import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { makeEvent } from '../../core/types.js';
import { openStore } from '../index.js';
import { runStoreContract } from '../store.case.js';
import { sqlitePath } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'magpie-sqlite-'));

runStoreContract('sqlite (file)', () => openStore(`sqlite:${join(dir, 'contract.db')}`), async () => rmSync(dir, { recursive: true, force: true }));
runStoreContract('sqlite (memory)', () => openStore(':memory:'));

describe('SqliteStore', () => {
  it('reads paths from URLs', () => {
    assert.equal(sqlitePath('sqlite:./data/magpie.db'), './data/magpie.db');
    assert.equal(sqlitePath('sqlite:///tmp/x.db'), '/tmp/x.db');
    assert.equal(sqlitePath(':memory:'), ':memory:');
  });

  it('keeps what was committed when reopened', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'magpie-sqlite-')), 'reopen.db');
    const first = await openStore(`sqlite:${path}`);
    await first.write({ events: [makeEvent({ id: 'a', type: 'view', userId: 'u', itemId: 'i', timestamp: 1 })] });
    await first.close();
    const second = await openStore(`sqlite:${path}`);
    assert.equal((await second.stats()).events, 1);
    await second.close();
  });

  it('says clearly when the file is not a database', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'magpie-sqlite-')), 'junk.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    await assert.rejects(openStore(`sqlite:${path}`), (error: unknown) => isMagpieError(error, 'corrupt') && /cannot open the SQLite store/.test(error.message));
  });

  it('rejects unknown URL schemes with a hint', async () => {
    await assert.rejects(openStore('mysql://x'), (error: unknown) => isMagpieError(error, 'invalid_input') && error.hint !== undefined);
  });
});
