import type { ChartOption, ReportChart } from './types.js';

// Chart options are embedded as JSON, so they cannot carry functions. Where a label or tooltip
// needs formatting, the option names a formatter as a string ("fmt:pct") that the page script
// swaps for the function of that name (page-script.ts); a plain ECharts template string is left
// alone. The names and their output match format.ts.

/** Formatters the page script knows; each takes a number and returns text. */
export type FormatterName = 'int' | 'pct' | 'pct0' | 'money' | 'days' | 'hours' | 'minutes' | 'duration' | 'dec1' | 'dec2' | 'dec3';

/**
 * A named formatter: a string in the JSON, a function once the page script has swapped it. Typed
 * as both so ECharts' option types accept it where they take a string template or a callback.
 */
export type FormatterRef = string & ((...args: any[]) => string);

const ref = (text: string): FormatterRef => text as FormatterRef;

/**
 * A formatter reference for `axisLabel.formatter`, `tooltip.valueFormatter` or `label.formatter`.
 * Labels get the value of the data item (the last dimension of an array value).
 */
export function fmt(name: FormatterName): FormatterRef {
  return ref(`fmt:${name}`);
}

/** A tooltip formatter for cells of a category × category heat map: `y · x: value`. */
export function fmtCell(name: FormatterName): FormatterRef {
  return ref(`fmt:${name}@cell`);
}

/** A tooltip formatter for a graph: nodes show `name: value`, edges `source → target: value`. */
export function fmtGraph(name: FormatterName): FormatterRef {
  return ref(`fmt:${name}@graph`);
}

/**
 * Categorical colours: Okabe–Ito first (distinct for colour-blind readers), then four of Paul Tol's
 * muted scheme, so eleven RFM segments still get eleven colours; pale yellow last for contrast.
 */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#332288', '#882255', '#44AA99', '#999933', '#7f7f7f', '#F0E442'];

/** A sequential blue scale for heat maps, light (low) to dark (high). */
export const HEAT_SCALE = ['#f2f7fc', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/**
 * A chart with the report's defaults: no animation (a printed or screenshotted page shows the
 * final state), the palette, the page's font and a grid that keeps axis labels inside.
 */
export function chart(id: string, option: ChartOption): ReportChart {
  return {
    id,
    option: {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, color: '#24292f' },
      grid: { left: 12, right: 24, top: 48, bottom: 12, containLabel: true },
      ...option,
    },
  };
}

/** Where a value axis sits: its name goes above a vertical axis (left-aligned on the left, right-aligned on the right), under a horizontal one. */
export type AxisSide = 'left' | 'right' | 'bottom';

/** A value axis with a name and a formatter for its labels. */
export function valueAxis(name: string, format: FormatterName, extra: Record<string, unknown> = {}, side: AxisSide = 'left'): Record<string, unknown> {
  const placement = side === 'bottom' ? { nameLocation: 'middle', nameGap: 26 } : { nameTextStyle: { align: side } };
  return { type: 'value', name, ...placement, axisLabel: { formatter: fmt(format) }, splitLine: { lineStyle: { color: '#e5e7eb' } }, ...extra };
}

/** A rounded-up axis maximum with some headroom above `max`, so labels above the top point stay inside. */
export function paddedMax(max: number, headroom = 0.15): number {
  if (!(max > 0)) return 1;
  const target = max * (1 + headroom);
  const step = 10 ** Math.floor(Math.log10(target));
  return Math.ceil(target / step) * step;
}

/** A date axis: period labels (`2011-03`, `2011-03-07`) become points in time. */
export function timeAxis(): Record<string, unknown> {
  return { type: 'time', axisLine: { lineStyle: { color: '#8c959f' } } };
}

/** The time-axis value of a period label: months are placed on their first day. */
export function periodDate(period: string): string {
  return /^\d{4}-\d{2}$/.test(period) ? `${period}-01` : period;
}

/** A legend at the top, scrolling when the series do not fit. */
export function legend(): Record<string, unknown> {
  return { type: 'scroll', top: 0, left: 'center' };
}

/** A tooltip for all series at the hovered x, with values formatted. */
export function axisTooltip(format: FormatterName): Record<string, unknown> {
  return { trigger: 'axis', valueFormatter: fmt(format) };
}

/** Rounds a figure for a chart (the tables keep full precision); null stays null, a gap in the line. */
export function round(x: number | null, digits = 4): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A fixed tooltip for one data item, from lines of plain text: escaped here, and stripped of
 * braces, which ECharts would read as template fields.
 */
export function itemTooltip(lines: readonly string[]): { formatter: string } {
  const clean = (line: string): string => line.replace(/[{}]/g, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return { formatter: lines.map(clean).join('<br>') };
}
