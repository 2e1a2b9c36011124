/**
 * Turns a batch of client events into stored events: every one is validated before anything is
 * written, ids are filled with a content hash (the same event sent twice gets the same id, so a
 * retry is stored once) and a missing timestamp becomes now.
 */
import { MagpieError, isMagpieError } from '../core/errors.js';
import { parseEvent, type EventInput } from '../core/schemas.js';
import type { Event } from '../core/types.js';

/** Most events accepted in one call. */
export const MAX_INGEST_BATCH = 10_000;

/**
 * Validates every event of `inputs`; the first bad one throws MagpieError('invalid_input') whose
 * field names its place in the batch (`events[3].type`), and nothing is returned.
 *
 * @example
 * const events = validateEvents([{ userId: 'u1', itemId: 'sku-1', type: 'view' }]);
 * events[0].id; // 'h:…' — stable for the same content
 */
export function validateEvents(inputs: readonly EventInput[], now: () => number = Date.now): Event[] {
  if (!Array.isArray(inputs)) {
    throw new MagpieError('invalid_input', 'events must be an array', { location: { field: 'events' }, hint: 'send a JSON array of events' });
  }
  if (inputs.length > MAX_INGEST_BATCH) {
    throw new MagpieError('too_large', `${inputs.length} events in one batch; at most ${MAX_INGEST_BATCH}`, {
      location: { field: 'events' },
      hint: 'split the batch into smaller ones',
    });
  }
  const at = now();
  const events: Event[] = new Array(inputs.length);
  for (let k = 0; k < inputs.length; k++) {
    try {
      events[k] = parseEvent(inputs[k], undefined, () => at);
    } catch (error) {
      if (!isMagpieError(error)) throw error;
      const field = `events[${k}]${error.location?.field ? `.${error.location.field}` : ''}`;
      throw new MagpieError('invalid_input', `event ${k}: ${error.message}`, {
        location: { field },
        hint: `${error.hint ?? 'correct the event'}; nothing of this batch was stored`,
      });
    }
  }
  return events;
}
