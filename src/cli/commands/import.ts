import type { Command } from 'commander';
import { importSource, openSource, IMPORT_FORMATS, type ImportReport } from '../../ingest/index.js';
import { openStore } from '../../store/index.js';
import { int, table } from '../format.js';
import { terminalProgress } from '../progress.js';

/** Prints an import report: counts, rejections by reason and the first rejected lines. */
export function printImportReport(report: ImportReport, log: (line: string) => void = console.log): void {
  log(`Read ${int(report.rowsRead)} rows of ${report.path} in ${report.seconds.toFixed(1)} s (${int(report.rowsRead / Math.max(report.seconds, 1e-3))} rows/s)`);
  log(
    `Stored ${int(report.eventsStored)} new events` +
      (report.eventsAlreadyStored ? ` (${int(report.eventsAlreadyStored)} were already stored)` : '') +
      `; wrote ${int(report.itemsStored)} item, ${int(report.usersStored)} user and ${int(report.ordersStored)} order records; rejected ${int(report.rejected)} rows`,
  );
  const reasons = Object.entries(report.rejectedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) {
    log('');
    log(table(['rejected because', 'rows'], reasons.map(([reason, n]) => [reason, int(n)])));
    log('');
    log('First rejected rows:');
    for (const r of report.firstRejections) log(`  line ${r.line}: ${r.reason}${r.detail ? ` — ${r.detail}` : ''}`);
  }
  for (const note of report.notes) log(`Note: ${note}`);
}

/** `magpie import <format> <path>`. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description(`import a file into the store; formats: ${IMPORT_FORMATS.join(', ')}`)
    .argument('<format>', IMPORT_FORMATS.join(' | '))
    .argument('<path>', 'file (gzip accepted) or, for movielens, a folder')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--map <pairs>', 'events-csv/jsonl: field=column pairs, e.g. user=customer_id,item=sku,type=event,time=ts')
    .option('--types <pairs>', 'events-csv/jsonl: renames of event types, e.g. pageview=view,buy=purchase')
    .option('--batch <n>', 'rows per transaction', '20000')
    .option('--json <file>', 'also write the report as JSON')
    .action(async (format: string, path: string, options: { db?: string; map?: string; types?: string; batch: string; json?: string }) => {
      const source = openSource(format, path, { map: options.map, types: options.types });
      const store = await openStore(options.db);
      try {
        const report = await importSource(store, source, { batchSize: Number(options.batch), progress: terminalProgress({ unit: 'bytes' }) });
        printImportReport(report);
        if (options.json) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(options.json, JSON.stringify(report, null, 2));
        }
      } finally {
        await store.close();
      }
    });
}
