import { createReadStream, statSync, openSync, readSync, closeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { MagpieError } from '../core/errors.js';

/** A text file opened for streaming, gunzipped on the fly when it is gzip, with byte progress. */
export interface TextInput {
  stream: Readable;
  totalBytes: number;
  bytesRead(): number;
}

/** True when the file starts with the gzip magic bytes (whatever its name). */
export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Size of a file, or a clear error saying it does not exist. */
export function fileSize(path: string, what = 'input file'): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new MagpieError('invalid_input', `the ${what} ${path} is not a file`, { hint: 'give the path of a file' });
    return stat.size;
  } catch (error) {
    if (error instanceof MagpieError) throw error;
    throw new MagpieError('not_found', `cannot read the ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check the path (relative paths start from the current folder)',
    });
  }
}

/**
 * Opens `path` for streaming text. Progress counts compressed bytes, so it reaches 100% at the end
 * of a gzip file too.
 */
export function openTextInput(path: string, encoding: BufferEncoding = 'utf8'): TextInput {
  const totalBytes = fileSize(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = isGzip(path) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => stream.destroy(error));
  stream.setEncoding(encoding);
  // ReadStream counts its own bytes; a 'data' listener here would start the flow before anyone reads.
  return { stream, totalBytes, bytesRead: () => raw.bytesRead };
}

/** Yields the lines of a text input (without line endings) in batches, one per chunk read. */
export async function* lineBatches(input: TextInput): AsyncIterable<string[]> {
  let rest = '';
  for await (const chunk of input.stream as AsyncIterable<string>) {
    const text = rest + chunk;
    const batch: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      batch.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (batch.length > 0) yield batch;
  }
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}
