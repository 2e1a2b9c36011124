/**
 * Declared hyper-parameters: each model lists its params with types, defaults and bounds once;
 * the same table validates constructor input, coerces CLI strings and lists valid names in errors.
 */
import { MagpieError } from '../core/errors.js';

/** One hyper-parameter: its type, default, bounds and a one-line description. */
export type ParamSpec =
  | { readonly type: 'number'; readonly default: number; readonly min?: number; readonly max?: number; readonly integer?: boolean; readonly doc: string }
  | { readonly type: 'boolean'; readonly default: boolean; readonly doc: string }
  | { readonly type: 'choice'; readonly default: string; readonly choices: readonly string[]; readonly doc: string };

/** A model's parameter table, keyed by parameter name. */
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

type ValueOf<S extends ParamSpec> = S extends { type: 'number' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { choices: readonly (infer C)[] }
      ? C
      : never;

/** The parameter values in force, typed from a spec table declared `as const`. */
export type ResolvedParams<S extends ParamSpecs> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** Coerces a command-line string to a number or boolean where it plainly is one. */
export function coerceParamValue(raw: string): string | number | boolean {
  const text = raw.trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** A readable list of a spec table's params, for error hints. */
export function describeParams(specs: ParamSpecs): string {
  const names = Object.entries(specs).map(([name, spec]) =>
    spec.type === 'choice' ? `${name} (${spec.choices.join('|')})` : `${name} (${spec.type}, default ${String(spec.default)})`,
  );
  return names.length === 0 ? 'this model takes no params' : `valid params: ${names.join(', ')}`;
}

/**
 * Merges `given` over the defaults of `specs`, checking names, types and bounds. Strings are
 * coerced for number and boolean params so values straight from a command line work.
 * Throws MagpieError('invalid_input') naming the valid params.
 *
 * @example
 * const specs = { lambda: { type: 'number', default: 500, min: 0, doc: 'L2 penalty' } } as const;
 * resolveParams('ease', specs, { lambda: '400' }); // { lambda: 400 }
 */
export function resolveParams<S extends ParamSpecs>(model: string, specs: S, given: Readonly<Record<string, unknown>> = {}): ResolvedParams<S> {
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) {
      throw new MagpieError('invalid_input', `unknown param "${name}" for model ${model}`, { location: { field: name }, hint: describeParams(specs) });
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = given[name];
    out[name] = raw === undefined ? spec.default : checkValue(model, name, spec, raw);
  }
  return out as ResolvedParams<S>;
}

function checkValue(model: string, name: string, spec: ParamSpec, raw: unknown): unknown {
  const value = typeof raw === 'string' && spec.type !== 'choice' ? coerceParamValue(raw) : raw;
  const fail = (why: string): never => {
    throw new MagpieError('invalid_input', `param ${name} of model ${model} ${why} (got ${JSON.stringify(raw)})`, {
      location: { field: name },
      hint: spec.doc,
    });
  };
  switch (spec.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a number');
      if (spec.integer && !Number.isInteger(value)) return fail('must be a whole number');
      if (spec.min !== undefined && value < spec.min) return fail(`must be at least ${spec.min}`);
      if (spec.max !== undefined && value > spec.max) return fail(`must be at most ${spec.max}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return fail('must be true or false');
      return value;
    case 'choice':
      if (typeof value !== 'string' || !spec.choices.includes(value)) return fail(`must be one of ${spec.choices.join(', ')}`);
      return value;
  }
}
