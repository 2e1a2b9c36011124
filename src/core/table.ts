/** Plain-text tables for the terminal, shared by the CLI and the evaluation reports. */

/** Cells that read as numbers by default: digits with separators, signs and percentages. */
const NUMBER_TEXT = /^[\d,.\-−%]+$/;

/**
 * Renders rows as an aligned text table under a ruled header. A column is right-aligned when
 * every row's cell is a number or text matching `numberText`; other columns are left-aligned.
 *
 * @example
 * table(['type', 'events'], [['purchase', '1,024']]);
 * // type      events
 * // ────────  ──────
 * // purchase   1,024
 */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], numberText: RegExp = NUMBER_TEXT): string {
  const cells = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || numberText.test(String(r[i]))));
  const line = (r: string[]): string => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
