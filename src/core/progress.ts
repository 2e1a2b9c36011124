/** Reports progress of long work: `start` with a total once known, then `tick` as units complete. */
export interface Progress {
  start(label: string, total: number): void;
  /** Advances by `done` units (default 1); `info` shows beside the bar (e.g. a loss). */
  tick(done?: number, info?: Record<string, string | number>): void;
  stop(): void;
}

/** A progress reporter that reports nothing (tests, library use). */
export const silentProgress: Progress = { start() {}, tick() {}, stop() {} };

/**
 * Runs `work` between `progress.start(label, total)` and `progress.stop()` (stopped on a throw
 * too), handing it a `tick` to call once per unit done. Ticks reach `progress` in batches of
 * `every` units, the rest at the end: in loops of many cheap steps (one per user) ticking each
 * would cost more than the step.
 *
 * @example
 * const total = withBatchedProgress(progress, 'score users', users.length, (tick) => {
 *   let sum = 0;
 *   for (const u of users) {
 *     sum += score(u);
 *     tick();
 *   }
 *   return sum;
 * });
 */
export function withBatchedProgress<T>(progress: Progress, label: string, total: number, work: (tick: () => void) => T, every = 64): T {
  progress.start(label, total);
  let pending = 0;
  try {
    const result = work(() => {
      if (++pending === every) {
        progress.tick(pending);
        pending = 0;
      }
    });
    progress.tick(pending);
    return result;
  } finally {
    progress.stop();
  }
}
