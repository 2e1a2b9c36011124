import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import {
  ANALYSES,
  analysisName,
  parseSegment,
  parseSteps,
  runAnalysis,
  type ActiveUsersRow,
  type AnalysisName,
  type AnalysisOptions,
  type AnalysisRows,
  type EngagementNetwork,
  type FunnelRow,
  type Granularity,
  type OrdersRow,
  type RecImpactRow,
  type RepeatPurchaseRow,
  type RetentionRow,
  type UserStateModel,
} from '../../analytics/index.js';
import { MagpieError } from '../../core/errors.js';
import { openStore } from '../../store/index.js';
import { int, table } from '../format.js';
import { bayesNetTables, recImpactTable, userStateTables } from './analytics-models.js';

/** One printed table: a title line, the header and the cells. */
export interface PrintedTable {
  title: string;
  header: string[];
  rows: string[][];
}

const dash = '—';
const pct = (x: number | null): string => (x === null ? dash : `${(x * 100).toFixed(1)}%`);
const money = (x: number | null): string => (x === null ? dash : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const dec = (x: number | null, digits = 2): string => (x === null ? dash : x.toFixed(digits));

/** "3.2 h", "4.5 d": medians of step times span seconds to weeks. */
function duration(seconds: number | null): string {
  if (seconds === null) return dash;
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

function activeUsersTable(rows: ActiveUsersRow[], by: Granularity): PrintedTable {
  const stickiness = by === 'month' ? 'DAU/MAU' : by === 'week' ? 'DAU/WAU' : null;
  return {
    title: 'Active users',
    header: ['period', 'active users', 'new', 'returning', 'anonymous sessions', 'events', 'events/user', 'sessions/user', ...(stickiness ? [stickiness] : [])],
    rows: rows.map((r) => [
      r.period,
      int(r.activeUsers),
      int(r.newUsers),
      int(r.returningUsers),
      int(r.activeSessions),
      int(r.events),
      dec(r.eventsPerUser, 1),
      dec(r.sessionsPerUser),
      ...(stickiness ? [pct(r.stickiness)] : []),
    ]),
  };
}

function retentionTables(rows: RetentionRow[]): PrintedTable[] {
  const width = Math.max(0, ...rows.map((r) => r.retention.length));
  const header = ['cohort', 'users', ...Array.from({ length: width }, (_, n) => `+${n}`)];
  const cells = (pick: (r: RetentionRow) => number[]): string[][] =>
    rows.map((r) => [r.cohort, int(r.size), ...Array.from({ length: width }, (_, n) => (n < pick(r).length ? pct(pick(r)[n]!) : ''))]);
  return [
    { title: 'Retention: share of each cohort active n periods after its first', header, rows: cells((r) => r.retention) },
    { title: 'Rolling retention: share active n periods after the first or later', header, rows: cells((r) => r.rollingRetention) },
  ];
}

function funnelTable(rows: FunnelRow[]): PrintedTable {
  const split = rows.some((r) => r.category !== undefined);
  return {
    title: 'Funnel',
    header: [...(split ? ['category'] : []), 'step', 'event', 'users', 'conversion', 'from previous', 'drop-off', 'median time from previous'],
    rows: rows.map((r) => [
      ...(split ? [r.category ?? '(all)'] : []),
      String(r.step),
      r.event,
      int(r.users),
      pct(r.conversion),
      pct(r.stepConversion),
      int(r.dropOff),
      duration(r.medianSecondsFromPrevious),
    ]),
  };
}

function repeatPurchaseTable(rows: RepeatPurchaseRow[]): PrintedTable {
  return {
    title: 'Repeat purchase (the last row covers the whole range)',
    header: ['period', 'customers', 'with 2+ orders', 'repeat rate', 'new customers', 'came back', 'cohort repeat rate', 'median days between orders', 'mean days'],
    rows: rows.map((r) => [
      r.period,
      int(r.customers),
      int(r.repeatCustomers),
      pct(r.repeatRate),
      int(r.newCustomers),
      int(r.cohortRepeatCustomers),
      pct(r.cohortRepeatRate),
      dec(r.medianDaysBetweenOrders, 1),
      dec(r.meanDaysBetweenOrders, 1),
    ]),
  };
}

function ordersTable(rows: OrdersRow[]): PrintedTable {
  return {
    title: 'Orders',
    header: ['period', 'orders', 'customers', 'units', 'revenue', 'returns', 'net revenue', 'avg order value', 'revenue/customer'],
    rows: rows.map((r) => [
      r.period,
      int(r.orders),
      int(r.customers),
      int(r.units),
      money(r.revenue),
      money(r.returns),
      money(r.netRevenue),
      money(r.averageOrderValue),
      money(r.revenuePerCustomer),
    ]),
  };
}

/** The tables `magpie analytics <name>` prints for an analysis' rows (its JSON is the rows themselves). */
export function analyticsTables<N extends AnalysisName>(name: N, rows: AnalysisRows[N], by: Granularity): PrintedTable[] {
  switch (name) {
    case 'active-users':
      return [activeUsersTable(rows as ActiveUsersRow[], by)];
    case 'retention':
      return retentionTables(rows as RetentionRow[]);
    case 'funnel':
      return [funnelTable(rows as FunnelRow[])];
    case 'repeat-purchase':
      return [repeatPurchaseTable(rows as RepeatPurchaseRow[])];
    case 'recommendation-impact':
      return [recImpactTable(rows as RecImpactRow[])];
    case 'user-states':
      return userStateTables(rows as UserStateModel);
    case 'bayes-net':
      return bayesNetTables(rows as EngagementNetwork);
    default:
      return [ordersTable(rows as OrdersRow[])];
  }
}

// Written through a temporary file and a rename, so a reader never sees half a report.
function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}

/** Flags of `magpie analytics`. */
interface AnalyticsFlags {
  db?: string;
  from?: string;
  to?: string;
  by?: string;
  json?: string;
  segment?: string;
  steps?: string;
  window?: string;
  byCategory?: boolean;
  churnAfter?: string;
  asOf?: string;
  horizon?: string;
}

/** A whole number ≥ 1 from a flag, or a clear error naming it. */
function wholeFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new MagpieError('invalid_input', `--${flag} must be a whole number ≥ 1, got "${value}"`, { location: { field: flag } });
  return n;
}

