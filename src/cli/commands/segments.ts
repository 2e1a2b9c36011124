import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { MagpieError } from '../../core/errors.js';
import { exportRows, segmentCustomers, segmentMethod, toCsv, type SegmentOptions, type Segmentation } from '../../marketing/index.js';
import { openStore } from '../../store/index.js';
import { int, table } from '../format.js';

/** Flags of `magpie segments`. */
export interface SegmentsFlags {
  db?: string;
  method?: string;
  k?: string;
  asOf?: string;
  from?: string;
  seed?: string;
  csv?: string;
  json?: string;
}

const money = (x: number): string => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Parses the flags into library options; bad values fail before the store is opened. */
export function segmentsOptions(flags: SegmentsFlags): SegmentOptions {
  const options: SegmentOptions = { method: segmentMethod(flags.method ?? 'rfm') };
  if (flags.k !== undefined && flags.k !== 'auto') {
    const k = Number(flags.k);
    if (!Number.isInteger(k) || k < 1) throw new MagpieError('invalid_input', `--k must be "auto" or a whole number ≥ 1, got "${flags.k}"`, { location: { field: 'k' } });
    options.k = k;
  }
  if (flags.seed !== undefined) {
    const seed = Number(flags.seed);
    if (!Number.isInteger(seed)) throw new MagpieError('invalid_input', `--seed must be a whole number, got "${flags.seed}"`, { location: { field: 'seed' } });
    options.seed = seed;
  }
  if (flags.asOf !== undefined) options.asOf = flags.asOf;
  if (flags.from !== undefined) options.from = flags.from;
  return options;
}

/** The summary table printed for a segmentation: one row per segment. */
export function segmentsTable(result: Segmentation): { header: string[]; rows: string[][] } {
  return {
    header: ['segment', 'customers', 'share', 'median days since', 'mean orders', 'mean spend', 'total spend', 'avg order', 'top categories', 'description'],
    rows: result.segments.map((s) => [
      s.segment,
      int(s.size),
      `${(s.share * 100).toFixed(1)}%`,
      s.medianRecencyDays.toFixed(0),
      s.meanFrequency.toFixed(1),
      money(s.meanMonetary),
      money(s.totalMonetary),
      money(s.averageOrderValue),
      s.topCategories.map((c) => `${c.category} ${(c.share * 100).toFixed(0)}%`).join('; '),
      s.description,
    ]),
  };
}

// Written through a temporary file and a rename, so a mailing tool never picks up half a file.
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** What `magpie segments` does, callable from tests: segments, prints the table, writes `--csv`/`--json`. */
export async function runSegmentsCommand(flags: SegmentsFlags, log: (line: string) => void = console.log): Promise<Segmentation> {
  const options = segmentsOptions(flags);
  const store = await openStore(flags.db);
  let result: Segmentation;
  try {
    result = await segmentCustomers(store, options);
  } finally {
    await store.close();
  }
  const asOf = new Date(result.asOf).toISOString().replace(/\.000Z$/, 'Z');
  log(`${result.method === 'rfm' ? 'RFM segments' : 'k-means segments'} of ${int(result.customers.length)} customers as of ${asOf}`);
  if (result.kmeans) {
    const tried = result.kmeans.candidates.map((c) => `k=${c.k}: ${c.silhouette.toFixed(3)}`).join(', ');
    log(`k = ${result.kmeans.k} (silhouette ${tried}) on ${result.kmeans.columns.map((c, i) => (result.kmeans!.logged[i] ? `log ${c}` : c)).join(', ')}`);
  }
  const printed = segmentsTable(result);
  log(printed.rows.length === 0 ? '(no customers with purchases before that time)' : table(printed.header, printed.rows));
  const rows = exportRows(result);
  if (flags.csv) {
    writeAtomically(flags.csv, toCsv(rows));
    log(`Wrote ${flags.csv} (${int(rows.length)} customers)`);
  }
  if (flags.json) {
    writeAtomically(flags.json, `${JSON.stringify(rows, null, 2)}\n`);
    log(`Wrote ${flags.json} (${int(rows.length)} customers)`);
  }
  return result;
}

/** `magpie segments`: customer segments by RFM or k-means, exportable for a mailing tool. */
export function registerSegments(program: Command): void {
  program
    .command('segments')
    .description('customer segments: RFM scores and named segments, or k-means clusters on behaviour; CSV/JSON export')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--method <name>', 'rfm or kmeans', 'rfm')
    .option('--k <n>', 'kmeans: number of clusters, or auto (best silhouette for k in 2…8)', 'auto')
    .option('--as-of <date>', 'reference time; only events before it count (default: midnight after the last event)')
    .option('--from <date>', 'ignore events before this time')
    .option('--seed <n>', 'kmeans: seed of k-means++ and of the silhouette sample', '1')
    .option('--csv <file>', 'write one row per customer (userId, segment, RFM scores, features) as CSV')
    .option('--json <file>', 'write the same rows as a JSON array')
    .action(async (flags: SegmentsFlags) => {
      await runSegmentsCommand(flags);
    });
}
