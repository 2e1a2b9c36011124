/**
 * Query parameters, cursors and times as Gorse clients send and expect them. Gorse's own server
 * reads `cursor`, while gorsejs sends `Cursor`; both are accepted.
 */
import { MagpieError } from '../../core/errors.js';
import { toEpochMillis } from '../../core/schemas.js';

/** A parsed query string as fastify hands it over (repeated keys become arrays). */
export type Query = Record<string, string | string[] | undefined>;

/** The deepest `offset + n` a ranked list (recommend, neighbors, popular, latest) may reach. */
export const MAX_PAGE = 1000;

/** Largest page of users, items or feedback (Gorse clients export whole tables page by page). */
export const MAX_LIST = 10_000;

/** Gorse's `server.default_n`. */
export const DEFAULT_N = 10;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The first non-empty value among the given spellings of a parameter. */
export function queryString(query: Query, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = first(query[name]);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Every non-empty value of a repeatable parameter (`?category=a&category=b`). */
export function queryStrings(query: Query, name: string): string[] {
  const value = query[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return all.filter((v) => v !== '');
}

/** An integer parameter within [min, max]; the fallback when absent; a 400 naming it otherwise. */
export function queryInt(query: Query, name: string, fallback: number, min: number, max: number = MAX_PAGE): number {
  const raw = queryString(query, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new MagpieError('invalid_input', `${name}: "${raw}" is not an integer`, { location: { field: name }, hint: `send ${name} as a whole number, e.g. ${name}=${fallback}` });
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new MagpieError('invalid_input', `${name}: ${value} is out of range`, { location: { field: name }, hint: `use a value from ${min} to ${max}` });
  }
  return value;
}

/** `n` and `offset` of a ranked list, with `offset + n` kept within {@link MAX_PAGE}. */
export function pageParams(query: Query): { n: number; offset: number } {
  const n = queryInt(query, 'n', DEFAULT_N, 1);
  const offset = queryInt(query, 'offset', 0, 0, MAX_PAGE - n);
  return { n, offset };
}

/** The opaque `Cursor` string of a page: base64url of a small JSON value. Empty on the last page. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Reads a cursor made by {@link encodeCursor}; a 400 when it was not made here. */
export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) {
    throw new MagpieError('invalid_input', `cursor: "${cursor}" is not a cursor from this server`, {
      location: { field: 'cursor' },
      hint: 'send back the Cursor of the previous page unchanged, or no cursor for the first page',
    });
  }
  return value;
}

/** Go's zero time, which Gorse returns for items without a timestamp. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 as Go writes it: no fractional part when it is zero. */
export function formatGorseTime(ms: number | null): string {
  if (ms === null) return GO_ZERO_TIME;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A Gorse time field: RFC 3339, a date, "YYYY-MM-DD HH:MM:SS" or epoch; null when empty or Go's zero time. */
export function parseGorseTime(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const ms = typeof value === 'string' || typeof value === 'number' ? toEpochMillis(value) : null;
  if (ms === null) {
    throw new MagpieError('invalid_input', `${field}: "${String(value)}" is not a time`, {
      location: { field },
      hint: 'use RFC 3339 (2022-02-24T10:00:00Z), a date (2022-02-24) or epoch seconds',
    });
  }
  return ms <= Date.UTC(1, 0, 1) ? null : ms;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration ("10m", "1h30m", "1.5s", "-2h") in milliseconds, as Gorse's `write-back-delay` takes it.
 *
 * @example
 * parseGoDuration('1h30m', 'write-back-delay'); // 5400000
 */
export function parseGoDuration(text: string, field: string): number {
  const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(text);
  if (text === '0' || text === '+0' || text === '-0') return 0;
  if (!match) {
    throw new MagpieError('invalid_input', `${field}: "${text}" is not a duration`, { location: { field }, hint: 'use Go duration syntax such as 30s, 10m or 1h30m' });
  }
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (DURATION_UNITS[part[2] ?? ''] ?? 0);
  }
  return match[1] === '-' ? -total : total;
}
