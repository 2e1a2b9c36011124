import { createReadStream, statSync, openSync, readSync, closeSync } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
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
  // Small reads keep the byte count (progress) close to what has been parsed, not far ahead of it.
  const raw = createReadStream(path, { highWaterMark: 1 << 16 });
  const gzip = isGzip(path);
  // Readers see one stream; a read or gunzip failure reaches them as one clear MagpieError
  // instead of an unhandled 'error' event on an inner stream.
  const out = new PassThrough();
  const fail = (error: Error): void => {
    const what = gzip ? 'is not a complete, valid gzip file' : 'could not be read';
    out.destroy(
      new MagpieError('corrupt', `the input file ${path} ${what}: ${error.message} (after ${raw.bytesRead.toLocaleString('en-US')} of ${totalBytes.toLocaleString('en-US')} bytes)`, {
        location: { file: path },
        hint: gzip ? 'the download may be truncated: fetch the file again, or check it with gzip -t' : 'check the file and its permissions',
        cause: error,
      }),
    );
  };
  raw.on('error', fail);
  // The failure may come before any reader is attached (the first chunk of a damaged gzip file);
  // the stream keeps it (`errored`) and hands it to whoever reads, so no listener is needed here.
  out.on('error', () => {});
  if (gzip) {
    const gunzip = createGunzip();
    gunzip.on('error', fail);
    raw.pipe(gunzip).pipe(out);
  } else {
    raw.pipe(out);
  }
  out.setEncoding(encoding);
  // ReadStream counts its own bytes; a 'data' listener here would start the flow before anyone reads.
  return { stream: out, totalBytes, bytesRead: () => raw.bytesRead };
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
