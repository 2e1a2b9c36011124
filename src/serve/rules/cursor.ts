/**
 * Pagination cursors. A cursor names the list (its recId), the offset of the next page, and the
 * 32-bit hashes of every item served so far: when the cached list is gone (evicted, or another
 * server process answers), the list is computed again without those items, so a page never
 * repeats an item.
 */
import { MagpieError } from '../../core/errors.js';

/** What a cursor carries. */
export interface CursorState {
  recId: string;
  offset: number;
  served: number[];
}

/** Most items one list hands out across its pages (bounds the cursor's size). */
export const MAX_SERVED = 300;

/**
 * The opaque token for the page after `offset`.
 *
 * @example
 * const token = encodeCursor({ recId: 'feed.rules.x', offset: 10, served: [1, 2] });
 * decodeCursor(token).offset; // 10
 */
export function encodeCursor(state: CursorState): string {
  const bytes = new Uint8Array(state.served.length * 4);
  const view = new DataView(bytes.buffer);
  state.served.forEach((h, k) => view.setUint32(k * 4, h >>> 0, true));
  const json = JSON.stringify({ r: state.recId, o: state.offset, h: Buffer.from(bytes).toString('base64url') });
  return Buffer.from(json, 'utf8').toString('base64url');
}

function badCursor(why: string): MagpieError {
  return new MagpieError('invalid_input', `bad cursor: ${why}`, {
    location: { field: 'cursor' },
    hint: "pass the nextCursor of the previous page unchanged, or leave cursor out for the first page",
  });
}

/** Reads a token made by {@link encodeCursor}; a damaged token is MagpieError('invalid_input'). */
export function decodeCursor(token: string): CursorState {
  if (typeof token !== 'string' || token.length === 0 || token.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(token)) throw badCursor('not a cursor token');
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badCursor('not a cursor token');
  }
  if (typeof raw !== 'object' || raw === null) throw badCursor('not a cursor token');
  const { r, o, h } = raw as Record<string, unknown>;
  if (typeof r !== 'string' || !Number.isSafeInteger(o) || (o as number) < 0 || typeof h !== 'string') throw badCursor('fields are missing');
  const bytes = Buffer.from(h, 'base64url');
  if (bytes.length % 4 !== 0) throw badCursor('served items are damaged');
  const served: number[] = [];
  for (let k = 0; k < bytes.length; k += 4) served.push(bytes.readUInt32LE(k));
  return { recId: r, offset: o as number, served };
}
