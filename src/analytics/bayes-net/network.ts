import { MagpieError } from '../../core/errors.js';

// The data types of the discrete Bayesian network library: variables with finite domains, a data
// set of their values, and a network (a DAG with one conditional probability table per variable).
// Everything is plain data so a network can be written as JSON and read back.

/** A discrete variable: a name and its finite list of states. */
export interface Variable {
  name: string;
  states: string[];
}

/**
 * Observations of some variables, one column per variable holding state indices (row r of
 * variable v is `columns[v][r]`, an index into `variables[v].states`).
 */
export interface DiscreteData {
  variables: Variable[];
  columns: Uint8Array[];
  rows: number;
}

/**
 * A discrete Bayesian network. `parents[v]` lists v's parents (variable indices, ascending);
 * `cpts[v]` is v's conditional probability table, flattened: the probability of state k given the
 * parents' configuration c is `cpts[v][c * states + k]`, where c numbers configurations in mixed
 * radix over the parents in order, the last parent varying fastest.
 */
export interface BayesNet {
  variables: Variable[];
  parents: number[][];
  cpts: number[][];
}

/**
 * Builds {@link DiscreteData} from records of state names. Every record must give every variable a
 * state from its list.
 *
 * @example
 * const data = discreteData([{ name: 'rain', states: ['no', 'yes'] }], [{ rain: 'yes' }, { rain: 'no' }]);
 * data.columns[0]; // Uint8Array [1, 0]
 */
export function discreteData(variables: Variable[], records: readonly Record<string, string>[]): DiscreteData {
  for (const v of variables) {
    if (v.states.length < 1 || v.states.length > 255) {
      throw new MagpieError('invalid_input', `variable "${v.name}" has ${v.states.length} states`, { location: { field: v.name }, hint: 'give each variable 1 to 255 states' });
    }
  }
  const lookups = variables.map((v) => new Map(v.states.map((s, k) => [s, k])));
  const columns = variables.map(() => new Uint8Array(records.length));
  records.forEach((record, r) => {
    variables.forEach((v, i) => {
      const k = lookups[i]!.get(record[v.name] ?? '');
      if (k === undefined) {
        throw new MagpieError('invalid_input', `record ${r}: "${String(record[v.name])}" is not a state of ${v.name}`, { location: { field: v.name, line: r + 1 }, hint: `use one of ${v.states.join(', ')}` });
      }
      columns[i]![r] = k;
    });
  });
  return { variables, columns, rows: records.length };
}

/** The index of a variable by name, or a clear error listing the names. */
export function variableIndex(variables: readonly Variable[], name: string, field = 'variable'): number {
  const i = variables.findIndex((v) => v.name === name);
  if (i < 0) throw new MagpieError('invalid_input', `unknown variable "${name}"`, { location: { field }, hint: `use one of ${variables.map((v) => v.name).join(', ')}` });
  return i;
}

/** The index of a state of variable `v`, or a clear error listing its states. */
export function stateIndex(variable: Variable, state: string): number {
  const k = variable.states.indexOf(state);
  if (k < 0) throw new MagpieError('invalid_input', `"${state}" is not a state of ${variable.name}`, { location: { field: variable.name }, hint: `use one of ${variable.states.join(', ')}` });
  return k;
}

/** Number of parent configurations of `v`: the product of its parents' state counts (1 without parents). */
export function configurations(variables: readonly Variable[], parents: readonly number[]): number {
  return parents.reduce((q, p) => q * variables[p]!.states.length, 1);
}

/** A topological order of the DAG given by `parents` (parents first), or null when it has a cycle. */
export function topologicalOrder(parents: readonly (readonly number[])[]): number[] | null {
  const n = parents.length;
  const remaining = parents.map((ps) => ps.length);
  const children: number[][] = parents.map(() => []);
  parents.forEach((ps, v) => ps.forEach((p) => children[p]!.push(v)));
  const ready = remaining.map((c, v) => (c === 0 ? v : -1)).filter((v) => v >= 0);
  const order: number[] = [];
  while (ready.length > 0) {
    const v = ready.shift()!;
    order.push(v);
    for (const c of children[v]!) if (--remaining[c]! === 0) ready.push(c);
  }
  return order.length === n ? order : null;
}

/**
 * Parent lists by variable index from parent names by variable name, checked: known names, no
 * self-loops, no cycles. Variables missing from `byName` get no parents.
 */
export function parentsFromNames(variables: readonly Variable[], byName: Readonly<Record<string, readonly string[]>>): number[][] {
  const parents: number[][] = variables.map(() => []);
  for (const [child, names] of Object.entries(byName)) {
    const c = variableIndex(variables, child, 'parents');
    parents[c] = [...new Set(names.map((name) => variableIndex(variables, name, 'parents')))].sort((a, b) => a - b);
    if (parents[c]!.includes(c)) throw new MagpieError('invalid_input', `${child} cannot be its own parent`, { location: { field: 'parents' } });
  }
  if (!topologicalOrder(parents)) throw new MagpieError('invalid_input', 'the parents given form a cycle', { location: { field: 'parents' }, hint: 'a Bayesian network must be a directed acyclic graph' });
  return parents;
}