function analysisOptions(flags: AnalyticsFlags): AnalysisOptions {
  const options: AnalysisOptions = {};
  if (flags.from !== undefined) options.from = flags.from;
  if (flags.to !== undefined) options.to = flags.to;
  if (flags.by !== undefined) options.by = flags.by as Granularity;
  if (flags.segment !== undefined) options.segment = parseSegment(flags.segment);
  if (flags.steps !== undefined) options.steps = parseSteps(flags.steps);
  if (flags.window !== undefined) {
    const days = Number(flags.window);
    if (!(days > 0)) throw new MagpieError('invalid_input', `--window must be a positive number of days, got "${flags.window}"`, { location: { field: 'window' } });
    options.windowDays = days;
  }
  if (flags.byCategory) options.byCategory = true;
  if (flags.churnAfter !== undefined) options.churnAfter = wholeFlag(flags.churnAfter, 'churn-after');
  if (flags.asOf !== undefined) options.asOf = flags.asOf;
  if (flags.horizon !== undefined) options.horizonDays = wholeFlag(flags.horizon, 'horizon');
  return options;
}

/** Runs one analysis and prints it (and writes `--json`); what the command does, callable from tests. */
export async function runAnalyticsCommand(name: string, flags: AnalyticsFlags, log: (line: string) => void = console.log): Promise<void> {
  const analysis = analysisName(name);
  const options = analysisOptions(flags);
  const store = await openStore(flags.db);
  try {
    const rows = await runAnalysis(store, analysis, options);
    const tables = analyticsTables(analysis, rows, options.by ?? 'month');
    for (const [i, printed] of tables.entries()) {
      log(`${i > 0 ? '\n' : ''}${printed.title}`);
      log(printed.rows.length === 0 ? '(no events in range)' : table(printed.header, printed.rows));
    }
    if (flags.json) {
      writeJson(flags.json, rows);
      log(`Wrote ${flags.json}`);
    }
  } finally {
    await store.close();
  }
}

/** `magpie analytics <name>`. */
export function registerAnalytics(program: Command): void {
  program
    .command('analytics')
    .description(`engagement analytics over the store: ${ANALYSES.join(', ')}`)
    .argument('<name>', `one of ${ANALYSES.join(', ')}`)
    .option('--db <url>', 'store URL (default: $MAGPIE_DB or sqlite:./data/magpie.db)')
    .option('--from <date>', 'start of the range, inclusive (2011-03, 2011-03-07 or an ISO time; UTC)')
    .option('--to <date>', 'end of the range, exclusive')
    .option('--by <period>', 'day, week (ISO, from Monday) or month (default month; user-states: week)')
    .option('--segment <attr=value>', 'only users whose profile attribute has this value, e.g. country=France')
    .option('--steps <types>', 'funnel: event types in order', 'view,add_to_cart,purchase')
    .option('--window <days>', 'funnel: longest time from the first step to the last', '30')
    .option('--by-category', "funnel: also one funnel per category (the item's first)")
    .option('--churn-after <periods>', 'user-states: quiet periods after which a user counts as churned (default 8 weeks)')
    .option('--as-of <date>', 'bayes-net: cut-off between the drivers and the outcome (default: the horizon before the data ends)')
    .option('--horizon <days>', 'bayes-net: outcome window after the cut-off, in days', '30')
    .option('--json <file>', 'also write the rows as JSON (camelCase keys, rates as fractions)')
    .action(async (name: string, flags: AnalyticsFlags) => runAnalyticsCommand(name, flags));
}
