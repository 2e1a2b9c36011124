import { MagpieError } from '../core/errors.js';
import { GRANULARITIES, parseTime, type Granularity } from './periods.js';

/** Restricts an analysis to the users whose profile attribute equals a value, e.g. `country = United Kingdom`. */
export interface Segment {
  attribute: string;
  value: string;
}

/** Options every analysis takes. */
export interface AnalyticsOptions {
  /** Start of the range, inclusive: epoch ms or a date such as `2011-03` or `2011-03-07`. */
  from?: number | string;
  /** End of the range, exclusive (as in the Store's event queries). */
  to?: number | string;
  /** Period of the rows; each analysis has its own default. */
  by?: Granularity;
  /** Only users in this segment; anonymous sessions are left out when one is given. */
  segment?: Segment;
}

/** {@link AnalyticsOptions} with times parsed and defaults applied. */
export interface ResolvedOptions {
  from: number | null;
  to: number | null;
  by: Granularity;
  segment: Segment | null;
}

/** Parses and checks the shared options; `by` falls back to `defaultBy`. */
export function resolveOptions(options: AnalyticsOptions, defaultBy: Granularity): ResolvedOptions {
  const from = options.from === undefined ? null : parseTime(options.from, 'from');
  const to = options.to === undefined ? null : parseTime(options.to, 'to');
  if (from !== null && to !== null && to <= from) {
    throw new MagpieError('invalid_input', `the range is empty: --to (${new Date(to).toISOString()}) is not after --from (${new Date(from).toISOString()})`, {
      location: { field: 'to' },
      hint: '--to is exclusive; give a later date',
    });
  }
  const by = options.by ?? defaultBy;
  if (!GRANULARITIES.includes(by)) {
    throw new MagpieError('invalid_input', `unknown period "${String(by)}"`, { location: { field: 'by' }, hint: `use one of ${GRANULARITIES.join(', ')}` });
  }
  const segment = options.segment ?? null;
  if (segment && !/^[A-Za-z0-9_.-]{1,64}$/.test(segment.attribute)) {
    throw new MagpieError('invalid_input', `"${segment.attribute}" is not a usable attribute name`, {
      location: { field: 'segment' },
      hint: 'use letters, digits, _, - or . (e.g. country=United Kingdom)',
    });
  }
  return { from, to, by, segment };
}

/**
 * Parses `attribute=value` as given to `--segment`.
 *
 * @example
 * parseSegment('country=United Kingdom'); // { attribute: 'country', value: 'United Kingdom' }
 */
export function parseSegment(text: string): Segment {
  const at = text.indexOf('=');
  if (at <= 0) throw new MagpieError('invalid_input', `"${text}" is not attribute=value`, { location: { field: 'segment' }, hint: 'e.g. --segment country=United Kingdom' });
  return { attribute: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}
