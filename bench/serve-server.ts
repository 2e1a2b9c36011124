// The server process of the serving benchmark: the real `buildServer` stack (API key auth, rate
// limiter hook, Prometheus metrics, zod validation) over the bench store, plus one route only the
// bench registers — GET /bench/hello — that goes through the same hooks and answers a constant.
// Started by serve.bench.ts as a child process; it reports its port over IPC.
//
//   node --import tsx bench/serve-server.ts <store url> <models dir> <api key>
import { z } from 'zod';
import { openEngine } from '../src/serve/engine.js';
import { tuneServingHeap } from '../src/serve/heap.js';
import { buildServer } from '../src/server/index.js';
import { openStore } from '../src/store/index.js';

const [url, modelsDir, apiKey] = process.argv.slice(2);
if (!url || !modelsDir || !apiKey) {
  console.error('usage: serve-server.ts <store url> <models dir> <api key>');
  process.exit(2);
}

// As `magpie serve` does: the heap grows at most MAGPIE_HEAP_GROWTH % (default 50) between full collections, and scavenges run on the request thread alone (MAGPIE_PARALLEL_SCAVENGE=1 for V8's parallel ones).
tuneServingHeap();
const started = performance.now();
const store = await openStore(url);
const engine = await openEngine({ store, modelsDir, trainOnStart: false, logger: { warn: (message, error) => console.error(`server: ${message}`, error ?? '') } });
// The limiter stays installed (its hook runs on every request) but never refuses the bench's load.
const app = await buildServer({ engine, apiKey, rateLimitPerMinute: 1_000_000_000, logger: false });
app.get('/bench/hello', {
  config: { scope: 'read' },
  schema: { response: { 200: z.object({ hello: z.string() }) } },
  handler: async () => ({ hello: 'world' }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0, version: engine.models.active()?.id ?? null });
// The engine scores every customer's candidates in the background after start; say when that is done.
void engine.candidatesWarmed().then((shoppers) => process.send?.({ warmed: shoppers, seconds: (performance.now() - started) / 1000 }));

async function shutdown(): Promise<void> {
  await app.close();
  await engine.close();
  await store.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('disconnect', () => void shutdown());
