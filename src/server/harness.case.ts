// Starts the API on a real listening server (port 0) for the route tests, with an SDK client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MagpieApiError, MagpieClient } from '../client/index.js';
import { openEngine } from '../serve/engine.js';
import { createExperimentService } from '../serve/experiments/index.js';
import type { Engine } from '../serve/types.js';
import { openStore } from '../store/index.js';
import { buildServer, type ServerOptions } from './index.js';

/** A running server, how to reach it, and its engine. */
export interface Harness {
  app: FastifyInstance;
  url: string;
  engine: Engine;
  /** A client of this server with `apiKey` (default: the harness' own admin key, when one is set). */
  client(apiKey?: string): MagpieClient;
  close(): Promise<void>;
}

/**
 * Serves the API over the real engine (serve/engine.ts) with stored experiments, on a fresh
 * in-memory SQLite store (the engine then trains on the main thread: no worker to boot, so tests
 * stay fast) and a temporary models directory that goes when the server closes. A test that
 * needs a controlled failure passes its own `engine` (see test-engine.case.ts) instead.
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<Harness> {
  const dir = options.engine ? null : mkdtempSync(join(tmpdir(), 'magpie-server-'));
  let engine = options.engine;
  if (!engine) {
    const store = await openStore(':memory:');
    engine = await openEngine({ store, modelsDir: join(dir!, 'models'), experiments: await createExperimentService(store), pollMs: 0, trainOnStart: false });
  }
  const app = await buildServer({ logger: false, ...options, engine });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const served = engine;
  return {
    app,
    url,
    engine: served,
    client: (apiKey = options.apiKey) => new MagpieClient({ baseUrl: url, ...(apiKey ? { apiKey } : {}) }),
    async close() {
      await app.close();
      await served.close();
      await served.store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the MagpieApiError a promise rejects with; fails when it resolves or fails otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<MagpieApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MagpieApiError) return error;
    throw error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
