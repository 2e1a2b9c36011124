import type { EChartsOption } from 'echarts';
import type { Granularity } from '../analytics/periods.js';
import type { Store, StoreStats } from '../store/store.js';

/** An ECharts option object, plain JSON (formatters are named, see `charts.ts`), embedded in the page as is. */
export type ChartOption = EChartsOption;

/** One chart of a section: the page script initialises `option` in the element with this id. */
export interface ReportChart {
  /** Unique in the page; the section's html holds a container with this id (see `chartBox`). */
  id: string;
  option: ChartOption;
}

/** Whether a section shows results or only says why it cannot. */
export type SectionStatus = 'ok' | 'unavailable';

/** What a section module renders: the page lays sections out in order and links them from the table of contents. */
export interface ReportSection {
  /** Anchor of the section, kebab-case. */
  id: string;
  title: string;
  /** The body: text, chart containers and tables, already escaped. */
  html: string;
  charts: ReportChart[];
  /** One sentence with the key figures, for the "at a glance" list (plain text). */
  summary: string;
  status: SectionStatus;
  /** The analysis results behind the section, embedded as JSON for readers and tools. */
  data?: unknown;
}

/** The time range of a report, as given on the command line (epoch ms; `to` exclusive). */
export interface ReportRange {
  from: number | null;
  to: number | null;
}

/** Counts of the events in the report's range. */
export interface RangeExtent {
  events: number;
  /** Distinct known users with an event in the range. */
  users: number;
  /** Distinct items with an event in the range. */
  items: number;
  eventsByType: Partial<Record<string, number>>;
  /** Epoch ms of the first and last event in the range; null when it holds none. */
  firstEventAt: number | null;
  lastEventAt: number | null;
}

/** A span of time, epoch ms, `end` exclusive. */
export interface Coverage {
  start: number | null;
  end: number | null;
}

/** What every section may read: the range, the data's extent, the money unit. */
export interface ReportContext {
  range: ReportRange;
  /** Counts over the whole store. */
  totals: StoreStats;
  /** Counts within the range. */
  extent: RangeExtent;
  /**
   * The time the figures cover, epoch ms, `end` exclusive: the range where given, else the data's
   * first and last day (null without events). Periods cut by it are partly covered.
   */
  coverage: Coverage;
  /** ISO 4217 code when the catalog names exactly one currency, else null (amounts are then unitless). */
  currency: string | null;
  /** Period used for the time series: month over long ranges, week over short ones. */
  by: Granularity;
}

/** What a section's `gather` step gets: the store, the context and a cache shared by every section. */
export interface GatherContext extends ReportContext {
  store: Store;
  /**
   * Runs `compute` once per `key` for the whole report, so two sections showing the same analysis
   * (monthly active users feed two sections) query the store once.
   */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/**
 * One section of the report: `gather` runs the analyses it needs on the store, `render` turns their
 * typed results into the section (pure, so it is testable without a store). Either may throw; the
 * report then shows the section as unavailable with the error's message.
 */
export interface SectionModule<I> {
  id: string;
  title: string;
  gather(ctx: GatherContext): Promise<I>;
  render(input: I, ctx: ReportContext): ReportSection;
}
