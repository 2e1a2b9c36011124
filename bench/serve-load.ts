// The load generator of the serving benchmark, run as its own process so the server's CPU time is
// never shared with the client's event loop: autocannon through its API, over loopback. Reads one
// job (JSON file named on the command line) and prints one JSON line with the figures.
//
//   node --import tsx bench/serve-load.ts <job.json>
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { eventBatchInput, type EventSpec } from './serve-events.js';

/** What serve.bench.ts asks for. */
export interface LoadJob {
  url: string;
  apiKey: string;
  connections: number;
  seconds: number;
  /** Fixed total rate (requests/s); unlimited when absent. */
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

async function run(job: LoadJob): Promise<LoadResult> {
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
