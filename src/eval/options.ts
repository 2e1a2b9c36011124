/**
 * Turning command-line strings into evaluation settings (protocol, seeds, event weights), shared
 * by `evaluate` and `tune` so both read their flags the same way.
 */
import { MagpieError } from '../core/errors.js';
import { EVENT_TYPES, type EventType } from '../core/types.js';
import type { BuildOptions } from '../dataset/build.js';
import type { SplitProtocol } from '../dataset/split.js';

/** Protocol names `--protocol` accepts. */
export const PROTOCOL_NAMES = ['msr-item-stratified', 'user-stratified', 'leave-last-out', 'temporal'] as const;

/** Raw protocol flags as the CLI receives them. */
export interface ProtocolFlags {
  protocol?: string;
  ratio?: string;
  testDays?: string;
  testFraction?: string;
}

function number(text: string, field: string, check: (x: number) => boolean, rule: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new MagpieError('invalid_input', `--${field} must be ${rule}, got "${text}"`, { location: { field } });
  }
  return value;
}

/**
 * The split protocol from `--protocol` (default `msr-item-stratified`), `--ratio` (stratified
 * protocols), `--test-days` / `--test-fraction` (temporal).
 *
 * @example
 * parseProtocol({ protocol: 'temporal', testDays: '30' }); // { name: 'temporal', testDays: 30 }
 */
export function parseProtocol(flags: ProtocolFlags): SplitProtocol {
  const name = flags.protocol ?? 'msr-item-stratified';
  const ratio = flags.ratio === undefined ? undefined : number(flags.ratio, 'ratio', (x) => x > 0 && x < 1, 'a fraction between 0 and 1');
  switch (name) {
    case 'msr-item-stratified':
    case 'user-stratified':
      return ratio === undefined ? { name } : { name, ratio };
    case 'leave-last-out':
      return { name };
    case 'temporal': {
      const protocol: SplitProtocol = { name };
      if (flags.testDays !== undefined) protocol.testDays = number(flags.testDays, 'test-days', (x) => x > 0, 'a positive number of days');
      if (flags.testFraction !== undefined) protocol.testFraction = number(flags.testFraction, 'test-fraction', (x) => x > 0 && x < 1, 'a fraction between 0 and 1');
      return protocol;
    }
    default:
      throw new MagpieError('invalid_input', `unknown protocol "${name}"`, { location: { field: 'protocol' }, hint: `use one of ${PROTOCOL_NAMES.join(', ')}` });
  }
}

/**
 * Seeds from `--seed-list 1,2,3` when given, else 1..`--seeds` (default 1).
 *
 * @example
 * parseSeeds({ seeds: '3' }); // [1, 2, 3]
 */
export function parseSeeds(flags: { seeds?: string; seedList?: string }): number[] {
  if (flags.seedList !== undefined) {
    const seeds = flags.seedList.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (seeds.length === 0) throw new MagpieError('invalid_input', '--seed-list is empty', { location: { field: 'seed-list' }, hint: 'write e.g. --seed-list 1,2,3' });
    return seeds.map((s) => number(s, 'seed-list', Number.isInteger, 'whole numbers separated by commas'));
  }
  const count = number(flags.seeds ?? '1', 'seeds', (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1');
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** A flag that must be a whole number ≥ 1 (`--k`, `--trials`, `--threads`). */
export function positiveInt(text: string, field: string): number {
  return number(text, field, (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1');
}

/** `--k` (default 10). */
export function parseK(text: string | undefined): number {
  return positiveInt(text ?? '10', 'k');
}

/**
 * Dataset builder options from `--binary` (ratings count 1, not their value), `--weights
 * purchase=8,view=1` (event weights), `--min-user` / `--min-item` (k-core filters).
 */
export function parseBuildFlags(flags: { binary?: boolean; weights?: string; minUser?: string; minItem?: string }): Omit<BuildOptions, 'catalog'> {
  const options: Omit<BuildOptions, 'catalog'> = {};
  if (flags.binary) options.ratings = 'binary';
  if (flags.weights !== undefined) {
    const weights: Partial<Record<EventType, number>> = {};
    for (const pair of flags.weights.split(',')) {
      if (pair.trim() === '') continue;
      const [type, value] = pair.split('=').map((s) => s.trim());
      if (!(EVENT_TYPES as readonly string[]).includes(type ?? '') || value === undefined) {
        throw new MagpieError('invalid_input', `bad event weight "${pair}"`, { location: { field: 'weights' }, hint: `write type=number pairs with types from ${EVENT_TYPES.join(', ')}` });
      }
      weights[type as EventType] = number(value, 'weights', () => true, 'a number');
    }
    options.weights = weights;
  }
  if (flags.minUser !== undefined) options.minUserInteractions = number(flags.minUser, 'min-user', (x) => Number.isInteger(x) && x >= 0, 'a whole number');
  if (flags.minItem !== undefined) options.minItemInteractions = number(flags.minItem, 'min-item', (x) => Number.isInteger(x) && x >= 0, 'a whole number');
  return options;
}
