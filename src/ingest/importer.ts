import { silentProgress, type Progress } from '../core/progress.js';
import type { Store, WriteBatch } from '../store/store.js';
import type { ImportReport, Source, SourceRecord } from './types.js';

/** Options of {@link importSource}. */
export interface ImportOptions {
  /** Input lines per transaction (default 20,000). */
  batchSize?: number;
  progress?: Progress;
  /** How many rejected lines to keep with their line numbers (default 10). */
  keepRejections?: number;
}

function emptyBatch(): Required<WriteBatch> {
  return { users: [], items: [], events: [], orders: [] };
}

/**
 * Streams a source into a store in batches, each one transaction holding the items and users
 * its events mention. A crash mid-import leaves every committed batch intact; running the same
 * import again stores only what is missing, because event ids are stable.
 *
 * @example
 * const report = await importSource(store, onlineRetailSource('online_retail.csv.gz'));
 * console.log(report.eventsStored, report.rejected);
 */
export async function importSource(store: Store, source: Source, options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 20_000;
  const progress = options.progress ?? silentProgress;
  const keep = options.keepRejections ?? 10;
  const report: ImportReport = {
    format: source.format,
    path: source.path,
    rowsRead: 0,
    eventsStored: 0,
    eventsAlreadyStored: 0,
    itemsStored: 0,
    usersStored: 0,
    ordersStored: 0,
    rejected: 0,
    rejectedByReason: {},
    firstRejections: [],
    notes: source.notes,
    seconds: 0,
  };
  let batch = emptyBatch();
  let lines = 0;
  let lastBytes = 0;

  // One write may be in flight while the next batch is parsed: with a server database (PostgreSQL)
  // parsing and storing then run in parallel. Batches still commit in input order.
  let inFlight: Promise<void> | null = null;
  const flush = async (): Promise<void> => {
    const pending = batch;
    batch = emptyBatch();
    lines = 0;
    if (inFlight) await inFlight;
    inFlight = store.write(pending).then((result) => {
      report.eventsStored += result.events;
      report.eventsAlreadyStored += result.duplicateEvents;
      report.itemsStored += pending.items.length;
      report.usersStored += pending.users.length;
      report.ordersStored += pending.orders.length;
      const bytes = source.bytesRead();
      progress.tick(bytes - lastBytes, { rows: report.rowsRead });
      lastBytes = bytes;
    });
    // A failed write is reported where it is awaited; keep it from surfacing as unhandled meanwhile.
    inFlight.catch(() => {});
  };
  const add = (record: SourceRecord): void => {
    if (record.rejected !== undefined) {
      report.rejected++;
      report.rejectedByReason[record.rejected] = (report.rejectedByReason[record.rejected] ?? 0) + 1;
      if (report.firstRejections.length < keep) {
        report.firstRejections.push({ line: record.line, reason: record.rejected, ...(record.detail ? { detail: record.detail } : {}) });
      }
      return;
    }
    if (record.user) batch.users.push(record.user);
    if (record.item) batch.items.push(record.item);
    if (record.event) batch.events.push(record.event);
    if (record.order) batch.orders.push(record.order);
  };

  progress.start(`import ${source.format}`, source.totalBytes);
  try {
    for await (const records of source.records()) {
      for (const record of records) {
        if (record.event || record.rejected !== undefined) report.rowsRead++;
        add(record);
      }
      lines += records.length;
      if (lines >= batchSize) await flush();
    }
    for (const record of source.finalRecords?.() ?? []) add(record);
    await flush();
    await inFlight;
  } finally {
    progress.stop();
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
