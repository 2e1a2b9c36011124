// How numbers read in the report's tables and sentences. The page script formats chart labels and
// tooltips with the same rules (see page-script.ts), so a figure looks the same in both places.

const DASH = '—';

/** An integer with thousands separators: `12,345`; null → `—`. */
export function int(n: number | null): string {
  return n === null ? DASH : Math.round(n).toLocaleString('en-US');
}

/** A fraction as a percentage: `0.1234` → `12.3%`; null → `—`. */
export function pct(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? DASH : `${(x * 100).toFixed(digits)}%`;
}

/** A plain decimal: `3.14`; null → `—`. */
export function dec(x: number | null, digits = 2): string {
  return x === null || !Number.isFinite(x) ? DASH : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Money with the shop's currency when known: `£1,234.56` (ISO code `GBP`), else `1,234.56`.
 * An unknown code falls back to the code as a prefix rather than failing.
 */
export function money(x: number | null, currency: string | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  if (currency) {
    try {
      return x.toLocaleString('en-US', { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      return `${currency} ${dec(x)}`;
    }
  }
  return dec(x);
}

/** Days with one decimal and the unit: `22.0 days`; null → `—`. */
export function days(x: number | null): string {
  return x === null || !Number.isFinite(x) ? DASH : `${x.toFixed(1)} days`;
}

/** A duration in seconds in the largest fitting unit: `45 s`, `12.5 min`, `3.2 h`, `4.5 days`. */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return DASH;
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** A UTC date-time without seconds: `2011-12-09 12:50 UTC`; null → `—`. */
export function dateTime(ms: number | null): string {
  return ms === null ? DASH : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A UTC date: `2011-12-09`; null → `—`. */
export function date(ms: number | null): string {
  return ms === null ? DASH : new Date(ms).toISOString().slice(0, 10);
}
