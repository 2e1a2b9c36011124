/**
 * Request bodies as the different Gorse clients send them: a JSON array (Gorse's own server and
 * gorsejs), an object wrapping the array (`{"Feedback": […]}` or `{"Feedbacks": […]}`), or one
 * object alone.
 */
import { MagpieError } from '../../core/errors.js';

/**
 * The list of objects a body carries.
 *
 * @example
 * bodyList({ Feedbacks: [{ FeedbackType: 'star' }] }, ['Feedback', 'Feedbacks'], 'feedback'); // [{ FeedbackType: 'star' }]
 */
export function bodyList(body: unknown, wrapperKeys: readonly string[], what: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (body !== null && typeof body === 'object') {
    const wanted = new Set(wrapperKeys.map((k) => k.toLowerCase()));
    for (const [key, value] of Object.entries(body)) {
      if (wanted.has(key.toLowerCase()) && Array.isArray(value)) return value;
    }
    return [body];
  }
  throw new MagpieError('invalid_input', `the body must be a JSON array of ${what} objects`, {
    location: { field: 'body' },
    hint: `send Content-Type: application/json and a body like [{…}, {…}]${wrapperKeys.length > 0 ? ` or {"${wrapperKeys[0]}": [{…}]}` : ''}`,
  });
}

/** The body of a single-object route; a 400 when it is missing or not an object. */
export function bodyObject(body: unknown, what: string): Record<string, unknown> {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new MagpieError('invalid_input', `the body must be one JSON ${what} object`, {
    location: { field: 'body' },
    hint: 'send Content-Type: application/json and a JSON object',
  });
}
