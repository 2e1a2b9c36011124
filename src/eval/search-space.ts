/**
 * Hyper-parameter search spaces for `magpie tune`: the default space of each model, the
 * `--space` syntax, and seeded random or grid enumeration of candidate params.
 */
import { MagpieError } from '../core/errors.js';
import { Random } from '../math/random.js';
import { coerceParamValue } from '../models/params.js';

/** The values one param may take: a numeric range (log-uniform when `log`) or a list of choices. */
export type ParamRange =
  | { kind: 'range'; min: number; max: number; log?: boolean; integer?: boolean }
  | { kind: 'choice'; values: readonly (string | number | boolean)[] };

/** A search space: param name → the values it ranges over. */
export type SearchSpace = Readonly<Record<string, ParamRange>>;

/**
 * Default search spaces per model id. Model authors extend this table when they add a model
 * with params worth tuning; a model without an entry is tuned over nothing (its defaults).
 */
export const DEFAULT_SEARCH_SPACES: Record<string, SearchSpace> = {
  ease: { lambda: { kind: 'range', min: 50, max: 5000, log: true } },
  'item-knn': {
    neighbors: { kind: 'range', min: 20, max: 500, integer: true, log: true },
    shrink: { kind: 'range', min: 0, max: 100 },
    similarity: { kind: 'choice', values: ['cosine', 'jaccard', 'lift'] },
  },
  popularity: {},
  ials: {
    factors: { kind: 'choice', values: [32, 64, 128, 256] },
    regularization: { kind: 'range', min: 0.01, max: 100, log: true },
    alpha: { kind: 'range', min: 0.5, max: 50, log: true },
  },
  bpr: {
    factors: { kind: 'choice', values: [32, 64, 128] },
    learningRate: { kind: 'range', min: 0.005, max: 0.1, log: true },
    regularization: { kind: 'range', min: 0.0001, max: 0.1, log: true },
  },
  mf: {
    factors: { kind: 'choice', values: [16, 32, 64, 128] },
    regularization: { kind: 'range', min: 0.005, max: 0.2, log: true },
  },
  sasrec: {
    learningRate: { kind: 'range', min: 0.0005, max: 0.01, log: true },
    dropout: { kind: 'range', min: 0.1, max: 0.5 },
    blocks: { kind: 'choice', values: [1, 2, 3] },
    negatives: { kind: 'choice', values: [64, 128, 256, 512] },
  },
  lightgcn: {
    learningRate: { kind: 'range', min: 0.001, max: 0.02, log: true },
    regularization: { kind: 'range', min: 0.00001, max: 0.01, log: true },
    layers: { kind: 'choice', values: [1, 2, 3, 4] },
  },
  gru4rec: {
    learningRate: { kind: 'range', min: 0.0005, max: 0.02, log: true },
    dropout: { kind: 'range', min: 0, max: 0.5 },
    loss: { kind: 'choice', values: ['sampled-softmax', 'bpr-max'] },
    negatives: { kind: 'choice', values: [64, 128, 256, 512] },
  },
};

/**
 * Parses `--space`: comma-separated `name=lo..hi[:log]` (integer draws when both bounds are
 * whole numbers), `name=a|b|c` (choices; numbers and booleans coerced) or `name=value` (fixed).
 *
 * @example
 * parseSearchSpace('lambda=100..2000:log,binary=true|false');
 * // { lambda: { kind: 'range', min: 100, max: 2000, log: true, integer: true }, binary: { kind: 'choice', values: [true, false] } }
 */
export function parseSearchSpace(text: string): SearchSpace {
  const space: Record<string, ParamRange> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const fail = (why: string): never => {
      throw new MagpieError('invalid_input', `bad --space entry "${part.trim()}": ${why}`, {
        location: { field: 'space' },
        hint: "write name=lo..hi[:log], name=a|b|c or name=value, comma-separated, e.g. 'lambda=100..2000:log,binary=true|false'",
      });
    };
    if (eq <= 0 || value === '') fail('expected name=values');
    const range = /^(-?[\d.e+-]+)\.\.(-?[\d.e+-]+)(:log)?$/.exec(value);
    if (range) {
      const min = Number(range[1]);
      const max = Number(range[2]);
      const log = range[3] !== undefined;
      if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) fail('the bounds must be numbers with lo ≤ hi');
      if (log && min <= 0) fail('a log range needs lo > 0');
      space[name] = { kind: 'range', min, max, log, integer: Number.isInteger(min) && Number.isInteger(max) && !/[.e]/.test(`${range[1]}${range[2]}`) };
    } else {
      space[name] = { kind: 'choice', values: value.split('|').map((v) => coerceParamValue(v)) };
    }
  }
  return space;
}

function draw(range: ParamRange, rng: Random): string | number | boolean {
  if (range.kind === 'choice') return range.values[rng.nextInt(range.values.length)]!;
  const u = rng.nextFloat();
  const x = range.log ? Math.exp(Math.log(range.min) + u * (Math.log(range.max) - Math.log(range.min))) : range.min + u * (range.max - range.min);
  return range.integer ? Math.min(range.max, Math.max(range.min, Math.round(x))) : Number(x.toPrecision(4));
}

/** `count` random candidates drawn with `seed`; an empty space gives one candidate (the defaults). */
export function randomCandidates(space: SearchSpace, count: number, seed: number): Record<string, unknown>[] {
  const names = Object.keys(space);
  if (names.length === 0) return [{}];
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Object.fromEntries(names.map((name) => [name, draw(space[name]!, rng)])));
}

/** `points` values spread over a range (log-spaced for log ranges), or a choice's values. */
function axis(range: ParamRange, points: number): (string | number | boolean)[] {
  if (range.kind === 'choice') return [...range.values];
  const out = new Set<number>();
  for (let p = 0; p < points; p++) {
    const t = points === 1 ? 0.5 : p / (points - 1);
    const x = range.log ? Math.exp(Math.log(range.min) + t * (Math.log(range.max) - Math.log(range.min))) : range.min + t * (range.max - range.min);
    out.add(range.integer ? Math.round(x) : Number(x.toPrecision(4)));
  }
  return [...out];
}

/** Every combination of `points` values per range and every choice (the full grid). */
export function gridCandidates(space: SearchSpace, points: number): Record<string, unknown>[] {
  let grid: Record<string, unknown>[] = [{}];
  for (const [name, range] of Object.entries(space)) {
    const values = axis(range, points);
    grid = grid.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return grid;
}
