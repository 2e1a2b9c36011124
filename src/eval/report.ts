/**
 * Presenting evaluation results: the terminal table (mean ± std per metric) and the JSON file,
 * written atomically so a reader never sees half a report.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { table } from '../core/table.js';
import { createModel } from '../models/registry.js';
import type { RankingMetricName } from './metrics.js';
import { formatParams } from './model-list.js';
import { METRIC_NAMES, type EvaluationReport } from './runner.js';

/**
 * Writes `value` as pretty JSON to `path` through a temporary file in the same folder and a
 * rename, so the file is either the old one or the complete new one. NaN becomes null.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}

/** The params that differ from the model's defaults, or all of them when the model is unknown here. */
export function changedParams(model: string, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let defaults: Readonly<Record<string, unknown>>;
  try {
    defaults = createModel(model).params;
  } catch {
    return { ...params };
  }
  return Object.fromEntries(Object.entries(params).filter(([key, value]) => defaults[key] !== value));
}

/** Column titles of a metric: `precision@k` → `precision@10`. */
export function metricLabel(name: RankingMetricName | string, k: number): string {
  return name.replace(/@k$/, `@${k}`);
}

/** `0.4123 ± 0.0031`, or just the mean when there is no spread to show. */
function meanWithStd(mean: number, std: number | undefined, digits: number, showStd: boolean): string {
  if (!Number.isFinite(mean)) return '—';
  return showStd && std !== undefined && Number.isFinite(std) ? `${mean.toFixed(digits)} ± ${std.toFixed(digits)}` : mean.toFixed(digits);
}

/**
 * The evaluation table: one row per model, the params that differ from its defaults, every
 * metric as mean ± std over seeds (std shown only with more than one seed) and the phase times.
 */
export function formatEvaluationTable(report: EvaluationReport): string {
  const showStd = report.seeds.length > 1;
  const header = ['model', 'params', ...METRIC_NAMES.map((m) => metricLabel(m, report.k)), 'train s', 'rec s'];
  const rows = report.results.map((r) => [
    r.model,
    formatParams(changedParams(r.model, r.params)),
    ...METRIC_NAMES.map((m) => meanWithStd(r.metrics[m], r.std[m], 4, showStd)),
    r.trainSeconds.toFixed(2),
    r.recommendSeconds.toFixed(2),
  ]);
  return reportTable(header, rows);
}

/** Report cells that align as numbers: digits, signs, `a ± b`, and `—` for no value. */
const REPORT_NUMBER_TEXT = /^[-\d.,±\s—]+$/;

/** An aligned table of report cells: text left, numbers (and `a ± b`, `—`) right. */
export function reportTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return table(header, rows, REPORT_NUMBER_TEXT);
}
