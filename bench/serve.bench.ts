// Serving benchmark: the HTTP API over the full UCI Online Retail file (3,921 products: every
// product of the file, under the 4,000 cap; 4,334 customers; 536,462 purchase and return events)
// with the default model (auto → EASE), the server in a child process and autocannon in another,
// over loopback. Figures, each against a baseline measured in the same run:
//   (a) personal feed (top 10, customers round-robin) vs a hello-world route on the same server
//       stack (same hooks: API key auth, rate-limit hook, metrics, zod schemas): requests/s, p50/p99;
//   (b) feed p99 at a fixed 1,000 requests/s, evenly spaced (loadtest's requestsPerSecond; see
//       serve-load.ts for why not autocannon's overallRate), beside hello-world on the same stack
//       and a bare node:http server (the floor) at the same rate;
//   (c) events over HTTP (POST /v1/events, batches of 100; the server commits batches that arrive
//       together in one transaction of its write thread) vs store.write of batches of 100;
//   (d) durability: ingest under load, kill -9 the server, restart, count acknowledged events found;
//   (e) --soak <minutes>: steady feed + event load with a retrain and activation in the middle:
//       5xx count and the server's RSS at start and end.
//
//   npm run bench:serve -- [--seconds 10] [--connections 16] [--soak 2] [--only a,b,c,d,e] [--dir <path>]
import { randomBytes } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshCopy, serveData, type ServeData } from './serve-data.js';
import { ingestUntilKilled, ingestionFigures } from './serve-ingest.js';
import type { LoadResult } from './serve-load.js';
import { cpuSeconds, mainThreadCpuSeconds, rssMiB, runLoad, startBareServer, startServer, type BenchServer } from './serve-process.js';
import { soak } from './serve-soak.js';
import { dataset, int } from './util.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seconds = Number(option('--seconds') ?? 10);
const connections = Number(option('--connections') ?? 16);
const soakMinutes = option('--soak') === undefined ? 0 : Number(option('--soak'));
const only = new Set((option('--only') ?? 'a,b,c,d,e').split(','));
const dir = option('--dir') ?? join(tmpdir(), 'magpie-serve-bench');
const apiKey = randomBytes(24).toString('hex');

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const rows: string[][] = [];
function row(figure: string, value: string, detail: string): void {
  rows.push([figure, value, detail, load()]);
  console.log(`  ${figure}: ${value} (${detail}; load ${load()})`);
}
const ms = (r: LoadResult): string => `p50 ${r.p50} ms, p99 ${r.p99} ms`;

console.log(`Serving benchmark, ${seconds} s per measurement, ${connections} connections; load average ${load()}`);
const base = await serveData(join(dir, 'base'), dataset('online-retail/online_retail.csv.gz'), 4000, (line) => console.log(line));
const data: ServeData = freshCopy(base, join(dir, 'base'), join(dir, 'run'));
console.log(`catalogue ${int(data.items)} items; model ${data.version.id} (${data.version.model}, ${int(data.version.users)} users × ${int(data.version.items)} items); ${int(data.users.length)} customers round-robin`);

const feedPaths = data.users.map((u) => `/v1/users/${encodeURIComponent(u)}/recommendations?n=10`);
// Extra Node flags for the server process, e.g. MAGPIE_BENCH_SERVER_ARGS='--cpu-prof' to profile it.
const serverArgs = (process.env.MAGPIE_BENCH_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);
let server: BenchServer = await startServer(data.url, data.modelsDir, apiKey, serverArgs);
const warm = await server.warmed;
console.log(`server up; candidates of ${int(warm.warmed)} customers scored in the background ${warm.seconds.toFixed(1)} s after start`);

type Measured = LoadResult & { cpuMicros: number; mainMicros: number };

/** One autocannon run, with the server's CPU time per request over it: all its threads, and its main (event-loop) thread. */
async function get(paths: string[], extra: { seconds?: number; overallRate?: number } = {}): Promise<Measured> {
  const pid = server.child.pid;
  const [cpu, main] = [cpuSeconds(pid), mainThreadCpuSeconds(pid)];
  const result = await runLoad({ url: server.url, apiKey, connections, seconds: extra.seconds ?? seconds, paths, ...(extra.overallRate === undefined ? {} : { overallRate: extra.overallRate }) });
  const per = (s: number): number => (s * 1e6) / Math.max(1, result.requests);
  return { ...result, cpuMicros: per(cpuSeconds(pid) - cpu), mainMicros: per(mainThreadCpuSeconds(pid) - main) };
}

