/**
 * The `models` param of `blend`: a list of sub-model specs, given as objects from code or as one
 * compact string from the command line.
 */
import { MagpieError } from '../../core/errors.js';
import { coerceParamValue } from '../params.js';

/** One sub-model of a blend: its registry name, its params and its weight in the sum. */
export interface BlendComponent {
  name: string;
  params: Record<string, unknown>;
  weight: number;
}

const NAME = /^[a-z][a-z0-9-]*$/;

function invalid(message: string, hint = 'write models as ease*0.7+item-knn*0.3, or ease[lambda=400;binary=false]*0.7+item-knn'): MagpieError {
  return new MagpieError('invalid_input', `param models of model blend ${message}`, { location: { field: 'models' }, hint });
}

/**
 * Parses the compact form: sub-models joined by `+`, each `name`, optionally `[key=value;…]`
 * with its own params (omitted: the sub-model's defaults), optionally `*weight` (default 1).
 * Commas are avoided so the whole list fits in one `blend:models=…` command-line param.
 *
 * @example
 * parseComponents('ease*0.7+item-knn*0.3');
 * // [{ name: 'ease', params: {}, weight: 0.7 }, { name: 'item-knn', params: {}, weight: 0.3 }]
 * parseComponents('ease[lambda=400]*2+popularity');
 * // [{ name: 'ease', params: { lambda: 400 }, weight: 2 }, { name: 'popularity', params: {}, weight: 1 }]
 */
export function parseComponents(text: string): BlendComponent[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  // Split on top-level `+` only: a param value inside [...] may hold one (1e+3).
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '+' && depth === 0) {
      parts.push(text.slice(start, k));
      start = k + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => {
    const match = /^\s*([^[*\s]+)\s*(?:\[([^\]]*)\])?\s*(?:\*\s*([^\s]+))?\s*$/.exec(part);
    if (match === null) throw invalid(`has a malformed entry "${part}"`);
    const [, name, paramText, weightText] = match;
    const params: Record<string, unknown> = {};
    for (const pair of (paramText ?? '').split(';')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw invalid(`has a malformed param "${pair}" in "${part}"`);
      params[pair.slice(0, eq).trim()] = coerceParamValue(pair.slice(eq + 1));
    }
    return checkComponent({ name, params, weight: weightText === undefined ? 1 : Number(weightText) });
  });
}

/**
 * Checks the `models` param in either form (compact string or list of `{ name, params?, weight? }`)
 * and returns it as a fresh, fully spelled-out list. Sub-model names and params are only checked
 * when the sub-models are built (at fit or load), because the registry is loaded lazily.
 */
export function resolveComponents(value: unknown): BlendComponent[] {
  let list: BlendComponent[];
  if (typeof value === 'string') list = parseComponents(value);
  else if (Array.isArray(value)) list = value.map((entry) => checkComponent(entry));
  else throw invalid('must be a list of { name, params, weight } or a string like ease*0.7+item-knn*0.3');
  if (list.length === 0) throw invalid('lists no models');
  if (!list.some((c) => c.weight > 0)) throw invalid('needs at least one positive weight');
  return list;
}

function checkComponent(entry: unknown): BlendComponent {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`has an entry that is not an object: ${JSON.stringify(entry)}`);
  const { name, params = {}, weight = 1 } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`has a bad model name ${JSON.stringify(name)}`);
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid(`gives ${name} params that are not an object`);
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw invalid(`gives ${name} the weight ${JSON.stringify(weight)}; weights are numbers ≥ 0`);
  const extra = Object.keys(entry).filter((key) => key !== 'name' && key !== 'params' && key !== 'weight');
  if (extra.length > 0) throw invalid(`has unknown keys ${extra.join(', ')} for ${name}`);
  return { name, params: { ...(params as Record<string, unknown>) }, weight };
}

/** The compact string of a component list (params written only when given). */
export function formatComponents(list: readonly BlendComponent[]): string {
  return list
    .map((c) => {
      const params = Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`);
      return `${c.name}${params.length > 0 ? `[${params.join(';')}]` : ''}*${c.weight}`;
    })
    .join('+');
}
