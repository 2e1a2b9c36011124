/** Reports progress of long work: `start` with a total once known, then `tick` as units complete. */
export interface Progress {
  start(label: string, total: number): void;
  /** Advances by `done` units (default 1); `info` shows beside the bar (e.g. a loss). */
  tick(done?: number, info?: Record<string, string | number>): void;
  stop(): void;
}

/** A progress reporter that reports nothing (tests, library use). */
export const silentProgress: Progress = { start() {}, tick() {}, stop() {} };
