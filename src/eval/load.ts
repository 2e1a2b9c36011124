/**
 * Loads the data an offline evaluation runs on, straight from a file (any `magpie import` format)
 * or from a store, into a {@link Dataset} — without importing anything first.
 */
import { MagpieError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import type { Event, Item } from '../core/types.js';
import { buildDataset, type BuildOptions } from '../dataset/build.js';
import type { Dataset } from '../dataset/types.js';
import { IMPORT_FORMATS, openSource } from '../ingest/index.js';
import type { Source } from '../ingest/types.js';
import { openStore } from '../store/index.js';

/** Where evaluation data comes from: a file in an import format, or a store by URL. */
export type DataSpec = { kind: 'file'; format: string; path: string } | { kind: 'store'; url: string | undefined };

/** The accepted `--data` forms, for help texts and error hints. */
export const DATA_SPEC_FORMS = `<format>:<path> with format one of ${IMPORT_FORMATS.join(', ')}; or db (the default store), sqlite:<file>, postgres://…`;

/**
 * Parses a `--data` value: `movielens:../ml-100k`, `events-csv:shop.csv`, `db`, `sqlite:./x.db`,
 * `postgres://…`. Only the first `:` separates the format, so paths may contain colons.
 *
 * @example
 * parseDataSpec('movielens:../ml-100k'); // { kind: 'file', format: 'movielens', path: '../ml-100k' }
 */
export function parseDataSpec(spec: string): DataSpec {
  const text = spec.trim();
  if (text === 'db') return { kind: 'store', url: undefined };
  if (text.startsWith('sqlite:') || text === ':memory:' || text.startsWith('postgres://') || text.startsWith('postgresql://')) {
    return { kind: 'store', url: text };
  }
  const colon = text.indexOf(':');
  const format = colon < 0 ? '' : text.slice(0, colon);
  const path = colon < 0 ? '' : text.slice(colon + 1);
  if (colon < 0 || path === '' || !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    const what = colon < 0 ? `no format in --data "${spec}"` : `unknown data format "${format}" in --data "${spec}"`;
    throw new MagpieError('invalid_input', what, { location: { field: 'data' }, hint: `write ${DATA_SPEC_FORMS}` });
  }
  return { kind: 'file', format, path };
}

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Dataset builder options (weights, binary ratings, k-core filters); the catalog is filled here. */
  build?: Omit<BuildOptions, 'catalog'>;
  /** events-csv/jsonl column mapping and type renames, as in `magpie import`. */
  map?: string;
  types?: string;
  /** Byte progress while reading a file (events while reading a store). */
  progress?: Progress;
}

/** A loaded dataset with what was skipped on the way (rejected lines) and notes for the reader. */
export interface LoadedData {
  dataset: Dataset;
  /** Input lines that could not be read as events. */
  rejected: number;
  notes: string[];
}

/**
 * Reads a file or a store into a Dataset, catalog included, streaming: events flow into the
 * builder as they are parsed, so the whole file never sits in memory as Event objects.
 */
export async function loadDataset(spec: DataSpec | string, options: LoadOptions = {}): Promise<LoadedData> {
  const parsed = typeof spec === 'string' ? parseDataSpec(spec) : spec;
  return parsed.kind === 'file' ? loadFile(parsed.format, parsed.path, options) : loadStore(parsed.url, options);
}

/**
 * The builder reads `catalog` only after it has consumed every event (it attaches catalog rows
 * to the final item ids), so a lazy view of a map filled during the event stream sees every row.
 */
function lazyCatalog(items: Map<string, Item>): Iterable<Item> {
  return { [Symbol.iterator]: () => items.values() };
}

async function loadFile(format: string, path: string, options: LoadOptions): Promise<LoadedData> {
  const source: Source = openSource(format, path, { map: options.map, types: options.types });
  const progress = options.progress ?? silentProgress;
  const items = new Map<string, Item>();
  let rejected = 0;
  async function* events(): AsyncIterable<Event> {
    progress.start(`reading ${format}`, source.totalBytes);
    let lastBytes = 0;
    try {
      for await (const batch of source.records()) {
        for (const record of batch) {
          if (record.rejected !== undefined) rejected++;
          if (record.item !== undefined) items.set(record.item.id, record.item);
        }
        // Events are yielded after the batch's items are noted; the builder needs only events.
        for (const record of batch) if (record.event !== undefined) yield record.event;
        const bytes = source.bytesRead();
        progress.tick(bytes - lastBytes);
        lastBytes = bytes;
      }
      for (const record of source.finalRecords?.() ?? []) if (record.item !== undefined) items.set(record.item.id, record.item);
    } finally {
      progress.stop();
    }
  }
  const dataset = await buildDataset(events(), { ...options.build, catalog: lazyCatalog(items) });
  return { dataset, rejected, notes: [...source.notes] };
}

async function loadStore(url: string | undefined, options: LoadOptions): Promise<LoadedData> {
  const store = await openStore(url);
  const progress = options.progress ?? silentProgress;
  try {
    const stats = await store.stats();
    const items = new Map<string, Item>();
    for (let after: string | undefined; ; ) {
      const page = await store.listItems({ ...(after === undefined ? {} : { after }), limit: 5000 });
      for (const item of page) items.set(item.id, item);
      if (page.length < 5000) break;
      after = page[page.length - 1]!.id;
    }
    async function* events(): AsyncIterable<Event> {
      progress.start('reading events', stats.events);
      let pending = 0;
      try {
        for await (const event of store.iterateEvents({ batchSize: 20_000 })) {
          // Ticking per event would cost more than reading it.
          if (++pending === 10_000) {
            progress.tick(pending);
            pending = 0;
          }
          yield event;
        }
        progress.tick(pending);
      } finally {
        progress.stop();
      }
    }
    const dataset = await buildDataset(events(), { ...options.build, catalog: items.values() });
    return { dataset, rejected: 0, notes: [] };
  } finally {
    await store.close();
  }
}