try {
  if (only.has('a') || only.has('b')) {
    // Warm-up: JIT, connections, and every customer's first feed (the server also warms in the background).
    await get(['/bench/hello'], { seconds: 3 });
    await get(feedPaths, { seconds: Math.max(5, seconds) });
  }
  if (only.has('a')) {
    console.log('(a) feed vs hello-world, same server stack, alternating rounds');
    const hello: Measured[] = [];
    const feed: Measured[] = [];
    for (let round = 0; round < 2; round++) {
      hello.push(await get(['/bench/hello']));
      feed.push(await get(feedPaths));
    }
    const rate = (list: LoadResult[]): number => list.reduce((s, r) => s + r.requestsPerSecond, 0) / list.length;
    const mean = (list: Measured[], key: 'cpuMicros' | 'mainMicros'): number => list.reduce((s, r) => s + r[key], 0) / list.length;
    const bad = [...hello, ...feed].reduce((s, r) => s + r.non2xx + r.errors, 0);
    const rounds = (list: Measured[]): string => list.map((r) => `${int(r.requestsPerSecond)} req/s, ${ms(r)}`).join('; ');
    const cpu = (list: Measured[]): string => `server CPU ${mean(list, 'cpuMicros').toFixed(0)} µs/request (main thread ${mean(list, 'mainMicros').toFixed(0)})`;
    row('hello-world GET /bench/hello', `${int(rate(hello))} req/s`, `${rounds(hello)}; ${cpu(hello)}`);
    row('feed GET /v1/users/:id/recommendations?n=10', `${int(rate(feed))} req/s`, `${rounds(feed)}; ${cpu(feed)}`);
    row(
      'feed / hello-world (goal ≥ 0.5)',
      (rate(feed) / rate(hello)).toFixed(2),
      `${bad} non-2xx or errors; by CPU per request ${(mean(hello, 'cpuMicros') / mean(feed, 'cpuMicros')).toFixed(2)}, by main-thread CPU ${(mean(hello, 'mainMicros') / mean(feed, 'mainMicros')).toFixed(2)}`,
    );
  }
  if (only.has('b')) {
    console.log('(b) feed at a fixed 1,000 requests/s, and hello-world at the same rate (what the machine allows)');
    const bare = await startBareServer();
    const floor = await runLoad({ url: bare.url, apiKey, connections, seconds: Math.max(10, seconds), paths: ['/'], overallRate: 1000 });
    bare.stop();
    const fixedHello = await get(['/bench/hello'], { overallRate: 1000, seconds: Math.max(10, seconds) });
    const fixed = await get(feedPaths, { overallRate: 1000, seconds: Math.max(10, seconds) });
    row('bare node:http p99 at 1,000 req/s (the floor)', `${floor.p99} ms`, `p50 ${floor.p50} ms, p90 ${floor.p90} ms, max ${floor.max} ms; latencies in whole ms, floored`);
    row('hello-world p99 at 1,000 req/s', `${fixedHello.p99} ms`, `p50 ${fixedHello.p50} ms, p90 ${fixedHello.p90} ms, max ${fixedHello.max} ms`);
    row('feed p99 at 1,000 req/s (goal < 10 ms)', `${fixed.p99} ms`, `p50 ${fixed.p50} ms, p90 ${fixed.p90} ms, max ${fixed.max} ms, ${int(fixed.requestsPerSecond)} req/s served, ${fixed.non2xx} non-2xx`);
  }
  if (only.has('c')) {
    console.log('(c) event ingestion: HTTP batches of 100 vs store.write batches of 100');
    const { http, direct } = await ingestionFigures({ server, apiKey, data, seconds, connections });
    row('events over HTTP (POST /v1/events, 100 a batch)', `${int(http.eventsPerSecond)} events/s`, `${ms(http.load)}, ${http.load.non2xx} non-2xx`);
    row('events by store.write (100 a batch)', `${int(direct.eventsPerSecond)} events/s`, `${int(direct.events)} events`);
    row('HTTP / direct (goal ≥ 0.5)', (http.eventsPerSecond / direct.eventsPerSecond).toFixed(2), 'same store file, same event shapes');
  }
  if (only.has('d')) {
    console.log('(d) durability: ingest under load, kill -9, restart');
    const result = await ingestUntilKilled({ server, apiKey, data, seconds: Math.max(3, seconds / 2) });
    server = await startServer(data.url, data.modelsDir, apiKey, serverArgs);
    const found = await result.verify();
    row('acknowledged events found after kill -9', `${int(found)} / ${int(result.acknowledged)}`, `${int(result.sent)} sent, ${found === result.acknowledged ? 'none lost' : `${int(result.acknowledged - found)} LOST`}`);
  }
  if (soakMinutes > 0 && only.has('e')) {
    console.log(`(e) soak: ${soakMinutes} min of steady load, retrain + activate half-way`);
    const result = await soak({ server, apiKey, data, minutes: soakMinutes, feedPaths, rss: () => rssMiB(server.child.pid) });
    row('soak 5xx (goal 0)', String(result.fiveXx), `${int(result.requests)} requests (feeds at 300/s, event batches of 100 at 10/s), ${result.errors} connection errors, feed p99 ${result.feedP99} ms, model ${result.versions.join(' → ')}`);
    const line = result.rssTimeline;
    const half = line[Math.floor((line.length - 1) / 2)]!;
    row(
      'soak server RSS start → end',
      `${result.rssStart.toFixed(0)} → ${result.rssEnd.toFixed(0)} MiB`,
      `half-way (before the retrain) ${half.toFixed(0)} MiB, peak ${result.rssPeak.toFixed(0)} MiB; every ${result.sampleSeconds} s: ${line.map((r) => r.toFixed(0)).join(' ')}`,
    );
    row(
      'soak server V8 heap in use start → end',
      `${result.heapTimeline[0]!.toFixed(0)} → ${result.heapTimeline[result.heapTimeline.length - 1]!.toFixed(0)} MiB`,
      `every ${result.sampleSeconds} s: ${result.heapTimeline.map((r) => r.toFixed(0)).join(' ')}`,
    );
  }
} finally {
  await server.stop();
}

console.log('\n| figure | value | detail | load average (1/5/15 min) |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
