// The store the serving benchmark runs against: the full UCI Online Retail file cut to its 4,000
// most-bought products (every line of other products dropped), imported into SQLite, with the
// default model (`auto` → EASE) trained and activated. Built once per directory and reused, so
// reruns of the bench measure serving, not importing.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSource, onlineRetailSource, type Source, type SourceRecord } from '../src/ingest/index.js';
import { writeActive } from '../src/serve/models/pointer.js';
import { trainVersion } from '../src/serve/models/train.js';
import { readVersionIds } from '../src/serve/models/versions.js';
import type { ModelVersion } from '../src/serve/types.js';
import { openStore } from '../src/store/index.js';

/** What the bench needs to know about the store it built. */
export interface ServeData {
  url: string;
  modelsDir: string;
  version: ModelVersion;
  /** Catalogue size, and the customers the model was trained on (the feed requests' users). */
  items: number;
  users: string[];
  /** Item ids, for generated events. */
  itemIds: string[];
}

/** Products of the file by number of purchase lines, most first. */
async function topItems(path: string, count: number): Promise<Set<string>> {
  const lines = new Map<string, number>();
  for await (const batch of onlineRetailSource(path).records()) {
    for (const record of batch) if (record.event?.itemId) lines.set(record.event.itemId, (lines.get(record.event.itemId) ?? 0) + 1);
  }
  const ranked = [...lines].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Set(ranked.slice(0, count).map(([id]) => id));
}

/** The source with every record about another item left out (orders keep only kept lines). */
function onlyItems(source: Source, keep: ReadonlySet<string>): Source {
  const pass = (record: SourceRecord): SourceRecord | null => {
    if (record.item && !keep.has(record.item.id)) return null;
    if (record.event?.itemId && !keep.has(record.event.itemId)) return record.user ? { line: record.line, user: record.user } : null;
    if (record.order) {
      const lines = record.order.lines.filter((l) => keep.has(l.itemId));
      return lines.length === 0 ? null : { ...record, order: { ...record.order, lines } };
    }
    return record;
  };
  return {
    format: source.format,
    path: source.path,
    totalBytes: source.totalBytes,
    bytesRead: () => source.bytesRead(),
    notes: source.notes,
    async *records() {
      for await (const batch of source.records()) yield batch.map(pass).filter((r): r is SourceRecord => r !== null);
    },
    *finalRecords() {
      for (const record of source.finalRecords?.() ?? []) {
        const kept = pass(record);
        if (kept) yield kept;
      }
    },
  };
}

/**
 * Builds (or reuses) the bench store under `dir`: `serve.db` and `models/`.
 *
 * @example
 * const data = await serveData('/tmp/magpie-serve-bench', '../shared/datasets/online-retail/online_retail.csv.gz', 4000);
 */
export async function serveData(dir: string, file: string, itemCount: number, log: (line: string) => void): Promise<ServeData> {
  mkdirSync(dir, { recursive: true });
  const url = `sqlite:${join(dir, 'base.db')}`;
  const modelsDir = join(dir, 'models');
  const marker = join(dir, 'ready.json');
  const store = await openStore(url);
  try {
    let version: ModelVersion;
    if (existsSync(marker) && (JSON.parse(readFileSync(marker, 'utf8')) as { items: number }).items === itemCount) {
      version = (JSON.parse(readFileSync(marker, 'utf8')) as { version: ModelVersion }).version;
      log(`reusing the bench store in ${dir} (delete it to rebuild)`);
    } else {
      log(`building the bench store in ${dir}: the ${itemCount.toLocaleString('en-US')} most-bought products of ${file}`);
      const keep = await topItems(file, itemCount);
      const report = await importSource(store, onlyItems(onlineRetailSource(file), keep));
      log(`imported ${report.eventsStored.toLocaleString('en-US')} events, ${report.itemsStored.toLocaleString('en-US')} items, ${report.usersStored.toLocaleString('en-US')} customers`);
      version = await trainVersion(store, { spec: 'auto', modelsDir });
      await writeActive(store, version.id);
      writeFileSync(marker, JSON.stringify({ items: itemCount, version }));
    }
    const items: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await store.listItems({ ...(after === undefined ? {} : { after }), limit: 5000 });
      items.push(...page.map((i) => i.id));
      if (page.length < 5000) break;
      after = page[page.length - 1]!.id;
    }
    // Feed requests go to customers the model knows (anonymous invoices are `session:` rows).
    const ids = await readVersionIds(join(modelsDir, version.id), version);
    const users = ids.users.filter((id) => !id.startsWith('session:'));
    return { url, modelsDir, version, items: items.length, users, itemIds: items };
  } finally {
    await store.close();
  }
}

/**
 * A copy of the built store and models under `runDir`, so what one run writes (events, retrained
 * versions) never reaches the next run.
 */
export function freshCopy(data: ServeData, dir: string, runDir: string): ServeData {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  cpSync(join(dir, 'base.db'), join(runDir, 'serve.db'));
  cpSync(data.modelsDir, join(runDir, 'models'), { recursive: true });
  return { ...data, url: `sqlite:${join(runDir, 'serve.db')}`, modelsDir: join(runDir, 'models') };
}
