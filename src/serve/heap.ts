/**
 * How far V8 lets a serving process's heap grow between full collections.
 *
 * A server keeps caches (histories, candidate lists, ranked pages) whose entries live long enough
 * to be promoted to V8's old generation and then die there when they are replaced. V8's default
 * lets the old generation grow to several times what is live before it collects it again, so
 * under steady load the heap saws between ~130 and ~460 MiB and resident memory keeps the high
 * mark. Capping the growth at a fixed percentage over what survived the last full collection
 * makes those collections more frequent and the memory flat (bench/RESULTS.md, the soak).
 *
 * The flag is read by V8 each time it recomputes its limits, so setting it at start-up is enough.
 */
import { setFlagsFromString } from 'node:v8';
import { MagpieError } from '../core/errors.js';

/** The default cap: the old generation grows at most 50 % over what the last full collection kept (15 % was as flat but cost ~15 % more CPU per request at full load). */
export const DEFAULT_HEAP_GROWTH_PERCENT = 50;

/**
 * Caps V8's heap growth for this process at `percent` (default: `MAGPIE_HEAP_GROWTH`, else 50);
 * 0 leaves V8's own heuristics. Returns the percentage in force.
 *
 * @example
 * limitHeapGrowth(); // 50, unless MAGPIE_HEAP_GROWTH says otherwise
 */
export function limitHeapGrowth(percent: number | string | undefined = process.env.MAGPIE_HEAP_GROWTH): number {
  const value = percent === undefined || percent === '' ? DEFAULT_HEAP_GROWTH_PERCENT : Number(percent);
  if (!Number.isInteger(value) || value < 0 || value > 1000) {
    throw new MagpieError('invalid_input', `MAGPIE_HEAP_GROWTH must be a whole percentage from 0 to 1000 (got ${JSON.stringify(percent)})`, {
      location: { field: 'MAGPIE_HEAP_GROWTH' },
      hint: `leave it unset for ${DEFAULT_HEAP_GROWTH_PERCENT}, or set 0 to keep V8's own heap growth`,
    });
  }
  if (value > 0) setFlagsFromString(`--heap-growing-percent=${value}`);
  return value;
}
