import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { MagpieError } from '../../core/errors.js';
import { openEngine } from '../../serve/engine.js';
import { tuneServingHeap } from '../../serve/heap.js';
import { createExperimentService } from '../../serve/experiments/index.js';
import { ApiKeys, buildServer } from '../../server/index.js';
import { openStore } from '../../store/index.js';

/** Flags of `magpie serve`. */
export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  modelsDir?: string;
  apiKey?: string;
  model?: string;
  retrainEvery?: string;
  cors?: string;
  rateLimit?: string;
  bodyLimit?: string;
}

/** A started server and how to stop it. */
export interface RunningServer {
  app: FastifyInstance;
  /** Where clients reach it, e.g. `http://127.0.0.1:8080`. */
  url: string;
  authEnabled: boolean;
  /** Stops accepting, finishes requests in flight, flushes the engine and closes the store. */
  close(): Promise<void>;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration such as `30m`, `6h` or `1d`.
 *
 * @example
 * parseDuration('6h'); // 21600000
 */
export function parseDuration(text: string, field = 'retrain-every'): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
  if (!(ms >= 60_000)) {
    throw new MagpieError('invalid_input', `--${field} "${text}" is not a duration of at least a minute`, { location: { field }, hint: 'e.g. 30m, 6h or 1d' });
  }
  return ms;
}

function integer(text: string | undefined, field: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new MagpieError('invalid_input', `--${field} must be a whole number from ${min} to ${max}, got "${text}"`, { location: { field } });
  }
  return n;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Opens the store and engine and starts listening; what `magpie serve` does, callable from tests. */
export async function startServe(flags: ServeFlags, log: (line: string) => void = console.log): Promise<RunningServer> {
  const port = integer(flags.port ?? process.env.PORT ?? '8080', 'port', 0, 65_535)!;
  const rateLimitPerMinute = integer(flags.rateLimit, 'rate-limit', 0, 1_000_000);
  const bodyLimitBytes = integer(flags.bodyLimit, 'body-limit', 1024, 1024 ** 3);
  const retrainEveryMs = flags.retrainEvery === undefined ? undefined : parseDuration(flags.retrainEvery);
  const apiKey = flags.apiKey ?? process.env.MAGPIE_API_KEY;
  if (apiKey !== undefined && apiKey.length < 16) {
    throw new MagpieError('invalid_input', 'the API key is shorter than 16 characters', { location: { field: 'api-key' }, hint: 'use a long random key, e.g. from `openssl rand -hex 24`' });
  }

  tuneServingHeap();
  const store = await openStore(flags.db);
  let app: FastifyInstance | undefined;
  let engine: Awaited<ReturnType<typeof openEngine>> | undefined;
  try {
    const authEnabled = await new ApiKeys(store, apiKey).enabled();
    const host = flags.host ?? (authEnabled ? '0.0.0.0' : '127.0.0.1');
    if (!authEnabled && !LOOPBACK.has(host)) {
      throw new MagpieError('invalid_input', `refusing to listen on ${host} with no API key: every route would be open to the network`, {
        location: { field: 'host' },
        hint: 'set MAGPIE_API_KEY (or --api-key), or leave --host out to listen on 127.0.0.1 only',
      });
    }
    // The engine starts before the server; its messages join the server's JSON log once it exists.
    let logTo: FastifyInstance | undefined;
    const engineLog = {
      warn: (message: string, error?: unknown) => {
        if (logTo) logTo.log.warn({ err: error }, message);
        else if (process.env.MAGPIE_LOG !== 'silent') console.warn(`magpie: ${message}${error instanceof Error ? `: ${error.message}` : ''}`);
      },
      info: (message: string) => (logTo ? logTo.log.info(message) : log(message)),
    };
    engine = await openEngine({
      store,
      logger: engineLog,
      ...(flags.modelsDir ? { modelsDir: flags.modelsDir } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      ...(retrainEveryMs ? { retrainEveryMs } : {}),
      experiments: await createExperimentService(store),
    });
    app = await buildServer({
      engine,
      ...(apiKey ? { apiKey } : {}),
      ...(flags.cors ? { corsOrigins: flags.cors.split(',').map((o) => o.trim()).filter(Boolean) } : {}),
      ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
      ...(bodyLimitBytes !== undefined ? { bodyLimitBytes } : {}),
    });
    logTo = app;
    await app.listen({ port, host });
    const address = app.server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    const url = `http://${shown}:${boundPort}`;
    log(`Magpie API on ${url}${host === '0.0.0.0' || host === '::' ? ' (all interfaces)' : ''}`);
    log(`API docs on ${url}/docs`);
    if (authEnabled) log('Auth: on (send "Authorization: Bearer <key>" or "X-API-Key: <key>")');
    else {
      log(`Auth: OFF: no API key configured, every route is open; listening on ${host} only. Set MAGPIE_API_KEY to serve other machines.`);
      app.log.warn({ host }, `no API key configured: every route is open; listening on ${host} only`);
    }
    const running = app;
    const opened = engine;
    return {
      app: running,
      url,
      authEnabled,
      async close() {
        await running.close();
        await opened.close();
        await store.close();
      },
    };
  } catch (error) {
    await app?.close();
    await engine?.close();
    await store.close();
    throw error;
  }
}

/** Closes the server on SIGINT/SIGTERM; a second signal, or 15 s without finishing, exits at once. */
export function closeOnSignals(server: RunningServer, log: (line: string) => void = console.log): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    log(`${signal}: finishing requests in flight, then closing the store…`);
    const force = setTimeout(() => {
      log('still not closed after 15 s: exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => {
        log('Stopped.');
        process.exitCode = 0;
      },
      (error: unknown) => {
        log(`error while closing: ${(error as Error).message}`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** `magpie serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (/v1), its docs (/docs), health checks (/health) and metrics (/metrics)')
    .option('--port <n>', 'port to listen on (default $PORT or 8080; 0 picks a free one)')
    .option('--host <host>', 'interface to listen on (default 0.0.0.0 with an API key, else 127.0.0.1 only)')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--models-dir <dir>', 'directory of model versions (default ./data/models)')
    .option('--api-key <key>', 'admin key with every scope (default $MAGPIE_API_KEY)')
    .option('--model <spec>', 'model trained by default, e.g. ease:lambda=400 (default auto)')
    .option('--retrain-every <duration>', 'retrain in the background this often, e.g. 6h')
    .option('--cors <origins>', 'comma-separated origins allowed by CORS (* for any)')
    .option('--rate-limit <n>', 'requests per minute per key, or per address without one (0 = off; default 1200)')
    .option('--body-limit <bytes>', 'largest request body (default 1048576)')
    .action(async (flags: ServeFlags) => {
      const server = await startServe(flags);
      closeOnSignals(server);
    });
}
