/**
 * Recommendation ids: `<surface>.<source>.<random>`. The source says what produced the list —
 * a model version id, `rules` for pure fallbacks, or `<experiment>:<variant>` — so attribution
 * needs nothing but the id an event carries. The random part starts with the time (base 36), so
 * ids made one after another sort together: each impression (`imp:<recId>:…`) then lands next to
 * the previous one in the events' id index instead of on a random page of it.
 */
import { randomFillSync } from 'node:crypto';
import type { Surface } from './types.js';

const SURFACES: ReadonlySet<string> = new Set<Surface>(['feed', 'session', 'similar', 'bought-together', 'cart', 'trending', 'latest']);

/** What a recId says about the list it names. */
export interface RecIdParts {
  surface: Surface;
  /** Model version id, `rules`, or `<experiment>:<variant>`. */
  source: string;
  experiment: { name: string; variant: string } | null;
}

/**
 * A fresh recId. `source` may not contain a dot.
 *
 * @example
 * makeRecId('feed', 'v20261123101500-ease'); // 'feed.v20261123101500-ease.mhz2q1c0k3Jd9sQ2aZ0p'
 */
export function makeRecId(surface: Surface, source: string): string {
  const clean = source.replaceAll('.', '_');
  if (poolAt + ID_BYTES > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const random = pool.toString('base64url', poolAt, poolAt + ID_BYTES);
  poolAt += ID_BYTES;
  return `${surface}.${clean}.${Date.now().toString(36)}${random}`;
}

const ID_BYTES = 9;
// One call into the system's random source per 455 ids: a call per id cost more than the rest of a list's bookkeeping.
const pool = Buffer.alloc(ID_BYTES * 455);
let poolAt = pool.length;

/**
 * The parts of a recId made by {@link makeRecId}; null for ids from elsewhere (a shop's own).
 *
 * @example
 * parseRecId('feed.spring-test:b.k3Jd9sQ2aZ0p'); // { surface: 'feed', source: 'spring-test:b', experiment: { name: 'spring-test', variant: 'b' } }
 */
export function parseRecId(recId: string): RecIdParts | null {
  const first = recId.indexOf('.');
  const last = recId.lastIndexOf('.');
  if (first <= 0 || last <= first + 1) return null;
  const surface = recId.slice(0, first);
  if (!SURFACES.has(surface)) return null;
  const source = recId.slice(first + 1, last);
  const colon = source.indexOf(':');
  const experiment = colon > 0 && colon < source.length - 1 ? { name: source.slice(0, colon), variant: source.slice(colon + 1) } : null;
  return { surface: surface as Surface, source, experiment };
}
