import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { tempFile } from '../../ingest/test-files.case.js';
import { DEMO_SAMPLE } from './demo.js';

/** Every 60th line of the bundled sample (Sep–Nov 2011 still covered, so the temporal split has a test window). */
function sampleSlice(): string {
  const lines = gunzipSync(readFileSync(DEMO_SAMPLE)).toString('utf8').split('\n');
  return [lines[0], ...lines.slice(1).filter((line, k) => k % 60 === 0 && line !== '')].join('\n');
}

describe('magpie demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-demo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('after the table, trains the serving model, serves the API and answers the feed it prints', async () => {
    const sample = tempFile('retail.csv', sampleSlice());
    const env: NodeJS.ProcessEnv = { ...process.env, MAGPIE_LOG: 'silent' };
    delete env.MAGPIE_API_KEY;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'demo', '--db', `sqlite:${join(dir, 'demo.db')}`, '--models-dir', join(dir, 'models'), '--models', 'popularity', '--sample', sample, '--port', '0'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let waited = 0; !out.includes('Serving until Ctrl-C') && child.exitCode === null && waited < 60_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      assert.match(out, /Serving until Ctrl-C/, `${out}\n${err}`);
      assert.match(out, /popularity/, 'the evaluation table came first');
      assert.match(out, /Trained ease on/);
      assert.match(out, /API docs on http:\/\/127\.0\.0\.1:\d+\/docs/);
      const feed = /curl -s '(http:\/\/127\.0\.0\.1:\d+\/v1\/users\/[^/]+\/recommendations\?n=5&explain=true)'/.exec(out);
      assert.ok(feed, out);
      assert.match(out, /curl -s 'http:\/\/127\.0\.0\.1:\d+\/v1\/items\/[^/]+\/similar\?n=5'/);
      assert.match(out, /curl -s -X POST 'http:\/\/127\.0\.0\.1:\d+\/v1\/events'/);
      const response = await fetch(feed[1]!);
      assert.equal(response.status, 200);
      const list = (await response.json()) as { model: string | null; items: { itemId: string; explanation?: { text: string } }[] };
      assert.equal(list.model, 'ease');
      assert.equal(list.items.length, 5);
      assert.ok(list.items.every((i) => i.explanation?.text));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(out, /Stopped\./);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
