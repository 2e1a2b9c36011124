/**
 * Entry of the training worker thread: opens the store by URL, trains, saves the version and
 * posts it back. Messages: `{ type: 'progress', fraction, stage }`, then `{ type: 'done', version }`
 * or `{ type: 'error', error: { code, message, hint } }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isMagpieError } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import { trainVersion } from './train.js';

/** What the main thread hands the worker. */
export interface TrainWorkerInput {
  storeUrl: string;
  modelsDir: string;
  spec: string;
}

async function run(): Promise<void> {
  const input = workerData as TrainWorkerInput;
  const port = parentPort!;
  let lastPost = 0;
  const store = await openStore(input.storeUrl);
  try {
    const version = await trainVersion(store, {
      spec: input.spec,
      modelsDir: input.modelsDir,
      onProgress: (fraction, stage) => {
        const now = Date.now();
        if (now - lastPost < 100 && fraction < 1) return;
        lastPost = now;
        port.postMessage({ type: 'progress', fraction, stage });
      },
    });
    port.postMessage({ type: 'done', version });
  } finally {
    await store.close();
  }
}

run().catch((error: unknown) => {
  const e = error as Error;
  parentPort!.postMessage({
    type: 'error',
    error: isMagpieError(error)
      ? { code: error.code, message: error.message, hint: error.hint ?? null }
      : { code: 'internal', message: e?.message ?? String(error), hint: null },
  });
});
