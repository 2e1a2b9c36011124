import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { MagpieError } from '../../core/errors.js';
import { toCsv } from '../../marketing/export.js';
import { CALIBRATION_METHODS, propensityTarget, trainPropensity, type CalibrationMethod, type PropensityOptions, type PropensityResult } from '../../marketing/propensity/index.js';
import type { ClassifierMetrics, CustomerScore, ModelEvaluation } from '../../marketing/propensity/types.js';
import { openStore } from '../../store/index.js';
import { int, table } from '../format.js';
import { terminalProgress } from '../progress.js';

/** Flags of `magpie propensity`. */
export interface PropensityFlags {
  db?: string;
  target?: string;
  cutoff?: string;
  horizonDays?: string;
  scoreAt?: string;
  calibration?: string;
  model?: string;
  folds?: string;
  seed?: string;
  json?: string;
  out?: string;
}

/** Written through a temporary file and a rename, so a reader never sees half a file. */
export function writeFileAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** A whole number ≥ `min` from a flag, or a clear error naming it. */
export function wholeFlag(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new MagpieError('invalid_input', `--${flag} must be a whole number ≥ ${min}, got "${value}"`, { location: { field: flag } });
  return n;
}

/** Parses the flags into library options; bad values fail before the store is opened. */
export function propensityOptions(flags: PropensityFlags): PropensityOptions {
  const options: PropensityOptions = { target: propensityTarget(flags.target ?? 'purchase') };
  if (flags.horizonDays !== undefined) options.horizonDays = wholeFlag(flags.horizonDays, 'horizon-days');
  if (flags.cutoff !== undefined) options.cutoff = flags.cutoff;
  if (flags.scoreAt !== undefined) options.scoreAt = flags.scoreAt;
  if (flags.calibration !== undefined) {
    if (!(CALIBRATION_METHODS as readonly string[]).includes(flags.calibration)) {
      throw new MagpieError('invalid_input', `unknown calibration "${flags.calibration}"`, { location: { field: 'calibration' }, hint: `use one of ${CALIBRATION_METHODS.join(', ')}` });
    }
    options.calibration = flags.calibration as CalibrationMethod;
  }
  if (flags.model !== undefined) {
    if (flags.model !== 'gbt' && flags.model !== 'lr') throw new MagpieError('invalid_input', `unknown model "${flags.model}"`, { location: { field: 'model' }, hint: 'use gbt or lr' });
    options.model = flags.model;
  }
  if (flags.folds !== undefined) options.folds = wholeFlag(flags.folds, 'folds');
  if (flags.seed !== undefined) options.seed = wholeFlag(flags.seed, 'seed', 0);
  return options;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const fixed = (x: number | null, digits = 4): string => (x === null ? '—' : x.toFixed(digits));
const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The metrics table: one row per model, raw and calibrated. */
export function metricsTable(result: PropensityResult): { header: string[]; rows: string[][] } {
  const row = (model: string, probabilities: string, m: ClassifierMetrics): string[] => [model, probabilities, fixed(m.auc), fixed(m.averagePrecision), fixed(m.logLoss), fixed(m.brier), fixed(m.ece)];
  return {
    header: ['model', 'probabilities', 'AUC', 'PR-AUC (AP)', 'log loss', 'Brier', 'ECE'],
    rows: (['gbt', 'lr'] as const).flatMap((kind) => {
      const m = result.models[kind];
      return [row(kind, 'raw', m.test.raw), row(kind, result.calibrationMethod, m.test.calibrated)];
    }),
  };
}

/** The 10-bin calibration table of one model on the test window, raw and calibrated side by side. */
export function calibrationTable(evaluation: ModelEvaluation): { header: string[]; rows: string[][] } {
  return {
    header: ['predicted', 'customers', 'mean predicted', 'observed', 'customers (cal.)', 'mean predicted (cal.)', 'observed (cal.)'],
    rows: evaluation.calibration.raw.map((raw, b) => {
      const cal = evaluation.calibration.calibrated[b]!;
      return [`${raw.lower.toFixed(1)}–${raw.upper.toFixed(1)}`, int(raw.count), fixed(raw.meanPredicted, 3), fixed(raw.observedRate, 3), int(cal.count), fixed(cal.meanPredicted, 3), fixed(cal.observedRate, 3)];
    }),
  };
}

/** One CSV row per scored customer, reasons in one readable column. */
export function scoreRows(scores: readonly CustomerScore[]): Record<string, string | number>[] {
  return scores.map((s) => ({
    userId: s.userId,
    probability: Math.round(s.probability * 1e6) / 1e6,
    rawProbability: Math.round(s.rawProbability * 1e6) / 1e6,
    label: s.label ?? '',
    reasons: s.reasons.map((r) => `${r.feature}=${r.value === null ? 'missing' : Math.round(r.value * 100) / 100} (${r.contribution >= 0 ? '+' : ''}${r.contribution.toFixed(2)})`).join('; '),
  }));
}

/** The result as JSON: times as ISO strings, everything else as computed. */
export function propensityJson(result: PropensityResult): unknown {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return { ...result, trainCutoff: iso(result.trainCutoff), testCutoff: iso(result.testCutoff), dataEnd: iso(result.dataEnd), scoredAt: iso(result.scoredAt) };
}

/** What `magpie propensity` does, callable from tests: trains, prints, writes `--json`/`--out`. */
export async function runPropensityCommand(flags: PropensityFlags, log: (line: string) => void = console.log): Promise<PropensityResult> {
  const options = propensityOptions(flags);
  const store = await openStore(flags.db);
  let result: PropensityResult;
  try {
    result = await trainPropensity(store, options, terminalProgress());
  } finally {
    await store.close();
  }
  const n = result.horizonDays;
  const what = result.target === 'purchase' ? `Purchase propensity (a purchase in the next ${n} days)` : `Churn (no purchase in the next ${n} days, among customers who bought before)`;
  log(what);
  log(`Train: features at ${day(result.trainCutoff)}, labels to ${day(result.trainCutoff + n * 86_400_000)}: ${int(result.train.customers)} customers, ${percent(result.train.positives / result.train.customers)} positive, ${result.train.folds} cross-fitted folds`);
  log(`Test:  features at ${day(result.testCutoff)}, labels to ${day(result.testCutoff + n * 86_400_000)}: ${int(result.test.customers)} customers, ${percent(result.test.positives / result.test.customers)} positive`);
  const metrics = metricsTable(result);
  log(table(metrics.header, metrics.rows));
  const primary = result.models[result.primary];
  log(`\nCalibration of ${result.primary} on the test window (10 bins; ${result.calibrationMethod} fitted on each fold's held-out customers):`);
  const calibration = calibrationTable(primary);
  log(table(calibration.header, calibration.rows));
  const top = (m: ModelEvaluation): string =>
    m.importances
      .slice(0, 8)
      .map((i) => (i.coefficient !== undefined ? `${i.feature} ${i.coefficient >= 0 ? '+' : ''}${i.coefficient.toFixed(2)}` : `${i.feature} ${(i.importance * 100).toFixed(1)}%`))
      .join(', ');
  log(`\nTop features, trees (share of split gain): ${top(result.models.gbt)}`);
  log(`Top features, logistic regression (log-odds per standard deviation): ${top(result.models.lr)}`);
  log(`Training: trees ${result.models.gbt.trainSeconds.toFixed(1)} s (rounds ${result.models.gbt.details.map((d) => d.rounds).join(', ')}), logistic regression ${result.models.lr.trainSeconds.toFixed(1)} s; total ${result.seconds.total.toFixed(1)} s`);
  if (flags.out) {
    writeFileAtomically(flags.out, toCsv(scoreRows(result.scores)));
    log(`Wrote ${flags.out} (${int(result.scores.length)} customers scored at ${day(result.scoredAt)} by ${result.primary})`);
  }
  if (flags.json) {
    writeFileAtomically(flags.json, `${JSON.stringify(propensityJson(result), null, 2)}\n`);
    log(`Wrote ${flags.json}`);
  }
  return result;
}

/** `magpie propensity`: purchase-propensity or churn models, evaluated on a later window, with per-customer scores. */
export function registerPropensity(program: Command): void {
  program
    .command('propensity')
    .description('purchase propensity or churn: boosted trees and logistic regression trained at a cut-off, tested on the next window; metrics, calibration, importances, per-customer scores')
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--target <name>', 'purchase (buys in the next N days) or churn (does not)', 'purchase')
    .option('--cutoff <date>', 'training cut-off T1; the test cut-off is T1 + N (default: two horizons before the data ends)')
    .option('--horizon-days <n>', 'label window N in days (default 30 for purchase, 90 for churn)')
    .option('--score-at <date>', 'when the written scores are made (default: the midnight after the last event)')
    .option('--calibration <method>', 'platt, isotonic or none', 'platt')
    .option('--model <name>', 'the model whose scores are written: gbt or lr', 'gbt')
    .option('--folds <n>', 'cross-fitting folds of the training customers', '5')
    .option('--seed <n>', 'seed of the folds and the trees', '1')
    .option('--json <file>', 'write metrics, calibration tables, curves, importances and scores as JSON')
    .option('--out <file>', 'write one row per customer (probability, label when known, top reasons) as CSV')
    .action(async (flags: PropensityFlags) => {
      await runPropensityCommand(flags);
    });
}
