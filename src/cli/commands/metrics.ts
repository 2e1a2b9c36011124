import type { Command } from 'commander';
import { MagpieError } from '../../core/errors.js';
import { metricsFromCsv } from '../../eval/csv-metrics.js';
import { parseK } from '../../eval/options.js';
import { metricLabel, reportTable, writeJsonAtomic } from '../../eval/report.js';
import { int } from '../format.js';

/** `magpie metrics`: scores recommendations from any system against held-out truth, both as CSV. */
export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description(
      'score any recommender\'s output: precision, recall, ndcg, map, map@k, hit, mrr and coverage at k, as in evaluate. ' +
        'Coverage = distinct items in anyone\'s top k / distinct items in truth ∪ recs; auc only when recs score every such item for every user',
    )
    .requiredOption('--truth <csv>', 'held-out interactions with a header: user,item[,rating]')
    .requiredOption('--recs <csv>', 'recommendations with a header: user,item,score (top k by score per user, ties in file order)')
    .option('--k <n>', 'list length the metrics are cut at', '10')
    .option('--min-rating <r>', 'only truth rows rated at least r are relevant (default: every row)')
    .option('--json <file>', 'write the report as JSON (atomically)')
    .action(async (flags: { truth: string; recs: string; k: string; minRating?: string; json?: string }) => {
      const k = parseK(flags.k);
      let minRating: number | undefined;
      if (flags.minRating !== undefined) {
        minRating = Number(flags.minRating);
        if (!Number.isFinite(minRating)) throw new MagpieError('invalid_input', `--min-rating must be a number, got "${flags.minRating}"`, { location: { field: 'min-rating' } });
      }
      const report = await metricsFromCsv(flags.truth, flags.recs, { k, ...(minRating === undefined ? {} : { minRating }) });
      console.log(`${int(report.users)} users with both relevant items and recommendations; catalogue of ${int(report.catalog)} items (truth ∪ recs)`);
      const rows = Object.entries(report.metrics).map(([name, value]) => [metricLabel(name, k), value.toFixed(4)]);
      console.log(reportTable(['metric', 'value'], rows));
      if (report.skippedRows.truth + report.skippedRows.recs > 0) {
        console.log(`Skipped rows without user, item or score: ${int(report.skippedRows.truth)} in truth, ${int(report.skippedRows.recs)} in recs`);
      }
      for (const note of report.notes) console.log(`Note: ${note}`);
      if (flags.json) {
        writeJsonAtomic(flags.json, report);
        console.log(`Wrote ${flags.json}`);
      }
    });
}
