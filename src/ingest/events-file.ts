import { MagpieError, isMagpieError } from '../core/errors.js';
import { parseEvent } from '../core/schemas.js';
import { csvRowBatches, normalizeHeader } from './csv.js';
import { lineBatches, openTextInput } from './text-input.js';
import type { Source, SourceRecord } from './types.js';

/** Event fields a column can be mapped to, and the header names recognised without a mapping. */
export const EVENT_FIELDS = {
  id: ['id', 'eventid'],
  userId: ['user', 'userid', 'customerid', 'customer', 'visitorid'],
  sessionId: ['session', 'sessionid'],
  itemId: ['item', 'itemid', 'productid', 'product', 'sku'],
  type: ['type', 'eventtype', 'event', 'action'],
  value: ['value', 'rating'],
  quantity: ['quantity', 'qty'],
  price: ['price', 'unitprice'],
  query: ['query', 'searchquery'],
  orderId: ['order', 'orderid', 'invoice', 'invoiceno'],
  recId: ['rec', 'recid'],
  timestamp: ['time', 'timestamp', 'ts', 'date', 'eventtime'],
} as const;

type Field = keyof typeof EVENT_FIELDS;
const NUMERIC: ReadonlySet<Field> = new Set(['value', 'quantity', 'price']);

/** Options of the shop-export importers. */
export interface EventFileOptions {
  /** `field=column` pairs, e.g. `user=customer_id,item=sku,type=event,time=ts` (field aliases: user, session, item, order, rec, time). */
  map?: string;
  /** Renames of event type values, e.g. `pageview=view,buy=purchase`. */
  types?: string;
}

const FIELD_ALIASES: Record<string, Field> = { user: 'userId', session: 'sessionId', item: 'itemId', order: 'orderId', rec: 'recId', time: 'timestamp' };

/** Parses `a=b,c=d` into pairs; a clear error names the bad pair. */
export function parsePairs(text: string | undefined, option: string): [string, string][] {
  if (!text) return [];
  return text.split(',').filter((p) => p.trim() !== '').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) {
      throw new MagpieError('invalid_input', `"${pair}" in ${option} is not of the form name=value`, { location: { field: option }, hint: `write ${option} user=customer_id,item=sku,type=event,time=ts` });
    }
    return [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
  });
}

/** The field → source-column mapping: explicit pairs first, then recognised header names. */
export function resolveMapping(columns: readonly string[], map: string | undefined): Map<Field, string> {
  const out = new Map<Field, string>();
  for (const [name, column] of parsePairs(map, '--map')) {
    const field = (FIELD_ALIASES[name] ?? name) as Field;
    if (!(field in EVENT_FIELDS)) {
      throw new MagpieError('invalid_input', `unknown event field "${name}" in --map`, { location: { field: '--map' }, hint: `fields are ${[...Object.keys(FIELD_ALIASES), ...Object.keys(EVENT_FIELDS)].join(', ')}` });
    }
    out.set(field, column);
  }
  const mapped = new Set(out.values());
  for (const column of columns) {
    if (mapped.has(column)) continue;
    const normal = normalizeHeader(column);
    for (const [field, names] of Object.entries(EVENT_FIELDS) as [Field, readonly string[]][]) {
      if (!out.has(field) && names.includes(normal)) {
        out.set(field, column);
        break;
      }
    }
  }
  return out;
}

function toRecord(line: number, raw: Record<string, unknown>, mapping: Map<Field, string>, typeRenames: Map<string, string>, fromCsv: boolean, file: string): SourceRecord {
  const input: Record<string, unknown> = {};
  for (const [field, column] of mapping) {
    let value = raw[column];
    if (value === undefined || value === '') continue;
    if (fromCsv && NUMERIC.has(field)) {
      const n = Number(value);
      if (!Number.isFinite(n)) return { line, rejected: `${field} is not a number`, detail: `column ${column}: ${JSON.stringify(value)}` };
      value = n;
    }
    if (field === 'type' && typeof value === 'string') value = typeRenames.get(value) ?? value.trim().toLowerCase();
    input[field] = value;
  }
  if (!fromCsv && typeof raw.context === 'object' && raw.context !== null && !mapping.has('context' as Field)) input.context = raw.context;
  try {
    return { line, event: parseEvent(input, { file, line }) };
  } catch (error) {
    if (isMagpieError(error)) return { line, rejected: error.message.replace(/^[^:]*: /, `${error.location?.field ?? 'event'}: `), detail: error.location?.field ? `${error.location.field}=${JSON.stringify(input[error.location.field] ?? null)}` : undefined } as SourceRecord;
    throw error;
  }
}

