// Child processes of the serving benchmark: the server (serve-server.ts) and autocannon load jobs
// (serve-load.ts), each in its own Node process, plus the server's resident memory.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadJob, LoadResult } from './serve-load.js';

/** A running bench server. */
export interface BenchServer {
  child: ChildProcess;
  url: string;
  /** Resolves when the server has scored its shoppers' candidates in the background after starting. */
  warmed: Promise<{ warmed: number; seconds: number }>;
  /** Stops it gracefully (SIGTERM: requests in flight finish, the store closes). */
  stop(): Promise<void>;
}

const here = (name: string): string => new URL(name, import.meta.url).pathname;

/**
 * Starts serve-server.ts over the store and resolves once it listens. `nodeArgs` go to the
 * server's Node (e.g. `--cpu-prof` to profile it).
 */
export function startServer(storeUrl: string, modelsDir: string, apiKey: string, nodeArgs: readonly string[] = []): Promise<BenchServer> {
  const child = fork(here('./serve-server.ts'), [storeUrl, modelsDir, apiKey], {
    execArgv: ['--import', 'tsx', ...nodeArgs],
    env: { ...process.env, MAGPIE_LOG: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench server exited with code ${code} before listening`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      const warmed = new Promise<{ warmed: number; seconds: number }>((done) =>
        child.on('message', (m) => {
          if (typeof (m as { warmed?: unknown }).warmed === 'number') done(m as { warmed: number; seconds: number });
        }),
      );
      resolve({
        child,
        url: `http://127.0.0.1:${port}`,
        warmed,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** A bare `node:http` server answering `{"hello":"world"}` to everything, in its own process. */
const BARE_SERVER = `const http = require('node:http');
const server = http.createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"hello":"world"}'); });
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));`;

/**
 * Starts a bare Node HTTP server (no framework, no hooks, no data): what the machine and the load
 * generator alone allow, the floor under every latency figure.
 */
export function startBareServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', BARE_SERVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => resolve({ url: `http://127.0.0.1:${(message as { port: number }).port}`, stop: () => child.kill() }));
  });
}

/** Runs one load job in its own process and returns its figures. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  const file = join(mkdtempSync(join(tmpdir(), 'magpie-serve-load-')), 'job.json');
  writeFileSync(file, JSON.stringify(job));
  const child = spawn(process.execPath, ['--import', 'tsx', here('./serve-load.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`load job failed (exit ${code}): ${out}`));
      else resolve(JSON.parse(line) as LoadResult);
    });
  });
}

/** Resident memory of a process in MiB (Linux /proc), or NaN when unreadable. */
export function rssMiB(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system, every thread) a process has used so far (Linux /proc, 100 ticks/s), or NaN. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of a process's main thread alone (its JavaScript event loop), or NaN. */
export function mainThreadCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
