import { labelStart, nextLabel, type Granularity } from '../analytics/periods.js';
import type { Coverage, SectionModule } from './types.js';

/**
 * Declares a section module. The list of sections holds modules of different input types; each
 * module's `gather` result only ever reaches its own `render`, so erasing the type here is safe.
 */
export function defineSection<I>(module: SectionModule<I>): SectionModule<unknown> {
  return module as unknown as SectionModule<unknown>;
}

const DAY_MS = 86_400_000;

/**
 * The span the figures cover: the range where given, else from the midnight before the first
 * event to the midnight after the last.
 */
export function coverageOf(range: { from: number | null; to: number | null }, firstEventAt: number | null, lastEventAt: number | null): Coverage {
  return {
    start: range.from ?? (firstEventAt === null ? null : Math.floor(firstEventAt / DAY_MS) * DAY_MS),
    end: range.to ?? (lastEventAt === null ? null : Math.floor(lastEventAt / DAY_MS) * DAY_MS + DAY_MS),
  };
}

/**
 * Whether the coverage holds only part of a period (it starts or ends inside it): such a period's
 * counts are not comparable with full ones, and the tables mark it.
 */
export function isPartialPeriod(period: string, by: Granularity, coverage: Coverage): boolean {
  const start = labelStart(period, by);
  const end = labelStart(nextLabel(period, by), by);
  return (coverage.start !== null && start < coverage.start) || (coverage.end !== null && end > coverage.end);
}

/** A period label with ` *` when partly covered (see {@link isPartialPeriod}). */
export function periodCell(period: string, by: Granularity, coverage: Coverage): string {
  return isPartialPeriod(period, by, coverage) ? `${period} *` : period;
}

/** The footnote explaining ` *`, or undefined when no period is partial. */
export function partialFootnote(periods: readonly string[], by: Granularity, coverage: Coverage): string | undefined {
  return periods.some((p) => isPartialPeriod(p, by, coverage)) ? '* The range or the data starts or ends inside this period, so its figures cover only part of it.' : undefined;
}
