// The self-contained HTML report: every analysis of the store with charts, in one file that opens
// offline. Each section is a small module (sections/) that gathers typed analysis results and
// renders them; build.ts runs them in order and page.ts lays out the page.
export { buildReport, writeReport, MAGPIE_VERSION, type BuiltReport, type ReportOptions, type SectionTiming } from './build.js';
export { SECTIONS } from './sections/index.js';
export { defineSection } from './define.js';
export { NotAvailable, unavailableSection } from './unavailable.js';
export type { ChartOption, GatherContext, RangeExtent, ReportChart, ReportContext, ReportRange, ReportSection, SectionModule, SectionStatus } from './types.js';
