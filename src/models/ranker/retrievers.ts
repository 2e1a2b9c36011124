/**
 * The `retrievers` param of `ranker`: which models propose candidates, given as a list of
 * `{ name, params }` from code or as one compact string from the command line.
 */
import { MagpieError } from '../../core/errors.js';
import { coerceParamValue } from '../params.js';

/** One retriever: a registry model name and its params (omitted ones take the model's defaults). */
export interface RetrieverSpec {
  name: string;
  params: Record<string, unknown>;
}

const NAME = /^[a-z][a-z0-9-]*$/;
const HINT = 'write retrievers as ease+item-knn+popularity, each optionally with params in brackets: ease[lambda=400;binary=false]+item-knn';

function invalid(message: string): MagpieError {
  return new MagpieError('invalid_input', `param retrievers of model ranker ${message}`, { location: { field: 'retrievers' }, hint: HINT });
}

/**
 * Parses `ease[lambda=400]+item-knn+popularity`: models joined by `+`, each with optional
 * `[key=value;…]` params (semicolons, so the list fits in one `ranker:retrievers=…` CLI param).
 *
 * @example
 * parseRetrievers('ease[lambda=400]+popularity');
 * // [{ name: 'ease', params: { lambda: 400 } }, { name: 'popularity', params: {} }]
 */
export function parseRetrievers(text: string): RetrieverSpec[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  // Split on top-level `+` only: a param value inside [...] may hold one (1e+3).
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '[') depth++;
    else if (text[k] === ']') depth--;
    else if (text[k] === '+' && depth === 0) {
      parts.push(text.slice(start, k));
      start = k + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => {
    const match = /^\s*([^[\s]+)\s*(?:\[([^\]]*)\])?\s*$/.exec(part);
    if (match === null) throw invalid(`has a malformed entry "${part}"`);
    const params: Record<string, unknown> = {};
    for (const pair of (match[2] ?? '').split(';')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw invalid(`has a malformed param "${pair}" in "${part}"`);
      params[pair.slice(0, eq).trim()] = coerceParamValue(pair.slice(eq + 1));
    }
    return checkSpec({ name: match[1], params });
  });
}

/**
 * Checks the param in either form and returns a fresh list. Model names and their params are
 * checked when the retrievers are built (the registry is loaded lazily, as in `blend`).
 */
export function resolveRetrievers(value: unknown): RetrieverSpec[] {
  let list: RetrieverSpec[];
  if (typeof value === 'string') list = parseRetrievers(value);
  else if (Array.isArray(value)) list = value.map((entry) => checkSpec(entry));
  else throw invalid('must be a list of { name, params } or a string like ease+item-knn+popularity');
  if (list.length === 0) throw invalid('lists no models');
  return list;
}

function checkSpec(entry: unknown): RetrieverSpec {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`has an entry that is not an object: ${JSON.stringify(entry)}`);
  const { name, params = {}, ...extra } = entry as Record<string, unknown>;
  if (typeof name !== 'string' || !NAME.test(name)) throw invalid(`has a bad model name ${JSON.stringify(name)}`);
  if (name === 'ranker') throw invalid('names ranker itself; retrievers are the models whose candidates it ranks');
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalid(`gives ${name} params that are not an object`);
  if (Object.keys(extra).length > 0) throw invalid(`has unknown keys ${Object.keys(extra).join(', ')} for ${name}`);
  return { name, params: { ...(params as Record<string, unknown>) } };
}

/** The compact string of a retriever list (params written only when given). */
export function formatRetrievers(list: readonly RetrieverSpec[]): string {
  return list
    .map((r) => {
      const params = Object.entries(r.params).map(([k, v]) => `${k}=${String(v)}`);
      return `${r.name}${params.length > 0 ? `[${params.join(';')}]` : ''}`;
    })
    .join('+');
}
