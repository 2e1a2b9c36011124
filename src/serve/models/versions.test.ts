import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { checkVersionId, listVersions, readVersionIds, readVersionInfo, removeVersion, versionId, writeVersion } from './versions.js';

const info = { model: 'ease', params: { lambda: 5 }, trainedAt: '2024-01-01T00:00:00.000Z', trainSeconds: 1, users: 1, items: 2, events: 3, metrics: null };

describe('version directories', () => {
  it('are named by time and model, written atomically, and listed newest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'magpie-versions-'));
    try {
      const at = new Date(Date.UTC(2024, 10, 23, 10, 15, 0));
      assert.equal(versionId('ease', at), 'v20241123101500-ease');
      const fill = async (d: string) => writeFile(join(d, 'x'), 'model');
      const a = await writeVersion(dir, info, { users: ['u'], items: ['a', 'b'] }, fill, at);
      const b = await writeVersion(dir, info, { users: ['u'], items: ['a', 'b'] }, fill, at);
      assert.equal(a.id, 'v20241123101500-ease');
      assert.equal(b.id, 'v20241123101501-ease', 'the next free second');
      assert.deepEqual((await listVersions(dir)).map((v) => v.id), [b.id, a.id]);
      assert.deepEqual(await readVersionIds(join(dir, a.id), await readVersionInfo(join(dir, a.id))), { users: ['u'], items: ['a', 'b'] });
      await assert.rejects(writeVersion(dir, info, { users: [], items: [] }, async () => { throw new Error('disk full'); }, at), /disk full/);
      assert.deepEqual(readdirSync(dir).sort(), [a.id, b.id], 'a failed save leaves nothing behind');
      await writeFile(join(dir, a.id, 'version.json'), '{');
      const damaged: string[] = [];
      assert.deepEqual((await listVersions(dir, (id) => damaged.push(id))).map((v) => v.id), [b.id]);
      assert.deepEqual(damaged, [a.id]);
      assert.equal(await removeVersion(dir, a.id), true);
      assert.equal(await removeVersion(dir, a.id), false);
      await assert.rejects(readVersionInfo(join(dir, a.id)), (e: unknown) => isMagpieError(e, 'not_found'));
      assert.throws(() => checkVersionId('../x'), (e: unknown) => isMagpieError(e, 'invalid_input'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
