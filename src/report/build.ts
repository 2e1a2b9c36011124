import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Store } from '../store/store.js';
import { parseRange, reportContext } from './context.js';
import { renderPage, type ReportMeta } from './page.js';
import { SECTIONS } from './sections/index.js';
import type { GatherContext, ReportSection, SectionModule } from './types.js';
import { reasonOf, unavailableSection } from './unavailable.js';

/** Options of {@link buildReport}. */
export interface ReportOptions {
  /** Start of the range, inclusive (a date such as `2011-03`, or epoch ms). */
  from?: number | string;
  /** End of the range, exclusive. */
  to?: number | string;
  /** Title of the page. Default "Magpie engagement report". */
  title?: string;
  /** Sections in order; default every section of the report. */
  sections?: readonly SectionModule<unknown>[];
  /** Clock, for the generation time shown. */
  now?: () => number;
}

/** How building one section went. */
export interface SectionTiming {
  id: string;
  status: ReportSection['status'];
  seconds: number;
  /** Why it is unavailable: missing data, or the error that stopped it. */
  reason?: string;
  failed?: boolean;
}

/** A built report: the page and what went into it. */
export interface BuiltReport {
  html: string;
  sections: ReportSection[];
  meta: ReportMeta;
  timings: SectionTiming[];
}

/** The magpie version printed in the report. */
export const MAGPIE_VERSION = '0.1.0';

async function buildSection(module: SectionModule<unknown>, gather: GatherContext): Promise<{ section: ReportSection; timing: SectionTiming }> {
  const start = performance.now();
  let section: ReportSection;
  let failed = false;
  try {
    section = module.render(await module.gather(gather), gather);
  } catch (error) {
    const { reason, kind } = reasonOf(error);
    failed = kind === 'error';
    section = unavailableSection(module.id, module.title, reason, kind);
  }
  const seconds = (performance.now() - start) / 1000;
  const reason = section.status === 'unavailable' ? (section.data as { reason?: string } | undefined)?.reason : undefined;
  return { section, timing: { id: module.id, status: section.status, seconds, ...(reason ? { reason } : {}), ...(failed ? { failed } : {}) } };
}

/**
 * Runs every section's analyses on the store and renders the self-contained HTML report. A
 * section whose data is missing, or whose analysis fails, becomes a short note; the rest of the
 * report is still built.
 *
 * @example
 * const report = await buildReport(store, { from: '2011-01', to: '2011-07' });
 * writeReport('report.html', report.html);
 * report.timings.filter((t) => t.status === 'unavailable'); // which sections had nothing to show, and why
 */
export async function buildReport(store: Store, options: ReportOptions = {}): Promise<BuiltReport> {
  const now = options.now ?? Date.now;
  const range = parseRange(options);
  const start = performance.now();
  const ctx = await reportContext(store, range);
  const cache = new Map<string, Promise<unknown>>();
  const gather: GatherContext = {
    ...ctx,
    store,
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let hit = cache.get(key);
      if (!hit) cache.set(key, (hit = compute()));
      return hit as Promise<T>;
    },
  };
  const sections: ReportSection[] = [];
  const timings: SectionTiming[] = [];
  const seen = new Set<string>();
  for (const module of options.sections ?? SECTIONS) {
    const { section, timing } = await buildSection(module, gather);
    for (const id of [section.id, ...section.charts.map((c) => c.id)]) {
      if (seen.has(id)) throw new Error(`report: the id "${id}" is used twice (section ${module.id})`);
      seen.add(id);
    }
    sections.push(section);
    timings.push(timing);
  }
  const meta: ReportMeta = {
    title: options.title ?? 'Magpie engagement report',
    generatedAt: now(),
    seconds: (performance.now() - start) / 1000,
    storeUrl: store.url,
    context: ctx,
    magpieVersion: MAGPIE_VERSION,
  };
  return { html: renderPage(meta, sections), sections, meta, timings };
}

/** Writes the page through a temporary file and a rename, so a reader never opens half a report. */
export function writeReport(path: string, html: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, html);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
