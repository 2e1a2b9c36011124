/**
 * The `--models` syntax. Commas separate both models and the params of one model, so a token
 * starts a new model when it contains `:` (`ease:lambda=400`) or is a bare model name
 * (`item-knn`); a `key=value` token continues the params of the model before it.
 */
import { formatComponents, type BlendComponent } from '../models/blend/spec.js';
import { MagpieError } from '../core/errors.js';
import { MODEL_NAMES, parseModelSpec, type ModelSpec } from '../models/registry.js';

/** A parsed `--models` value: explicit models, or every registered one (`all`). */
export interface ModelList {
  /** True for `all`: run every registered model that applies to the data, skipping the rest. */
  all: boolean;
  models: ModelSpec[];
}

/**
 * Parses `--models`: `all`, or comma-separated models each optionally followed by `:key=value`
 * params, e.g. `popularity,ease:lambda=400,binary=true,item-knn:neighbors=50`. Every spec is
 * checked against the registry (unknown model or param → MagpieError with the valid names).
 *
 * @example
 * parseModelList('ease:lambda=400,item-knn').models;
 * // [{ name: 'ease', params: { lambda: 400 } }, { name: 'item-knn', params: {} }]
 */
export function parseModelList(text: string, known: readonly string[] = MODEL_NAMES): ModelList {
  const tokens = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.length === 1 && tokens[0] === 'all') return { all: true, models: known.map((name) => ({ name, params: {} })) };
  if (tokens.length === 0) throw new MagpieError('invalid_input', 'no models given', { location: { field: 'models' }, hint: `name some of ${known.join(', ')}, or all` });
  const groups: string[][] = [];
  for (const token of tokens) {
    const startsModel = token.includes(':') || !token.includes('=');
    if (startsModel) {
      groups.push([token]);
      continue;
    }
    const current = groups[groups.length - 1];
    if (current === undefined) {
      throw new MagpieError('invalid_input', `param "${token}" in --models comes before any model`, {
        location: { field: 'models' },
        hint: 'write model:key=value,key=value, e.g. ease:lambda=400,item-knn',
      });
    }
    current.push(token);
  }
  // Each group is `name[:k=v]` followed by more `k=v`: rejoin it into the registry's syntax.
  return { all: false, models: groups.map((group) => parseModelSpec(group.join(','))) };
}

/** Short text of a model's params for tables: `lambda=400 binary`, or `—` when there are none. */
export function formatParams(params: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(params).map(([key, value]) => (value === true ? key : value === false ? `!${key}` : `${key}=${formatValue(value)}`));
  return parts.length === 0 ? '—' : parts.join(' ');
}

/**
 * A model and its params in the command line's syntax, ready to paste into `--models`.
 *
 * @example
 * formatModelSpec('ease', { lambda: 400, binary: true }); // 'ease:lambda=400,binary=true'
 */
export function formatModelSpec(name: string, params: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(params).map(([key, value]) => `${key}=${formatValue(value)}`);
  return parts.length === 0 ? name : `${name}:${parts.join(',')}`;
}

// A blend's sub-models print in the blend's own string form; other objects as compact JSON.
function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'name' in v && 'weight' in v)) {
    return formatComponents(value as BlendComponent[]);
  }
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
