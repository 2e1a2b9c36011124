import { MagpieError } from '../core/errors.js';
import { note } from './html.js';
import type { ReportSection } from './types.js';

/**
 * Thrown by a section's `gather` or `render` when the data lacks what it needs (no views for a
 * funnel, no impressions for recommendation impact). The report shows the reason instead of the
 * section, and carries on.
 */
export class NotAvailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotAvailable';
  }
}

/** A section that only says why it has nothing to show. */
export function unavailableSection(id: string, title: string, reason: string, kind: 'data' | 'error' = 'data'): ReportSection {
  const text = kind === 'data' ? `Not available on this data: ${reason}` : `Not available: this analysis failed (${reason}).`;
  return { id, title, html: note(text), charts: [], summary: '', status: 'unavailable', data: { reason, kind } };
}

/** The reason to show for an error thrown while building a section. */
export function reasonOf(error: unknown): { reason: string; kind: 'data' | 'error' } {
  if (error instanceof NotAvailable) return { reason: error.reason, kind: 'data' };
  if (error instanceof MagpieError) return { reason: error.describe(), kind: 'error' };
  return { reason: error instanceof Error ? error.message : String(error), kind: 'error' };
}

/**
 * Runs an analysis whose own checks reject data it cannot use with an `invalid_input` error (no
 * user active before a cut-off, too little history for two windows): the report passes it only a
 * range it has already checked, so such an error means the data falls short, and the section says so.
 */
export async function orNotAvailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MagpieError && error.code === 'invalid_input') throw new NotAvailable(error.hint ? `${error.message} (${error.hint})` : error.message);
    throw error;
  }
}
