import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMagpieError } from '../core/errors.js';
import { loadArtifact, saveArtifact, type ModelArtifact } from './artifacts.js';

const artifact: ModelArtifact = {
  model: 'toy',
  params: { lambda: 3, binary: true },
  arrays: {
    weights: Float32Array.of(1.5, -2, 3),
    counts: Int32Array.of(7, 8),
    wide: Float64Array.of(Math.PI),
    flags: Uint8Array.of(1, 0, 1),
    empty: new Uint32Array(0),
  },
  meta: { items: 3, names: ['a', 'b'] },
};

const isCorrupt = (error: unknown): boolean => isMagpieError(error, 'corrupt') && /damaged/.test((error as Error).message);

describe('model artifacts', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'magpie-artifacts-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trips arrays, params and meta', async () => {
    const dir = join(root, 'nested', 'toy');
    await saveArtifact(dir, artifact);
    const loaded = await loadArtifact(dir, 'toy');
    assert.deepEqual(loaded, artifact);
    assert.deepEqual((await readdir(join(root, 'nested'))).sort(), ['toy']);
  });

  it('replaces an existing model in place', async () => {
    const dir = join(root, 'replace');
    await saveArtifact(dir, artifact);
    await saveArtifact(dir, { ...artifact, arrays: { weights: Float32Array.of(9) } });
    assert.deepEqual([...((await loadArtifact(dir, 'toy')).arrays['weights'] as Float32Array)], [9]);
    assert.deepEqual(await readdir(root).then((names) => names.filter((n) => n.includes('replace'))), ['replace']);
  });

  it('keeps the previous model when a save fails midway', async () => {
    const dir = join(root, 'keep');
    await saveArtifact(dir, artifact);
    await assert.rejects(saveArtifact(dir, { ...artifact, arrays: { 'bad name!': new Float32Array(1) } }));
    assert.deepEqual(await loadArtifact(dir, 'toy'), artifact);
    assert.deepEqual(await readdir(root).then((names) => names.filter((n) => n.includes('keep'))), ['keep']);
  });

  it('detects a flipped byte, a short file, a missing file and a foreign model', async () => {
    const dir = join(root, 'damage');
    await saveArtifact(dir, artifact);
    const file = join(dir, 'weights.bin');
    const bytes = await readFile(file);
    bytes[5]! ^= 1;
    await writeFile(file, bytes);
    await assert.rejects(loadArtifact(dir, 'toy'), isCorrupt);
    await writeFile(file, bytes.subarray(0, 8));
    await assert.rejects(loadArtifact(dir, 'toy'), isCorrupt);
    await unlink(file);
    await assert.rejects(loadArtifact(dir, 'toy'), isCorrupt);

    await saveArtifact(dir, artifact);
    await assert.rejects(loadArtifact(dir, 'ease'), isCorrupt);
    await writeFile(join(dir, 'manifest.json'), '{ not json');
    await assert.rejects(loadArtifact(dir, 'toy'), isCorrupt);
    await unlink(join(dir, 'manifest.json'));
    await assert.rejects(loadArtifact(dir, 'toy'), isCorrupt);
  });

  it('says not_found for a directory that does not exist', async () => {
    await assert.rejects(loadArtifact(join(root, 'nothing'), 'toy'), (e: unknown) => isMagpieError(e, 'not_found'));
  });

  it('carries the fix in the hint', async () => {
    const dir = join(root, 'hint');
    await saveArtifact(dir, artifact);
    await writeFile(join(dir, 'counts.bin'), Buffer.alloc(8));
    await assert.rejects(loadArtifact(dir, 'toy'), (e: unknown) => isMagpieError(e, 'corrupt') && /retrain/.test(e.hint ?? ''));
  });
});
