import Papa from 'papaparse';
import type { TextInput } from './text-input.js';

/**
 * Streams the rows of a CSV input in batches (arrays of rows, each an array of strings).
 * Quotes, embedded commas and doubled quotes are handled by papaparse, the fastest CSV parser
 * measured here; batches keep the per-row cost of async iteration out of the hot path, and the
 * parser is paused while the consumer is behind so memory stays bounded.
 */
export async function* csvRowBatches(input: TextInput, delimiter?: string): AsyncIterable<string[][]> {
  const queue: string[][][] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  let paused = false;
  if (input.stream.errored) throw input.stream.errored;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  Papa.parse<string[]>(input.stream as unknown as File, {
    header: false,
    skipEmptyLines: true,
    ...(delimiter ? { delimiter } : {}),
    chunk(results, p) {
      parser = p;
      queue.push(results.data);
      if (queue.length >= 4 && !paused) {
        paused = true;
        p.pause();
      }
      notify();
    },
    complete() {
      finished = true;
      notify();
    },
    error(error: Error) {
      failure = error;
      notify();
    },
  });
  input.stream.on('error', (error) => {
    failure = error;
    notify();
  });
  for (;;) {
    const batch = queue.shift();
    if (batch) {
      if (paused && queue.length < 2) {
        paused = false;
        (parser as Papa.Parser | null)?.resume();
      }
      yield batch;
      continue;
    }
    if (failure) throw failure;
    if (finished) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

/** Index of each header name, case- and space-insensitive. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  header.forEach((name, i) => map.set(normalizeHeader(name), i));
  return map;
}

/** "Customer ID " → "customerid": how header names are compared. */
export function normalizeHeader(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, '');
}
