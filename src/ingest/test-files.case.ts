// Small helpers shared by the ingest tests: temporary files and collecting a source's records.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Source, SourceRecord } from './types.js';

/** Writes `content` to a new temporary file (gzipped when the name ends in .gz) and returns its path. */
export function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'magpie-ingest-')), name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(content) : content);
  return path;
}

/** Every record of a source, the final ones included. */
export async function collect(source: Source): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const batch of source.records()) out.push(...batch);
  for (const record of source.finalRecords?.() ?? []) out.push(record);
  return out;
}

/** Paths of the shared real data sets (../shared/datasets beside the repo). */
export const DATASETS = {
  onlineRetail: '../shared/datasets/online-retail/online_retail.csv.gz',
  ml100k: '../shared/datasets/ml-100k',
  ml1m: '../shared/datasets/ml-1m/ratings_no_timestamp.dat.gz',
};
