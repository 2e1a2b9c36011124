/** Formats an integer with thousands separators. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** An ISO date-time without milliseconds, or "—". */
export function isoTime(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** The aligned text table of `core/table.ts`, re-exported as part of the CLI's formatting kit. */
export { table } from '../core/table.js';
