/**
 * Entry of the training process (see jobs.ts): a child process that receives its input as the
 * first IPC message, opens the store by URL, trains, saves the version and reports back.
 * Messages: `{ type: 'progress', fraction, stage }`, then `{ type: 'done', version }` or
 * `{ type: 'error', error: { code, message, hint } }`; the process then exits, so every byte the
 * fit used (the Gram matrices of a large catalogue, the engine's heap) goes back to the system
 * instead of staying in the server's allocator.
 */
import { isMagpieError } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import { trainVersion } from './train.js';

/** What the server hands the training process. */
export interface TrainWorkerInput {
  storeUrl: string;
  modelsDir: string;
  spec: string;
}

/** The first message the server sends. */
export interface TrainWorkerStart {
  type: 'start';
  input: TrainWorkerInput;
}

/** Sends one message to the server and resolves once it is handed to the channel. */
function post(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function run(input: TrainWorkerInput): Promise<void> {
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
        void post({ type: 'progress', fraction, stage });
      },
    });
    await post({ type: 'done', version });
  } finally {
    await store.close();
  }
}

function describe(error: unknown): { code: string; message: string; hint: string | null } {
  const e = error as Error;
  return isMagpieError(error) ? { code: error.code, message: error.message, hint: error.hint ?? null } : { code: 'internal', message: e?.message ?? String(error), hint: null };
}

// The server going away (its IPC channel closing) ends the job: nobody is left to take the version.
process.once('disconnect', () => process.exit(0));
process.once('message', (message: TrainWorkerStart) => {
  run(message.input)
    .catch((error: unknown) => post({ type: 'error', error: describe(error) }))
    .finally(() => {
      process.disconnect?.();
      process.exit(0);
    });
});
