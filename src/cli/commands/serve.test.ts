import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MagpieClient } from '../../client/index.js';
import { isMagpieError } from '../../core/errors.js';
import { parseDuration, startServe } from './serve.js';

describe('magpie serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-serve-'));
  const saved = process.env.MAGPIE_API_KEY;
  before(() => {
    delete process.env.MAGPIE_API_KEY;
  });
  after(() => {
    if (saved !== undefined) process.env.MAGPIE_API_KEY = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads durations such as 30m, 6h and 1d', () => {
    assert.equal(parseDuration('6h'), 21_600_000);
    assert.equal(parseDuration('30m'), 1_800_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.throws(() => parseDuration('10s'), (e) => isMagpieError(e, 'invalid_input'));
    assert.throws(() => parseDuration('often'), (e) => isMagpieError(e) && /30m, 6h or 1d/.test(String(e.hint)));
  });

  it('without a key listens on 127.0.0.1 only, says so, and closes the store on close', async () => {
    const lines: string[] = [];
    const db = join(dir, 'open.db');
    const server = await startServe({ port: '0', db: `sqlite:${db}`, modelsDir: join(dir, 'models') }, (line) => lines.push(line));
    try {
      assert.equal(server.authEnabled, false);
      assert.match(lines[0]!, /^Magpie API on http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lines[1], `API docs on ${server.url}/docs`);
      assert.match(lines[2]!, /Auth: OFF.*127\.0\.0\.1 only/);
      const address = server.app.server.address();
      assert.equal(typeof address === 'object' && address?.address, '127.0.0.1');
      assert.deepEqual(await new MagpieClient({ baseUrl: server.url }).healthLive(), { live: true });
    } finally {
      await server.close();
    }
    assert.equal(existsSync(`${db}-wal`), false, 'the store was closed cleanly');
  });

  it('refuses a public interface without a key', async () => {
    await assert.rejects(startServe({ port: '0', host: '0.0.0.0', db: `sqlite:${join(dir, 'refused.db')}` }, () => undefined), (e) => isMagpieError(e, 'invalid_input') && /no API key/.test(e.message));
  });

  it('with a key listens on every interface and requires it', async () => {
    const lines: string[] = [];
    const key = 'a-long-admin-key-for-tests';
    const server = await startServe({ port: '0', db: `sqlite:${join(dir, 'keyed.db')}`, modelsDir: join(dir, 'models'), apiKey: key, rateLimit: '100' }, (line) => lines.push(line));
    try {
      assert.equal(server.authEnabled, true);
      assert.match(lines[0]!, /\(all interfaces\)$/);
      assert.match(lines[2]!, /^Auth: on/);
      const address = server.app.server.address();
      assert.equal(typeof address === 'object' && address?.address, '0.0.0.0');
      assert.equal((await fetch(`${server.url}/v1/trending`)).status, 401);
      assert.equal((await new MagpieClient({ baseUrl: server.url, apiKey: key }).trending()).surface, 'trending');
    } finally {
      await server.close();
    }
    await assert.rejects(startServe({ port: '0', apiKey: 'short' }, () => undefined), /shorter than 16/);
  });

  it('shuts down cleanly on SIGTERM: answers the request already sent, exits 0, closes the store', async () => {
    const db = join(dir, 'signal.db');
    const serve = resolve('src/cli/commands/serve.ts');
    const script = `
      const { Command } = await import('commander');
      const { registerServe } = await import(${JSON.stringify(serve)});
      const program = new Command();
      registerServe(program);
      await program.parseAsync(['node', 'magpie', 'serve', '--port', '0', '--db', ${JSON.stringify(`sqlite:${db}`)}, '--models-dir', ${JSON.stringify(join(dir, 'models'))}]);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, MAGPIE_LOG: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    for (let i = 0; i < 300 && !/API docs on/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /Magpie API on (\S+)/.exec(output)?.[1];
    assert.ok(url, output);
    // The first /docs/json builds the whole document: slow enough to still be running at SIGTERM,
    // sent once the server has logged the request's arrival.
    const inFlight = fetch(`${url}/docs/json`);
    for (let i = 0; i < 300 && !/"url":"\/docs\/json"/.test(output); i++) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.ok(((await response.json()) as { paths: object }).paths);
    assert.equal(await exited, 0, output);
    assert.match(output, /SIGTERM: finishing requests in flight/);
    assert.match(output, /Stopped\./);
    assert.equal(existsSync(`${db}-wal`), false, 'the store was closed cleanly');
  });
});
