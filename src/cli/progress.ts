import cliProgress from 'cli-progress';
import type { Progress } from '../core/progress.js';

/** Formats a count of bytes as "12.3 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A terminal progress bar (on stderr) with rate and ETA. Prints nothing when stderr is not a
 * terminal or when `MAGPIE_PROGRESS=0`, so logs and pipes stay clean; `MAGPIE_PROGRESS=1` turns it
 * on for a redirected stderr too, as one plain line every 10 seconds (for long runs into a log).
 */
export function terminalProgress(options: { unit?: 'bytes' | 'items' } = {}): Progress {
  const tty = process.stderr.isTTY === true;
  const enabled = (tty && process.env.MAGPIE_PROGRESS !== '0') || process.env.MAGPIE_PROGRESS === '1';
  let bar: cliProgress.SingleBar | null = null;
  let value = 0;
  let started = 0;
  const bytes = options.unit === 'bytes';
  return {
    start(label, total) {
      value = 0;
      started = performance.now();
      if (!enabled) return;
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(22)} {bar} {percentage}% | {done} | {rate}/s | ETA {eta_formatted} {info}`,
          barsize: 28,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
          noTTYOutput: !tty,
          notTTYSchedule: 10_000,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), 0, { done: '0', rate: '0', info: '' });
    },
    tick(done = 1, info) {
      value += done;
      if (!bar) return;
      const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
      const rate = value / seconds;
      bar.update(value, {
        done: bytes ? formatBytes(value) : value.toLocaleString('en-US'),
        rate: bytes ? formatBytes(rate) : Math.round(rate).toLocaleString('en-US'),
        info: info ? Object.entries(info).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v}`).join(' ') : '',
      });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
