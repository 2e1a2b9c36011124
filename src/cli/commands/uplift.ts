import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import Papa from 'papaparse';
import { MagpieError } from '../../core/errors.js';
import { toCsv } from '../../marketing/export.js';
import type { PropensityModelKind } from '../../marketing/propensity/types.js';
import {
  campaignData,
  fitUplift,
  semiSyntheticCampaign,
  upliftAnalysis,
  UPLIFT_GBT_DEFAULTS,
  UPLIFT_METHODS,
  type CampaignAssignment,
  type UpliftData,
  type UpliftEvaluation,
  type UpliftMethod,
  type UpliftResult,
} from '../../marketing/uplift/index.js';
import { openStore } from '../../store/index.js';
import { int, table } from '../format.js';
import { wholeFlag, writeFileAtomically } from './propensity.js';

/** Flags of `magpie uplift`. */
export interface UpliftFlags {
  db?: string;
  campaign?: string;
  cutoff?: string;
  horizonDays?: string;
  testShare?: string;
  method?: string;
  learner?: string;
  seed?: string;
  json?: string;
  out?: string;
}

const TRUE = new Set(['1', 'true', 'yes', 't', 'y']);
const FALSE = new Set(['0', 'false', 'no', 'f', 'n']);

/**
 * Reads a campaign file: a header with `userId`, `treated` and `converted` (1/0, true/false, yes/no),
 * one customer per line.
 */
export function parseCampaignCsv(text: string, file: string): CampaignAssignment[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const columns = parsed.meta.fields ?? [];
  for (const column of ['userId', 'treated', 'converted']) {
    if (!columns.includes(column)) throw new MagpieError('invalid_input', `the campaign file has no ${column} column`, { location: { file, line: 1 }, hint: 'the header must be userId,treated,converted' });
  }
  return parsed.data.map((row, i) => {
    const flag = (column: 'treated' | 'converted'): boolean => {
      const value = String(row[column] ?? '').trim().toLowerCase();
      if (TRUE.has(value)) return true;
      if (FALSE.has(value)) return false;
      throw new MagpieError('invalid_input', `${column} "${row[column]}" is not 1/0, true/false or yes/no`, { location: { file, line: i + 2, field: column } });
    };
    const userId = String(row.userId ?? '').trim();
    if (userId === '') throw new MagpieError('invalid_input', 'userId is empty', { location: { file, line: i + 2, field: 'userId' } });
    return { userId, treated: flag('treated'), converted: flag('converted') };
  });
}

const fixed = (x: number | null, digits = 3): string => (x === null ? '—' : x.toFixed(digits));

/** The comparison table: one row per estimator, then the random and (when known) oracle rankings. */
export function upliftTable(result: UpliftResult): { header: string[]; rows: string[][] } {
  const row = (e: UpliftEvaluation): string[] => [
    e.learner ? `${e.method} / ${e.learner}` : e.method,
    fixed(e.qini.coefficient),
    fixed(e.qini.area, 2),
    fixed(e.auuc.coefficient),
    fixed(e.deciles[0]!.observedUplift),
    fixed(e.trueRankCorrelation),
    e.learner ? e.trainSeconds.toFixed(1) : '—',
  ];
  return {
    header: ['ranking', 'Qini coef.', 'Qini area', 'AUUC coef.', 'top-decile uplift', 'rank corr. with truth', 'train s'],
    rows: [...result.estimators, result.random, ...(result.oracle ? [result.oracle] : [])].map(row),
  };
}

/** Deciles of one ranking: observed (and true) uplift per tenth of customers. */
export function decileTable(e: UpliftEvaluation): { header: string[]; rows: string[][] } {
  return {
    header: ['decile', 'customers', 'treated rate', 'control rate', 'observed uplift', 'mean predicted', 'mean true'],
    rows: e.deciles.map((d) => [String(d.decile), int(d.size), fixed(d.treatedRate), fixed(d.controlRate), fixed(d.observedUplift), fixed(d.meanPredicted), fixed(d.meanTrue)]),
  };
}

function choice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new MagpieError('invalid_input', `unknown --${flag} "${value}"`, { location: { field: flag }, hint: `use one of ${allowed.join(', ')}` });
}

