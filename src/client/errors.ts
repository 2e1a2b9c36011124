/** The error the SDK throws for every answer that is not a success. */
import type { ErrorLocation } from '../core/errors.js';

/**
 * An error answered by the Magpie API (or a network failure, status 0), with the server's code,
 * where the problem is and how to fix it.
 *
 * @example
 * try {
 *   await client.sendEvents({ userId: 'u1', itemId: 'sku-1', type: 'buy' });
 * } catch (error) {
 *   if (error instanceof MagpieApiError) console.log(error.status, error.code, error.location?.field, error.hint);
 *   // 400 invalid_input type correct the value and send it again; …
 * }
 */
export class MagpieApiError extends Error {
  /** HTTP status; 0 when no answer came (network failure or timeout). */
  readonly status: number;
  /** The server's error code (`invalid_input`, `unauthorized`, `forbidden`, `not_found`, `rate_limited`, …). */
  readonly code: string;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;
  /** The server's id of the request, to find it in the server log. */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, details: { location?: ErrorLocation; hint?: string; requestId?: string; retryAfter?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MagpieApiError';
    this.status = status;
    this.code = code;
    this.location = details.location;
    this.hint = details.hint;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
  }
}
