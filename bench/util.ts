// Shared helpers of the benchmarks: timing, formatting and the paths of the shared data sets.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** Path of a file under ../shared/datasets, or exits with a clear message when it is missing. */
export function dataset(relative: string): string {
  const path = resolve('../shared/datasets', relative);
  if (!existsSync(path)) {
    console.error(`bench: ${path} is missing; benchmarks read the shared data sets from ../shared/datasets`);
    process.exit(2);
  }
  return path;
}

/** Runs `fn` and returns its result with the wall time in seconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** "123,456". */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Prints a figure line in a stable, grep-able form: `name: value unit`. */
export function figure(name: string, value: number | string, unit = ''): void {
  console.log(`${name.padEnd(48)} ${typeof value === 'number' ? int(value) : value}${unit ? ` ${unit}` : ''}`);
}
