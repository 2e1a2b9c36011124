// The load generator of the serving benchmark, run as its own process so the server's CPU time is
// never shared with the client's event loop, over loopback. Reads one job (JSON file named on the
// command line) and prints one JSON line with the figures.
//
// Two generators, each for what it measures well:
//  - as fast as the server answers (closed loop, `connections` in flight): autocannon;
//  - GETs at a fixed rate (`overallRate`): loadtest's `requestsPerSecond`, which sends one request
//    every 1/rate s whatever the responses (open loop, a new connection when all are busy) and
//    times each from its send. autocannon's own `overallRate` is not used for latency: it lets
//    each connection send its whole per-second quota back to back at the start of every second,
//    then idle, so its percentiles are those of a burst at full speed, and it backfills them for
//    coordinated omission with a 1 ms expected interval however slow the rate.
//
//   node --import tsx bench/serve-load.ts <job.json>
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { loadTest as loadTestCallback } from 'loadtest';
import { eventBatchInput, type EventSpec } from './serve-events.js';

/** What serve.bench.ts asks for. */
export interface LoadJob {
  url: string;
  apiKey: string;
  connections: number;
  seconds: number;
  /** Fixed total rate (requests/s; GETs evenly spaced through loadtest, event POSTs through autocannon); unlimited when absent. */
  overallRate?: number;
  /** GET these paths round-robin… */
  paths?: string[];
  /** …or POST batches of generated events to /v1/events. */
  events?: EventSpec;
}

/** What the job measured. */
export interface LoadResult {
  /** Seconds the load ran. */
  seconds: number;
  requestsPerSecond: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  fiveXx: number;
  errors: number;
  timeouts: number;
  /** Events acknowledged with a 2xx (event jobs only). */
  events: number;
}

/** What loadtest's promise resolves to (its bundled types still describe the callback form only). */
interface LoadTestOutcome {
  totalRequests: number;
  elapsedSeconds: number;
  maxLatencyMs: number;
  percentiles: Record<string, number>;
  errorCodes: Record<string, number>;
}
/** The options used here; `indexParam` is the placeholder string (the bundled types say boolean). */
type LoadTestOptions = Omit<Parameters<typeof loadTestCallback>[0], 'indexParam'> & { indexParam: string };
const loadTest = loadTestCallback as unknown as (options: LoadTestOptions) => Promise<LoadTestOutcome>;

/** GETs of `paths` round-robin at `rate` requests/s, evenly spaced (loadtest; latencies in whole ms, floored). */
async function fixedRate(job: LoadJob, rate: number): Promise<LoadResult> {
  const paths = job.paths ?? [];
  let next = 0;
  const base = new URL(job.url);
  const result = await loadTest({
    url: `${base.origin}/PATH`,
    indexParam: 'PATH',
    // The index parameter replaces the placeholder path with each request's own (without its leading slash).
    indexParamCallback: () => paths[next++ % paths.length]!.slice(1),
    requestsPerSecond: rate,
    maxSeconds: job.seconds,
    agentKeepAlive: true,
    quiet: true,
    headers: { authorization: `Bearer ${job.apiKey}` },
  });
  const codes = result.errorCodes;
  const count = (test: (code: number) => boolean): number => Object.entries(codes).reduce((sum, [code, n]) => sum + (test(Number(code)) ? n : 0), 0);
  const percentile = (p: number): number => result.percentiles[String(p)] ?? Number.NaN;
  return {
    seconds: result.elapsedSeconds,
    requestsPerSecond: result.totalRequests / result.elapsedSeconds,
    requests: result.totalRequests,
    p50: percentile(50),
    p90: percentile(90),
    p99: percentile(99),
    max: result.maxLatencyMs,
    // loadtest records a status only for answers of 400 and up (and -1 for a failed connection).
    non2xx: count((code) => code >= 300),
    fiveXx: count((code) => code >= 500),
    errors: count((code) => !(code >= 100)),
    timeouts: 0,
    events: 0,
  };
}

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.overallRate !== undefined && job.events === undefined) return fixedRate(job, job.overallRate);
  let next = 0;
  let fiveXx = 0;
  let acked = 0;
  const eventJob = job.events;
  const paths = job.paths ?? [];
  const request: autocannon.Request = eventJob
    ? {
        method: 'POST',
        path: '/v1/events',
        setupRequest: (req) => ({ ...req, body: JSON.stringify(eventBatchInput(eventJob, next++)) }),
        onResponse: (status) => {
          if (status >= 500) fiveXx++;
          else if (status < 300) acked += eventJob.batch;
        },
      }
    : {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
        onResponse: (status) => {
          if (status >= 500) fiveXx++;
        },
      };
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.seconds,
    headers: { authorization: `Bearer ${job.apiKey}`, 'content-type': 'application/json' },
    requests: [request],
    ...(job.overallRate === undefined ? {} : { overallRate: job.overallRate }),
  });
  const seconds = result.duration || job.seconds;
  return {
    seconds,
    requestsPerSecond: result.requests.total / seconds,
    requests: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    fiveXx,
    errors: result.errors,
    timeouts: result.timeouts,
    events: acked,
  };
}

const file = process.argv[2];
if (file) {
  const job = JSON.parse(readFileSync(file, 'utf8')) as LoadJob;
  console.log(JSON.stringify(await run(job)));
}
