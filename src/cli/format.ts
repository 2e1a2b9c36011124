/** Formats an integer with thousands separators. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** An ISO date-time without milliseconds, or "—". */
export function isoTime(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * Renders rows as an aligned text table; numbers are right-aligned.
 *
 * @example
 * table(['type', 'events'], [['purchase', '1,024']]);
 */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[\d,.\-−%]+$/.test(String(r[i]))));
  const line = (r: string[]): string => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
