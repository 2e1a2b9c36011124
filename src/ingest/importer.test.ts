import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../store/index.js';
import { dropSchema } from '../store/postgres/index.js';
import { DEMO_SAMPLE } from '../cli/commands/demo.js';
import { importSource } from './importer.js';
import { eventsJsonlSource } from './events-file.js';
import { onlineRetailSource } from './online-retail.js';
import { tempFile } from './test-files.case.js';

// Figures of the bundled sample (Sep–Nov 2011), counted independently with Python's csv module.
const SAMPLE_ROWS = 195_679;

describe('importSource', () => {
  it('imports the bundled sample, and a second run stores nothing twice', async () => {
    const store = await openStore(':memory:');
    const first = await importSource(store, onlineRetailSource(DEMO_SAMPLE));
    assert.equal(first.rowsRead, SAMPLE_ROWS);
    assert.equal(first.eventsStored + first.rejected, SAMPLE_ROWS);
    assert.ok(first.rejected > 1000 && first.rejected < 2000, `rejected ${first.rejected}`);
    assert.equal(first.firstRejections.length, 10);
    const stats = await store.stats();
    assert.equal(stats.events, first.eventsStored);
    assert.equal((stats.eventsByType.purchase ?? 0) + (stats.eventsByType.return ?? 0), stats.events);
    assert.equal(stats.firstEventAt, Date.UTC(2011, 8, 1, 8, 25));

    const second = await importSource(store, onlineRetailSource(DEMO_SAMPLE));
    assert.equal(second.eventsStored, 0);
    assert.equal(second.eventsAlreadyStored, first.eventsStored);
    assert.deepEqual(await store.stats(), stats);
    await store.close();
  });

  it('keeps what was stored before when a later line is bad', async () => {
    const store = await openStore(':memory:');
    await importSource(store, eventsJsonlSource(tempFile('a.jsonl', JSON.stringify({ id: 'keep', userId: 'u', itemId: 'i', type: 'view', timestamp: 1 }))));
    const report = await importSource(store, eventsJsonlSource(tempFile('b.jsonl', ['{"userId":"u","itemId":"i","type":"nope","timestamp":2}', '{"id":"new","userId":"u","itemId":"j","type":"view","timestamp":3}'].join('\n'))));
    assert.equal(report.rejected, 1);
    assert.equal(report.firstRejections[0]?.line, 1);
    assert.deepEqual((await store.eventsByUser('u')).map((e) => e.id), ['keep', 'new']);
    await store.close();
  });

  const backends: { name: string; url: () => string; cleanup: (url: string) => Promise<void> }[] = [
    { name: 'SQLite', url: () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'magpie-kill-')), 'magpie.db')}`, cleanup: async () => {} },
    {
      name: 'PostgreSQL',
      url: () => `${process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'}?schema=magpie_test_kill_${process.pid}`,
      cleanup: (url) => dropSchema(url),
    },
  ];
  for (const backend of backends) {
    it(`survives kill -9 mid-import into ${backend.name}: the store stays readable, and a rerun completes it without duplicates`, async () => {
      const url = backend.url();
      // The schema must exist before the importer starts, so the watcher below can count.
      const watcher = await openStore(url);
      try {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'import', 'online-retail', DEMO_SAMPLE, '--db', url, '--batch', '2000'], { stdio: 'ignore' });
        // Wait until some batches are committed, then kill the importer without warning.
        let seen = 0;
        for (let i = 0; i < 600 && seen < 10_000; i++) {
          await sleep(50);
          seen = (await watcher.stats()).events;
        }
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
        assert.ok(seen > 0, 'the importer committed something before it was killed');

        if (url.startsWith('sqlite:')) {
          const db = new Database(url.slice('sqlite:'.length));
          assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
          db.close();
        }
        const partial = (await watcher.stats()).events;
        assert.ok(partial > 0 && partial < 194_000, `partial import holds ${partial} events`);

        const rerun = await importSource(watcher, onlineRetailSource(DEMO_SAMPLE));
        const complete = (await watcher.stats()).events;
        assert.equal(rerun.eventsAlreadyStored, partial);
        assert.equal(complete, partial + rerun.eventsStored);
        assert.equal(complete + rerun.rejected, SAMPLE_ROWS);
      } finally {
        await watcher.close();
        await backend.cleanup(url);
      }
    });
  }
});
