// Soak test of the serving benchmark: steady feed and event traffic for N minutes, a retrain and
// activation of a new model version half-way (POST /v1/models/train, as an operator would), the
// 5xx answers counted and the server's resident memory sampled throughout.
import type { ServeData } from './serve-data.js';
import { runLoad, type BenchServer } from './serve-process.js';

/** What the soak saw. */
export interface SoakResult {
  requests: number;
  fiveXx: number;
  errors: number;
  /** Active version before → after. */
  versions: string[];
  rssStart: number;
  rssEnd: number;
  rssPeak: number;
  /** RSS (MiB) sampled every `sampleSeconds` from the start: a plateau and a leak look different here. */
  rssTimeline: number[];
  /** The V8 heap in use (MiB) at the same moments, from the server's /metrics: what of RSS is JavaScript objects. */
  heapTimeline: number[];
  sampleSeconds: number;
  feedP99: number;
}

/** The server's V8 heap in use (MiB), read from its Prometheus metrics; NaN when unreadable. */
async function heapUsedMiB(server: BenchServer, apiKey: string): Promise<number> {
  try {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } })).text();
    const match = /^magpie_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
    return match ? Number(match[1]) / 2 ** 20 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function api<T>(server: BenchServer, apiKey: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Runs the soak: feeds at `feedRate` requests/s and event batches of 100 at `eventRate` batches/s
 * for `minutes`, retraining the default model half-way.
 */
export async function soak(options: {
  server: BenchServer;
  apiKey: string;
  data: ServeData;
  minutes: number;
  feedPaths: string[];
  rss: () => number;
  feedRate?: number;
  eventRate?: number;
  log?: (line: string) => void;
}): Promise<SoakResult> {
  const { server, apiKey, data, minutes, feedPaths } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const seconds = Math.round(minutes * 60);
  const rssStart = options.rss();
  let rssPeak = rssStart;
  const sampleSeconds = 2 * Math.max(5, Math.round(seconds / 40));
  const rssTimeline = [rssStart];
  const heapTimeline = [await heapUsedMiB(server, apiKey)];
  let ticks = 0;
  const sampler = setInterval(() => {
    const rss = options.rss();
    rssPeak = Math.max(rssPeak, rss);
    if (++ticks % (sampleSeconds / 2) === 0) {
      const at = ticks * 2;
      rssTimeline.push(rss);
      const slot = heapTimeline.push(Number.NaN) - 1;
      void heapUsedMiB(server, apiKey).then((heap) => {
        heapTimeline[slot] = heap;
        log(`  ${at} s: RSS ${rss.toFixed(0)} MiB, V8 heap in use ${heap.toFixed(0)} MiB`);
      });
    }
  }, 2000);
  const before = (await api<{ active: string | null }>(server, apiKey, '/v1/models')).active ?? 'none';
  const feed = runLoad({ url: server.url, apiKey, connections: 8, seconds, paths: feedPaths, overallRate: options.feedRate ?? 300 });
  const events = runLoad({
    url: server.url,
    apiKey,
    connections: 2,
    seconds,
    overallRate: options.eventRate ?? 10,
    events: { batch: 100, prefix: `soak-${Date.now().toString(36)}`, users: data.users, items: data.itemIds },
  });
  // Half-way: train the default model on everything stored so far and make it active.
  const retrain = (async () => {
    await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 2));
    const job = await api<{ id: string }>(server, apiKey, '/v1/models/train', { method: 'POST', body: JSON.stringify({ activate: true }) });
    log(`  retraining (job ${job.id}) at ${Math.round(seconds / 2)} s`);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const state = await api<{ status: string; version: string | null; error: string | null }>(server, apiKey, `/v1/models/jobs/${job.id}`);
      if (state.status === 'failed') throw new Error(`retraining failed: ${state.error}`);
      if (state.status === 'done') {
        log(`  version ${state.version} trained and activated`);
        return;
      }
    }
  })();
  const [feedResult, eventResult] = await Promise.all([feed, events, retrain]);
  clearInterval(sampler);
  const after = (await api<{ active: string | null }>(server, apiKey, '/v1/models')).active ?? 'none';
  return {
    requests: feedResult.requests + eventResult.requests,
    fiveXx: feedResult.fiveXx + eventResult.fiveXx,
    errors: feedResult.errors + eventResult.errors + feedResult.timeouts + eventResult.timeouts,
    versions: [before, after],
    rssStart,
    rssEnd: options.rss(),
    rssPeak,
    rssTimeline,
    heapTimeline,
    sampleSeconds,
    feedP99: feedResult.p99,
  };
}
