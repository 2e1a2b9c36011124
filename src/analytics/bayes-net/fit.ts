import { MagpieError } from '../../core/errors.js';
import { configurations, topologicalOrder, type BayesNet, type DiscreteData } from './network.js';

// Counting and parameter fitting: the sufficient statistics of a family (a variable and its
// parents) are its joint counts, from which both the CPT and the BIC score follow.

/**
 * Joint counts of `child` and its `parents`: entry `c * r + k` counts the rows where the parents take
 * configuration c (mixed radix, last parent fastest) and the child state k; r is the child's state count.
 */
export function familyCounts(data: DiscreteData, child: number, parents: readonly number[]): Float64Array {
  const r = data.variables[child]!.states.length;
  const q = configurations(data.variables, parents);
  const counts = new Float64Array(q * r);
  const childColumn = data.columns[child]!;
  const parentColumns = parents.map((p) => data.columns[p]!);
  const radix = parents.map((p) => data.variables[p]!.states.length);
  for (let row = 0; row < data.rows; row++) {
    let c = 0;
    for (let i = 0; i < parentColumns.length; i++) c = c * radix[i]! + parentColumns[i]![row]!;
    counts[c * r + childColumn[row]!]!++;
  }
  return counts;
}

/**
 * A CPT from family counts with a symmetric Dirichlet prior of `alpha` per cell:
 * θ_ck = (N_ck + α) / (N_c + r α). α = 1 is Laplace smoothing; α = 0 the maximum-likelihood
 * estimate, where a configuration never observed gets a uniform row rather than 0/0.
 */
export function cptFromCounts(counts: Float64Array, r: number, alpha: number): number[] {
  const out = new Array<number>(counts.length);
  for (let c = 0; c < counts.length / r; c++) {
    let total = 0;
    for (let k = 0; k < r; k++) total += counts[c * r + k]!;
    const denominator = total + r * alpha;
    for (let k = 0; k < r; k++) out[c * r + k] = denominator === 0 ? 1 / r : (counts[c * r + k]! + alpha) / denominator;
  }
  return out;
}

/**
 * Fits every CPT of the DAG `parents` to `data` (see {@link cptFromCounts} for `alpha`).
 *
 * @example
 * const net = fitNetwork(data, [[], [0]], 1); // variable 1 depends on variable 0
 * net.cpts[1]; // [P(v1=0 | v0=0), P(v1=1 | v0=0), P(v1=0 | v0=1), P(v1=1 | v0=1)]
 */
export function fitNetwork(data: DiscreteData, parents: readonly (readonly number[])[], alpha = 1): BayesNet {
  if (!(alpha >= 0)) throw new MagpieError('invalid_input', `the smoothing alpha must be ≥ 0, got ${alpha}`, { location: { field: 'alpha' } });
  if (parents.length !== data.variables.length || !topologicalOrder(parents)) {
    throw new MagpieError('invalid_input', 'parents must give one list per variable and form a DAG', { location: { field: 'parents' } });
  }
  const sorted = parents.map((ps) => [...ps].sort((a, b) => a - b));
  return {
    variables: data.variables,
    parents: sorted,
    cpts: sorted.map((ps, v) => cptFromCounts(familyCounts(data, v, ps), data.variables[v]!.states.length, alpha)),
  };
}

/**
 * The BIC score of one family: its log-likelihood at the maximum-likelihood CPT,
 * Σ_c Σ_k N_ck log(N_ck / N_c), minus (log N / 2) × (r − 1) × q free parameters.
 */
export function familyBic(counts: Float64Array, r: number, rows: number): number {
  const q = counts.length / r;
  let loglik = 0;
  for (let c = 0; c < q; c++) {
    let total = 0;
    for (let k = 0; k < r; k++) total += counts[c * r + k]!;
    if (total === 0) continue;
    for (let k = 0; k < r; k++) {
      const n = counts[c * r + k]!;
      if (n > 0) loglik += n * Math.log(n / total);
    }
  }
  return loglik - (Math.log(rows) / 2) * (r - 1) * q;
}

/** The BIC score of a whole DAG on `data`: the sum of its families' scores (BIC decomposes). */
export function networkBic(data: DiscreteData, parents: readonly (readonly number[])[]): number {
  return parents.reduce((s, ps, v) => s + familyBic(familyCounts(data, v, ps), data.variables[v]!.states.length, data.rows), 0);
}
