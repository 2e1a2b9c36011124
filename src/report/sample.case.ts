// Fixtures of the report's tests: the bundled Online Retail sample in a temporary SQLite store
// with its report built once per test process, and a small reader for the tables of a page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SAMPLE } from '../cli/commands/demo.js';
import { importSource, onlineRetailSource } from '../ingest/index.js';
import { openStore, type Store } from '../store/index.js';
import { buildReport, writeReport, type BuiltReport } from './build.js';

/** The sample's store, its report and where the page was written. */
export interface SampleReport {
  store: Store;
  report: BuiltReport;
  /** The HTML file, in `dir`. */
  path: string;
  dir: string;
  /** Closes the store and removes the temporary folder. */
  dispose(): Promise<void>;
}

/** Imports the bundled sample into a fresh SQLite file and writes its report next to it. */
export async function sampleReport(): Promise<SampleReport> {
  const dir = mkdtempSync(join(tmpdir(), 'magpie-report-'));
  const store = await openStore(`sqlite:${join(dir, 'sample.db')}`);
  await importSource(store, onlineRetailSource(DEMO_SAMPLE));
  const report = await buildReport(store, { now: () => Date.UTC(2026, 0, 2, 3, 4) });
  const path = join(dir, 'report.html');
  writeReport(path, report.html);
  return {
    store,
    report,
    path,
    dir,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Text of an HTML fragment: tags dropped, the entities `escapeHtml` writes decoded. */
export function textOf(fragment: string): string {
  return fragment.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
}

/** The body rows of the table with `data-table="name"`, as cell texts; throws when it is missing. */
export function tableRows(html: string, name: string): string[][] {
  const start = html.indexOf(`<table data-table="${name}">`);
  if (start < 0) throw new Error(`no table "${name}" in the page`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cell) => textOf(cell[1]!)));
}

/** The header cells of a table. */
export function tableHeader(html: string, name: string): string[] {
  const start = html.indexOf(`<table data-table="${name}">`);
  if (start < 0) throw new Error(`no table "${name}" in the page`);
  const head = html.slice(html.indexOf('<thead>', start), html.indexOf('</thead>', start));
  return [...head.matchAll(/<th[^>]*>(.*?)<\/th>/gs)].map((cell) => textOf(cell[1]!));
}

/** The JSON embedded in the page (`#magpie-report-data`). */
export function embeddedData(html: string): {
  meta: Record<string, unknown>;
  sections: { id: string; title: string; status: string; summary: string; charts: { id: string; option: Record<string, unknown> }[]; data: unknown }[];
} {
  const match = /<script type="application\/json" id="magpie-report-data">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error('no embedded data in the page');
  return JSON.parse(match[1]!);
}
