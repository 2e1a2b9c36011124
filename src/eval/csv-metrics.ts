/**
 * Scores any recommender's output from two CSV files — held-out truth and recommendations —
 * with the same metric definitions as the benchmark, so a shop's current system and Magpie can
 * be compared on equal terms.
 */
import { MagpieError } from '../core/errors.js';
import { groupByKey } from '../dataset/derive.js';
import { csvRowBatches, headerIndex } from '../ingest/csv.js';
import { openTextInput } from '../ingest/text-input.js';
import { rankingMetrics, type RankingMetricName } from './metrics.js';
import { METRIC_NAMES } from './runner.js';
import { streamingUserAuc } from './score-users.js';

/** Options of {@link metricsFromCsv}. */
export interface CsvMetricsOptions {
  k: number;
  /** Truth rows with a rating below this are not relevant (default: every row is relevant). */
  minRating?: number;
}

/** What `magpie metrics` reports (and writes with `--json`). */
export interface CsvMetricsReport {
  truth: string;
  recs: string;
  k: number;
  /** Users counted: with both relevant items and recommendations. */
  users: number;
  /** Catalogue size used for coverage: distinct items in truth ∪ recs. */
  catalog: number;
  /** Metric values; `auc` only when every counted user's recs score the whole catalogue. */
  metrics: Partial<Record<RankingMetricName, number>>;
  /** Rows skipped (bad score, missing ids), by file. */
  skippedRows: { truth: number; recs: number };
  notes: string[];
}

/** Interns string ids as dense indices. */
class Ids {
  readonly index = new Map<string, number>();
  intern(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) this.index.set(id, (i = this.index.size));
    return i;
  }
}

function column(header: Map<string, number>, names: readonly string[], file: string, required: boolean): number {
  for (const name of names) {
    const c = header.get(name);
    if (c !== undefined) return c;
  }
  if (!required) return -1;
  throw new MagpieError('invalid_input', `${file} has no ${names[0]} column`, {
    location: { file, line: 1 },
    hint: 'the first row must be a header: user,item[,rating] for --truth, user,item,score for --recs',
  });
}

/**
 * Reads `path`: the header row goes to `start`, which checks the columns and returns the visitor
 * of every following row (so a file with a bad header fails even when it has no data rows).
 */
async function readCsv(path: string, start: (header: Map<string, number>) => (row: string[]) => void): Promise<void> {
  let visit: ((row: string[]) => void) | undefined;
  for await (const batch of csvRowBatches(openTextInput(path))) {
    for (const row of batch) {
      if (visit === undefined) visit = start(headerIndex(row));
      else visit(row);
    }
  }
  if (visit === undefined) throw new MagpieError('invalid_input', `${path} is empty`, { location: { file: path }, hint: 'give a CSV with a header row' });
}

/**
 * Computes every ranking metric from a truth CSV (`user,item[,rating]`) and a recommendations
 * CSV (`user,item,score`). Each user's recommendations are ordered by score (ties in file order),
 * repeated items dropped, and cut at k. Ids are compared as strings.
 *
 * @example
 * const report = await metricsFromCsv('truth.csv', 'recs.csv', { k: 10 });
 * report.metrics['ndcg@k'];
 */
export async function metricsFromCsv(truthPath: string, recsPath: string, options: CsvMetricsOptions): Promise<CsvMetricsReport> {
  const { k } = options;
  const users = new Ids();
  const items = new Ids();
  const truth: (Set<number> | undefined)[] = [];
  const skippedRows = { truth: 0, recs: 0 };
  await readCsv(truthPath, (header) => {
    const columns = { user: column(header, ['user', 'userid'], truthPath, true), item: column(header, ['item', 'itemid'], truthPath, true), rating: column(header, ['rating'], truthPath, false) };
    return (row) => {
      const user = row[columns.user]?.trim() ?? '';
      const item = row[columns.item]?.trim() ?? '';
      if (user === '' || item === '') return void skippedRows.truth++;
      const i = items.intern(item);
      if (options.minRating !== undefined && columns.rating >= 0 && !(Number(row[columns.rating]) >= options.minRating)) return;
      const u = users.intern(user);
      (truth[u] ??= new Set()).add(i);
    };
  });

  const recUser: number[] = [];
  const recItem: number[] = [];
  const recScore: number[] = [];
  await readCsv(recsPath, (header) => {
    const recColumns = { user: column(header, ['user', 'userid'], recsPath, true), item: column(header, ['item', 'itemid'], recsPath, true), score: column(header, ['score', 'prediction'], recsPath, true) };
    return (row) => {
      const user = row[recColumns.user]?.trim() ?? '';
      const item = row[recColumns.item]?.trim() ?? '';
      const score = Number(row[recColumns.score]);
      if (user === '' || item === '' || row[recColumns.score]?.trim() === '' || Number.isNaN(score)) return void skippedRows.recs++;
      recUser.push(users.intern(user));
      recItem.push(items.intern(item));
      recScore.push(score);
    };
  });

  const userCount = users.index.size;
  const itemCount = items.index.size;
  const { offsets, order } = groupByKey(Int32Array.from(recUser), userCount);
  const recs: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(userCount);
  const seen = new Int32Array(itemCount).fill(-1);
  const full = new Float32Array(itemCount);
  const positives = new Float64Array(itemCount);
  // Nothing is excluded here (there is no training data); the array is the AUC helper's scratch.
  const noneExcluded = new Int32Array(itemCount).fill(-1);
  let fullLists = 0;
  let counted = 0;
  let aucTotal = 0;
  let aucUsers = 0;
  for (let u = 0; u < userCount; u++) {
    const rows = Array.from(order.subarray(offsets[u]!, offsets[u + 1]!));
    if (rows.length === 0) continue;
    // `order` is in file order and sort is stable, so equal scores keep their file order.
    rows.sort((a, b) => recScore[b]! - recScore[a]!);
    const list: number[] = [];
    let distinct = 0;
    for (const r of rows) {
      const i = recItem[r]!;
      if (seen[i] === u) continue;
      seen[i] = u;
      distinct++;
      if (list.length < k) list.push(i);
    }
    recs[u] = Int32Array.from(list);
    const relevant = truth[u];
    if (relevant === undefined || relevant.size === 0) continue;
    counted++;
    if (distinct < itemCount) continue;
    fullLists++;
    // Rows are best first, so the last write per item is its lowest score: write in reverse.
    for (let j = rows.length - 1; j >= 0; j--) full[recItem[rows[j]!]!] = recScore[rows[j]!]!;
    const value = streamingUserAuc(full, Int32Array.from(relevant), noneExcluded, u, positives);
    if (value === value) {
      aucTotal += value;
      aucUsers++;
    }
  }
  const all = rankingMetrics(recs, truth, k, { itemCount });
  const metrics: Partial<Record<RankingMetricName, number>> = {};
  for (const name of METRIC_NAMES) if (name !== 'auc') metrics[name] = all[name];
  const notes: string[] = [];
  if (counted > 0 && fullLists === counted) metrics.auc = aucUsers === 0 ? 0 : aucTotal / aucUsers;
  else notes.push('auc left out: it needs a score for every catalogue item for every user (the recs hold top-k lists)');
  return { truth: truthPath, recs: recsPath, k, users: counted, catalog: itemCount, metrics, skippedRows, notes };
}