/** What `magpie uplift` does, callable from tests. */
export async function runUpliftCommand(flags: UpliftFlags, log: (line: string) => void = console.log): Promise<UpliftResult> {
  const seed = flags.seed === undefined ? 1 : wholeFlag(flags.seed, 'seed', 0);
  const method = choice<UpliftMethod>(flags.method ?? 't-learner', UPLIFT_METHODS, 'method');
  const learner = choice<PropensityModelKind>(flags.learner ?? 'gbt', ['gbt', 'lr'], 'learner');
  const testShare = flags.testShare === undefined ? 0.5 : Number(flags.testShare);
  if (!(testShare > 0 && testShare < 1)) throw new MagpieError('invalid_input', `--test-share must be between 0 and 1, got "${flags.testShare}"`, { location: { field: 'test-share' } });
  if (flags.campaign && !flags.cutoff) throw new MagpieError('invalid_input', '--campaign needs --cutoff, the campaign start', { location: { field: 'cutoff' }, hint: 'features are taken from events before the campaign began' });
  const assignments = flags.campaign ? parseCampaignCsv(readFileSync(flags.campaign, 'utf8'), flags.campaign) : null;
  const store = await openStore(flags.db);
  let data: UpliftData & { userIds: string[] };
  try {
    if (assignments) {
      const real = await campaignData(store, assignments, { cutoff: flags.cutoff! });
      log(`Campaign ${flags.campaign}: ${int(real.x.n)} customers with history before ${new Date(real.cutoff).toISOString().slice(0, 10)} (${int(real.unknownUsers)} without were left out)`);
      data = real;
    } else {
      const campaign = await semiSyntheticCampaign(store, { seed, ...(flags.cutoff ? { cutoff: flags.cutoff } : {}), ...(flags.horizonDays ? { horizonDays: wholeFlag(flags.horizonDays, 'horizon-days') } : {}) });
      for (const line of campaign.rule) log(line);
      log(`Customers at ${new Date(campaign.cutoff).toISOString().slice(0, 10)}: ${int(campaign.x.n)}; outcome window ${campaign.horizonDays} days`);
      data = campaign;
    }
  } finally {
    await store.close();
  }
  const result = upliftAnalysis(data, { seed, testShare });
  log(`Held out ${int(result.rows.test)} of ${int(result.rows.test + result.rows.train)} customers: treated rate ${fixed(result.test.treatedRate)}, control ${fixed(result.test.controlRate)}, average effect ${fixed(result.test.averageEffect)} ± ${fixed(result.test.standardError)}`);
  const printed = upliftTable(result);
  log(table(printed.header, printed.rows));
  const chosen = result.estimators.find((e) => e.method === method && e.learner === learner)!;
  log(`\nDeciles by ${method} / ${learner}:`);
  const deciles = decileTable(chosen);
  log(table(deciles.header, deciles.rows));
  if (flags.out) {
    // Scores for action come from a model fitted on every customer of the experiment.
    const model = fitUplift(method, learner, data, { seed, gbt: UPLIFT_GBT_DEFAULTS });
    const uplift = model.predict(data.x);
    const rows = data.userIds.map((userId, i) => ({ userId, uplift: Math.round(uplift[i]! * 1e6) / 1e6 })).sort((a, b) => b.uplift - a.uplift || (a.userId < b.userId ? -1 : 1));
    writeFileAtomically(flags.out, toCsv(rows));
    log(`Wrote ${flags.out} (${int(rows.length)} customers by predicted uplift, ${method} / ${learner})`);
  }
  if (flags.json) {
    writeFileAtomically(flags.json, `${JSON.stringify({ semiSynthetic: !assignments, rule: assignments ? null : (data as { rule?: readonly string[] }).rule, ...result }, null, 2)}\n`);
    log(`Wrote ${flags.json}`);
  }
  return result;
}

/** `magpie uplift`: who to target by predicted uplift, on a real campaign file or a clearly labelled semi-synthetic one. */
export function registerUplift(program: Command): void {
  program
    .command('uplift')
    .description('campaign targeting by predicted uplift (T-learner, class transformation): Qini and uplift curves on held-out customers; without --campaign, a SEMI-SYNTHETIC campaign on real customers')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--campaign <file>', 'a real randomised campaign: CSV with userId,treated,converted')
    .option('--cutoff <date>', 'campaign start; features use events before it (default for the semi-synthetic campaign: one horizon before the data ends)')
    .option('--horizon-days <n>', 'semi-synthetic: outcome window in days', '30')
    .option('--test-share <x>', 'share of customers held out for the curves', '0.5')
    .option('--method <name>', `estimator for the decile table and --out: ${UPLIFT_METHODS.join(' or ')}`, 't-learner')
    .option('--learner <name>', 'base learner for the decile table and --out: gbt or lr', 'gbt')
    .option('--seed <n>', 'seed of the assignment (semi-synthetic), the split and the learners', '1')
    .option('--json <file>', 'write the comparison, curves and deciles as JSON')
    .option('--out <file>', 'write each customer’s predicted uplift as CSV, highest first')
    .action(async (flags: UpliftFlags) => {
      await runUpliftCommand(flags);
    });
}
