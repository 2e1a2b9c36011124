/** Machine-readable error codes shared by the CLI, the HTTP API and the library. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unsupported'
  | 'corrupt'
  | 'too_large'
  | 'unauthorized'
  | 'internal';

/** Where a bad value was found: a file and line, a field, or both. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
}

/**
 * The one error type Magpie throws on purpose. It says what went wrong (`message`),
 * where (`location`) and how to fix it (`hint`), so the CLI and the API can show it as is.
 *
 * @example
 * throw new MagpieError('invalid_input', 'unknown event type "buy"', {
 *   location: { field: 'type', line: 12 },
 *   hint: 'use one of view, click, add_to_cart, …, or map it with --map type=…',
 * });
 */
export class MagpieError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: ErrorLocation; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MagpieError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
  }

  /** One line for people: "what (where). how to fix". */
  describe(): string {
    const where = formatLocation(this.location);
    return `${this.message}${where ? ` (${where})` : ''}${this.hint ? `. Fix: ${this.hint}` : ''}`;
  }

  /** The JSON shape the HTTP API returns; never includes a stack trace. */
  toJSON(): { code: ErrorCode; message: string; location?: ErrorLocation; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      ...(this.location ? { location: this.location } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

/** "file.csv line 12, field quantity" — empty when nothing is known. */
export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.field) parts.push(`field ${location.field}`);
  return parts.join(', ');
}

/** True when `error` is a MagpieError with the given code (or any code). */
export function isMagpieError(error: unknown, code?: ErrorCode): error is MagpieError {
  return error instanceof MagpieError && (code === undefined || error.code === code);
}
