import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { MagpieError } from '../../core/errors.js';
import { buildReport, writeReport, type BuiltReport } from '../../report/index.js';
import { openStore } from '../../store/index.js';

/** Flags of `magpie report`. */
export interface ReportFlags {
  out?: string;
  db?: string;
  from?: string;
  to?: string;
  title?: string;
}

const size = (bytes: number): string => (bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);

/** What `magpie report` does, callable from tests: builds the report, writes it, prints what each section shows. */
export async function runReportCommand(flags: ReportFlags, log: (line: string) => void = console.log): Promise<BuiltReport> {
  if (!flags.out) throw new MagpieError('invalid_input', 'no output file given', { location: { field: 'out' }, hint: 'e.g. magpie report --out report.html' });
  const start = performance.now();
  const store = await openStore(flags.db);
  let report: BuiltReport;
  try {
    report = await buildReport(store, {
      ...(flags.from !== undefined ? { from: flags.from } : {}),
      ...(flags.to !== undefined ? { to: flags.to } : {}),
      ...(flags.title !== undefined ? { title: flags.title } : {}),
    });
  } finally {
    await store.close();
  }
  writeReport(flags.out, report.html);
  const width = Math.max(...report.timings.map((t) => t.id.length));
  for (const t of report.timings) {
    const state = t.status === 'ok' ? 'ok' : t.failed ? `FAILED: ${t.reason ?? ''}` : `not available: ${t.reason ?? ''}`;
    log(`  ${t.id.padEnd(width)}  ${t.seconds.toFixed(2).padStart(6)} s  ${state}`);
  }
  const shown = report.sections.filter((s) => s.status === 'ok').length;
  log(`Wrote ${flags.out} (${size(statSync(flags.out).size)}, ${shown} of ${report.sections.length} sections with results) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return report;
}

/** `magpie report`: every analysis as one self-contained HTML file. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write every analysis with charts into one self-contained HTML file (opens offline)')
    .requiredOption('--out <file>', 'the HTML file to write, e.g. report.html')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--from <date>', 'start of the range, inclusive (2011-03, 2011-03-07 or an ISO time; UTC)')
    .option('--to <date>', 'end of the range, exclusive')
    .option('--title <text>', 'title of the page', 'Magpie engagement report')
    .action(async (flags: ReportFlags) => {
      await runReportCommand(flags);
    });
}
