/**
 * V8 settings of a serving process: how far its heap grows between full collections, and who
 * does the young-generation collections.
 *
 * A server keeps caches (histories, candidate lists, ranked pages) whose entries live long enough
 * to be promoted to V8's old generation and then die there when they are replaced. V8's default
 * lets the old generation grow to several times what is live before it collects it again, so
 * under steady load the heap saws between ~130 and ~460 MiB and resident memory keeps the high
 * mark. Capping the growth at a fixed percentage over what survived the last full collection
 * makes those collections more frequent and the memory flat (bench/RESULTS.md, the soak).
 *
 * Young-generation collections (scavenges) run on the request thread alone. By default V8 splits
 * each over helper threads, and on a small machine these wait for cores that the load, the write
 * thread and the load's own process hold: at 1,000 feeds a second on 2 cores, scavenges paused the
 * server 2–9 ms; scavenging alone, 2–3 ms, and the feed's p99 fell from 8–11 ms to 5–9 ms
 * (bench/RESULTS.md, sixth round).
 *
 * Both flags are read by V8 each time it needs them, so setting them at start-up is enough.
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

/**
 * Makes scavenges run on the calling thread alone unless `parallel` (default:
 * `MAGPIE_PARALLEL_SCAVENGE`) is `1` or `true`. Returns whether they stay parallel.
 *
 * @example
 * scavengeAlone(); // false: one thread scavenges
 */
export function scavengeAlone(parallel: string | undefined = process.env.MAGPIE_PARALLEL_SCAVENGE): boolean {
  const keep = parallel === '1' || parallel === 'true';
  if (parallel !== undefined && parallel !== '' && !keep && parallel !== '0' && parallel !== 'false') {
    throw new MagpieError('invalid_input', `MAGPIE_PARALLEL_SCAVENGE must be 1 or 0 (got ${JSON.stringify(parallel)})`, {
      location: { field: 'MAGPIE_PARALLEL_SCAVENGE' },
      hint: 'leave it unset (or 0) to scavenge on the request thread alone, or set 1 for V8\'s parallel scavenges',
    });
  }
  if (!keep) setFlagsFromString('--no-parallel-scavenge');
  return keep;
}

/** Applies both serving settings from the environment: {@link limitHeapGrowth} and {@link scavengeAlone}. */
export function tuneServingHeap(): void {
  limitHeapGrowth();
  scavengeAlone();
}
