import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempFile } from '../ingest/test-files.case.js';

function magpie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('magpie CLI', () => {
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'magpie-cli-')), 'cli.db')}`;
  const events = tempFile(
    'events.jsonl',
    [
      { id: 'e1', userId: 'alice', itemId: 'mug', type: 'view', timestamp: '2024-03-01T10:00:00Z' },
      { id: 'e2', userId: 'alice', sessionId: 's1', itemId: 'mug', type: 'purchase', quantity: 1, price: 9.5, timestamp: '2024-03-01T10:03:00Z' },
      { id: 'e3', userId: 'bob', itemId: 'mug', type: 'view', timestamp: '2024-03-02T08:00:00Z' },
      { id: 'e4', userId: 'bob', itemId: 'mug', type: 'teleport', timestamp: '2024-03-02T08:00:00Z' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n'),
  );

  it('imports, counts rejected lines with their reason, and prints stats', () => {
    const imported = magpie('import', 'events-jsonl', events, '--db', db);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Read 4 rows/);
    assert.match(imported.stdout, /Stored 3 new events/);
    assert.match(imported.stdout, /line 4: type: must be one of view/);
    const stats = magpie('stats', '--db', db, '--json');
    assert.equal(stats.status, 0, stats.stderr);
    const parsed = JSON.parse(stats.stdout) as { events: number; eventsByType: Record<string, number>; firstEventAt: number };
    assert.equal(parsed.events, 3);
    assert.deepEqual(parsed.eventsByType, { purchase: 1, view: 2 });
    assert.equal(parsed.firstEventAt, Date.UTC(2024, 2, 1, 10));
    assert.match(magpie('stats', '--db', db).stdout, /events\s+3/);
  });

  it('deletes every trace of a user', () => {
    const deleted = magpie('delete-user', 'alice', '--db', db);
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(deleted.stdout, /Deleted user alice: 0 profile, 2 events/);
    const stats = JSON.parse(magpie('stats', '--db', db, '--json').stdout) as { events: number };
    assert.equal(stats.events, 1);
    assert.match(magpie('delete-user', 'alice', '--db', db).stdout, /nothing to delete/);
  });

  it('answers bad input with one clear line and exit code 1, no stack trace', () => {
    const unknown = magpie('import', 'excel', events, '--db', db);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /^magpie: unknown import format "excel" \(field format\)\. Fix: use one of online-retail, movielens, events-csv, events-jsonl\n$/);
    const missing = magpie('import', 'online-retail', '/nope.csv', '--db', db);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read the input file \/nope\.csv: ENOENT/);
    assert.doesNotMatch(missing.stderr, /\s+at /);
    const badDb = magpie('stats', '--db', 'mysql://x');
    assert.equal(badDb.status, 1);
    assert.match(badDb.stderr, /unknown store URL/);
  });
});
