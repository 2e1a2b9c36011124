import { MagpieError } from '../core/errors.js';
import { eventsCsvSource, eventsJsonlSource, type EventFileOptions } from './events-file.js';
import { movielensSource } from './movielens.js';
import { onlineRetailSource } from './online-retail.js';
import type { Source } from './types.js';

export { importSource, type ImportOptions } from './importer.js';
export type { ImportReport, Source, SourceRecord, Rejection } from './types.js';
export { onlineRetailSource, movielensSource, eventsCsvSource, eventsJsonlSource };

/** Formats `magpie import` understands. */
export const IMPORT_FORMATS = ['online-retail', 'movielens', 'events-csv', 'events-jsonl'] as const;

/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Opens a source of the given format; a clear error for an unknown one. */
export function openSource(format: string, path: string, options: EventFileOptions = {}): Source {
  switch (format) {
    case 'online-retail':
      return onlineRetailSource(path);
    case 'movielens':
      return movielensSource(path);
    case 'events-csv':
      return eventsCsvSource(path, options);
    case 'events-jsonl':
      return eventsJsonlSource(path, options);
    default:
      throw new MagpieError('invalid_input', `unknown import format "${format}"`, { location: { field: 'format' }, hint: `use one of ${IMPORT_FORMATS.join(', ')}` });
  }
}