/**
 * A shop's own event export as CSV with a header row. Columns are mapped to event fields with
 * `--map` (unmapped headers with recognised names map themselves); every row is validated.
 */
export function eventsCsvSource(path: string, options: EventFileOptions = {}): Source {
  const input = openTextInput(path);
  const typeRenames = new Map(parsePairs(options.types, '--types'));
  return {
    format: 'events-csv',
    path,
    totalBytes: input.totalBytes,
    bytesRead: input.bytesRead,
    notes: [],
    async *records(): AsyncIterable<SourceRecord[]> {
      let header: string[] | null = null;
      let mapping = new Map<Field, string>();
      let line = 0;
      for await (const rows of csvRowBatches(input)) {
        const out: SourceRecord[] = [];
        for (const row of rows) {
          const record = parseRow(row);
          if (record) out.push(record);
        }
        yield out;
      }
      function parseRow(row: string[]): SourceRecord | null {
        line++;
        if (header === null) {
          header = row.map((h) => h.trim());
          mapping = resolveMapping(header, options.map);
          for (const [field, column] of mapping) {
            if (!header.includes(column)) throw new MagpieError('invalid_input', `--map names column "${column}" for ${field}, but the file has no such column`, { location: { file: path, line: 1 }, hint: `columns are: ${header.join(', ')}` });
          }
          const missing = (['type', 'timestamp'] as Field[]).filter((f) => !mapping.has(f));
          if (!mapping.has('userId') && !mapping.has('sessionId')) missing.unshift('userId');
          if (missing.length > 0) {
            throw new MagpieError('invalid_input', `no column for ${missing.join(', ')}`, { location: { file: path, line: 1 }, hint: `map them with --map, e.g. --map user=customer_id,item=sku,type=event,time=ts (columns: ${header.join(', ')})` });
          }
          return null;
        }
        if (row.length !== header.length) {
          return { line, rejected: 'wrong number of columns', detail: `${row.length} instead of ${header.length}` };
        }
        const raw: Record<string, unknown> = {};
        header.forEach((h, i) => (raw[h] = row[i]));
        return toRecord(line, raw, mapping, typeRenames, true, path);
      }
    },
  };
}

/** A shop's own event export as JSON Lines: one event object per line, keys mapped with `--map`. */
export function eventsJsonlSource(path: string, options: EventFileOptions = {}): Source {
  const input = openTextInput(path);
  const typeRenames = new Map(parsePairs(options.types, '--types'));
  return {
    format: 'events-jsonl',
    path,
    totalBytes: input.totalBytes,
    bytesRead: input.bytesRead,
    notes: [],
    async *records(): AsyncIterable<SourceRecord[]> {
      let line = 0;
      const mappings = new Map<string, Map<Field, string>>();
      for await (const texts of lineBatches(input)) {
        const out: SourceRecord[] = [];
        for (const text of texts) {
          line++;
          const record = parseLine(text);
          if (record) out.push(record);
        }
        yield out;
      }
      function parseLine(text: string): SourceRecord | null {
        if (text.trim() === '') return null;
        let raw: unknown;
        try {
          raw = JSON.parse(text);
        } catch (error) {
          return { line, rejected: 'not valid JSON', detail: (error as Error).message };
        }
        if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { line, rejected: 'not a JSON object' };
        const object = raw as Record<string, unknown>;
        // Lines may differ in their keys: resolve the mapping once per distinct key set.
        const keys = Object.keys(object);
        const cacheKey = keys.join('\u0001');
        let mapping = mappings.get(cacheKey);
        if (!mapping) mappings.set(cacheKey, (mapping = resolveMapping(keys, options.map)));
        return toRecord(line, object, mapping, typeRenames, false, path);
      }
    },
  };
}
