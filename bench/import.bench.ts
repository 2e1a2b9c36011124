// Import throughput of the full UCI Online Retail file (541,909 lines) into SQLite and PostgreSQL,
// each as a ratio of a raw insert of the same event rows measured in the same run:
//   SQLite:     a raw better-sqlite3 prepared INSERT in transactions of 20,000 rows;
//   PostgreSQL: a raw COPY FROM STDIN of the same rows, and a raw multi-row INSERT (2,000 rows a statement).
// Both baselines write into the same schema (same table and indexes) that Magpie uses, so the ratio
// is Magpie's own overhead: gunzip, CSV parsing, validation, items/users/orders, batching.
//
//   npm run bench:import [-- --only sqlite|postgres] [--pg postgres://…]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { importSource, onlineRetailSource, type SourceRecord } from '../src/ingest/index.js';
import { openStore } from '../src/store/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { PostgresStore, dropSchema } from '../src/store/postgres/index.js';
import { copyText } from '../src/store/postgres/write.js';
import { EVENT_COLUMNS, eventValues } from '../src/store/rows.js';
import type { Event } from '../src/core/types.js';
import { dataset, figure, timed } from './util.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const pgBase = args.includes('--pg') ? args[args.indexOf('--pg') + 1]! : (process.env.MAGPIE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
const file = dataset('online-retail/online_retail.csv.gz');
const LINES = 541_909;

console.log(`Import benchmark: ${file}`);
const parsed = await timed(async () => {
  const events: Event[] = [];
  const source = onlineRetailSource(file);
  for await (const batch of source.records()) for (const r of batch as SourceRecord[]) if (r.event) events.push(r.event);
  return events;
});
const events = parsed.value;
figure('parse only (gunzip + CSV + mapping)', LINES / parsed.seconds, `lines/s (${parsed.seconds.toFixed(2)} s)`);
figure('event rows to store', events.length, 'rows');

const dir = mkdtempSync(join(tmpdir(), 'magpie-bench-'));

async function sqliteRaw(): Promise<number> {
  const store = SqliteStore.open(`sqlite:${join(dir, 'raw.db')}`);
  const insert = store.db.prepare(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  const write = store.db.transaction((rows: Event[]) => {
    for (const e of rows) insert.run(...eventValues(e));
  });
  const { seconds } = await timed(() => {
    for (let i = 0; i < events.length; i += 20_000) write(events.slice(i, i + 20_000));
  });
  await store.close();
  return seconds;
}

async function sqliteMagpie(): Promise<number> {
  const store = await openStore(`sqlite:${join(dir, 'magpie.db')}`);
  const { value: report, seconds } = await timed(() => importSource(store, onlineRetailSource(file)));
  if (report.eventsStored !== events.length) throw new Error(`stored ${report.eventsStored} events, expected ${events.length}`);
  await store.close();
  return seconds;
}

/** A fresh schema with Magpie's tables and a plain pg client on it, for the raw baselines. */
async function withRawSchema(name: string, work: (client: pg.Client) => Promise<void>): Promise<number> {
  const schema = `magpie_bench_${name}_${process.pid}`;
  const url = `${pgBase}?schema=${schema}`;
  await (await PostgresStore.open(url)).close();
  const client = new pg.Client({ connectionString: pgBase, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await timed(() => work(client))).seconds;
  } finally {
    await client.end();
    await dropSchema(url);
  }
}

/** Raw COPY FROM STDIN of the event rows (the store's own COPY escaping), 20,000 rows a transaction. */
function postgresRaw(): Promise<number> {
  return withRawSchema('raw', async (client) => {
    for (let i = 0; i < events.length; i += 20_000) {
      await client.query('BEGIN');
      const copy = client.query(copyFrom(`COPY events (${EVENT_COLUMNS.join(', ')}) FROM STDIN`));
      await pipeline(Readable.from(copyText(events.slice(i, i + 20_000).map(eventValues))), copy);
      await client.query('COMMIT');
    }
  });
}

/** Raw multi-row INSERTs of the event rows, 2,000 rows a statement, 20,000 a transaction. */
function postgresRawInsert(): Promise<number> {
  const perStatement = 2_000;
  return withRawSchema('insert', async (client) => {
    for (let i = 0; i < events.length; i += 20_000) {
      await client.query('BEGIN');
      for (let j = i; j < Math.min(i + 20_000, events.length); j += perStatement) {
        const rows = events.slice(j, Math.min(j + perStatement, i + 20_000, events.length));
        const values: unknown[] = [];
        const tuples = rows.map((e, r) => {
          values.push(...eventValues(e));
          return `(${EVENT_COLUMNS.map((_, c) => `$${r * EVENT_COLUMNS.length + c + 1}`).join(', ')})`;
        });
        await client.query(`INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
      await client.query('COMMIT');
    }
  });
}

async function postgresMagpie(): Promise<number> {
  const url = `${pgBase}?schema=magpie_bench_import_${process.pid}`;
  const store = await openStore(url);
  try {
    const { value: report, seconds } = await timed(() => importSource(store, onlineRetailSource(file)));
    if (report.eventsStored !== events.length) throw new Error(`stored ${report.eventsStored} events, expected ${events.length}`);
    return seconds;
  } finally {
    await store.close();
    await dropSchema(url);
  }
}

try {
  if (only !== 'postgres') {
    console.log('\nSQLite (WAL, same schema and indexes)');
    const raw = await sqliteRaw();
    const magpie = await sqliteMagpie();
    figure('raw prepared INSERT of the event rows', events.length / raw, `rows/s (${raw.toFixed(2)} s)`);
    figure('magpie import online-retail (end to end)', LINES / magpie, `lines/s (${magpie.toFixed(2)} s)`);
    figure('ratio magpie / raw (goal >= 0.5)', ((LINES / magpie) / (events.length / raw)).toFixed(2));
  }
  if (only !== 'sqlite') {
    console.log('\nPostgreSQL (same schema and indexes)');
    const raw = await postgresRaw();
    const insert = await postgresRawInsert();
    const magpie = await postgresMagpie();
    figure('raw COPY of the event rows', events.length / raw, `rows/s (${raw.toFixed(2)} s)`);
    figure('raw multi-row INSERT of the event rows', events.length / insert, `rows/s (${insert.toFixed(2)} s)`);
    figure('magpie import online-retail (end to end)', LINES / magpie, `lines/s (${magpie.toFixed(2)} s)`);
    figure('ratio magpie / raw COPY (goal >= 0.5)', ((LINES / magpie) / (events.length / raw)).toFixed(2));
    figure('ratio magpie / raw multi-row INSERT', ((LINES / magpie) / (events.length / insert)).toFixed(2));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
