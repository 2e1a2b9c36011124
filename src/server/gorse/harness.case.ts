// Starts the Gorse routes under /api on a real fastify server (port 0) over Magpie's engine
// (openEngine) on a fresh SQLite file, which the training worker can open too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { openEngine } from '../../serve/engine.js';
import { openStore } from '../../store/index.js';
import { gorseRoutes, type GorseAuthorize } from './index.js';

/** A running server, its engine, and how to reach it. */
export interface GorseHarness {
  url: string;
  engine: Awaited<ReturnType<typeof openEngine>>;
  /** Trains a model version (e.g. `item-knn`) from what is stored, activates it and waits for it. */
  train(spec: string): Promise<void>;
  close(): Promise<void>;
}

/** The test key with every scope. */
export const ADMIN_KEY = 'test-admin-key';
/** A test key that may only read. */
export const READ_KEY = 'test-read-key';

/** Lets ADMIN_KEY do anything and READ_KEY only read. */
export const testAuthorize: GorseAuthorize = (key, scope) => key === ADMIN_KEY || (key === READ_KEY && scope === 'read');

/** Serves the Gorse routes over a new engine on an empty store. */
export async function startGorse(options: { authorize?: GorseAuthorize | null; server?: FastifyServerOptions; setup?: (app: FastifyInstance) => void } = {}): Promise<GorseHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-gorse-'));
  const store = await openStore(`sqlite:${join(dir, 'magpie.db')}`);
  const engine = await openEngine({ store, modelsDir: join(dir, 'models'), trainOnStart: false, pollMs: 0, historyTtlMs: 0, logger: { warn: () => {} } });
  const app = Fastify({ logger: false, ...options.server });
  options.setup?.(app);
  const authorize = options.authorize === null ? undefined : (options.authorize ?? testAuthorize);
  await app.register(gorseRoutes, { prefix: '/api', engine, ...(authorize ? { authorize } : {}) });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    engine,
    async train(spec) {
      const job = await engine.models.train(spec, { activate: true });
      await engine.models.idle();
      const done = engine.models.job(job.id);
      assert.equal(done?.status, 'done', `training ${spec} failed: ${done?.error}`);
    },
    async close() {
      await app.close();
      await engine.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
