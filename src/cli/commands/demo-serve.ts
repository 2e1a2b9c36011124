import type { Dataset } from '../../dataset/types.js';
import { closeOnSignals, startServe, type RunningServer } from './serve.js';
import { runTrain } from './train.js';

/** What the demo's serving step needs. */
export interface DemoServeOptions {
  db: string;
  /** Port to listen on (0 picks a free one). */
  port: string;
  modelsDir?: string;
}

/** The customer with the most distinct items and the most-interacted item, for the example requests. */
export function demoExamples(dataset: Dataset): { userId: string; itemId: string } {
  const { indptr } = dataset.matrix;
  let user = -1;
  for (let u = 0; u < dataset.users.ids.length; u++) {
    if (dataset.users.ids[u]!.startsWith('session:')) continue;
    if (user < 0 || indptr[u + 1]! - indptr[u]! > indptr[user + 1]! - indptr[user]!) user = u;
  }
  const counts = new Int32Array(dataset.items.ids.length);
  for (let k = 0; k < dataset.log.length; k++) counts[dataset.log.item[k]!]!++;
  let item = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[item]!) item = i;
  return { userId: dataset.users.ids[Math.max(0, user)] ?? '', itemId: dataset.items.ids[item] ?? '' };
}

/** Three curl commands against a running demo server: a feed, similar items, and an event. */
export function exampleRequests(url: string, examples: { userId: string; itemId: string }, authEnabled: boolean): string[] {
  const auth = authEnabled ? ' -H "Authorization: Bearer $MAGPIE_API_KEY"' : '';
  const user = encodeURIComponent(examples.userId);
  const item = encodeURIComponent(examples.itemId);
  const event = JSON.stringify({ userId: examples.userId, itemId: examples.itemId, type: 'view' });
  return [
    `curl -s${auth} '${url}/v1/users/${user}/recommendations?n=5&explain=true'`,
    `curl -s${auth} '${url}/v1/items/${item}/similar?n=5'`,
    `curl -s${auth} -X POST '${url}/v1/events' -H 'Content-Type: application/json' -d '${event}'`,
  ];
}

/**
 * The demo's last step: trains the default model (auto → EASE on the sample) as a serving version,
 * makes it active, starts the HTTP API over the same store and prints how to try it. Serves until
 * Ctrl-C (SIGINT/SIGTERM close it gracefully); the running server is returned for tests.
 *
 * @example
 * const server = await serveDemo({ db: 'sqlite:./data/magpie.db', port: '8080' }, dataset);
 */
export async function serveDemo(options: DemoServeOptions, dataset: Dataset, log: (line: string) => void = console.log): Promise<RunningServer> {
  log('\nTraining the serving model (auto: EASE for a catalogue this size) on every stored event:');
  await runTrain({ db: options.db, model: 'auto', ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }) }, log);
  log('');
  const server = await startServe({ db: options.db, port: options.port, ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }) }, log);
  log('\nTry it (a real customer and product of the sample):');
  for (const line of exampleRequests(server.url, demoExamples(dataset), server.authEnabled)) log(`  ${line}`);
  log('\nServing until Ctrl-C.');
  closeOnSignals(server, log);
  return server;
}
