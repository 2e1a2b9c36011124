import { MagpieError } from '../../core/errors.js';
import { Random } from '../../math/random.js';
import { familyBic, familyCounts } from './fit.js';
import { topologicalOrder, type DiscreteData } from './network.js';

/** Options of {@link learnStructure}. */
export interface StructureOptions {
  /** Most parents per variable (default 3): bounds the CPT sizes and the search. */
  maxParents?: number;
  /**
   * Tier per variable index (default all 0): an edge u → v is allowed only when tier[u] ≤ tier[v],
   * e.g. to keep an outcome observed later from being a parent of what came before it.
   */
  tiers?: readonly number[];
  /** Edges never to add, as [parent, child] variable indices. */
  forbidden?: readonly (readonly [number, number])[];
  /** Random restarts after the first climb (default 2): each perturbs the best graph with a few seeded random moves and climbs again. */
  restarts?: number;
  /** Seed of the restarts' perturbations (default 1). */
  seed?: number;
  /** Stop after this many improving moves per climb (default 1,000). */
  maxMoves?: number;
}

/** A learned DAG and its score. */
export interface LearnedStructure {
  /** parents[v]: v's parents, ascending. */
  parents: number[][];
  /** BIC of the DAG on the data (higher is better). */
  score: number;
  /** Improving moves made over all climbs. */
  moves: number;
}

type Move = { kind: 'add' | 'delete' | 'reverse'; from: number; to: number };

/**
 * Learns a DAG by greedy hill climbing on the BIC score: from the empty graph, repeatedly applies the
 * single edge addition, deletion or reversal that raises the score most, until none does; then
 * restarts from seeded random perturbations of the best graph and keeps the best result. BIC
 * decomposes over families, so each move rescores only the one or two families it changes
 * (cached by family). Candidate moves are visited in a fixed order and ties keep the first, so a
 * seed gives the same graph on every run.
 *
 * @example
 * const { parents } = learnStructure(data, { maxParents: 2, tiers: [0, 0, 1] });
 */
export function learnStructure(data: DiscreteData, options: StructureOptions = {}): LearnedStructure {
  const n = data.variables.length;
  const maxParents = options.maxParents ?? 3;
  if (!Number.isInteger(maxParents) || maxParents < 0) throw new MagpieError('invalid_input', `maxParents must be a whole number ≥ 0, got ${maxParents}`, { location: { field: 'maxParents' } });
  const tiers = options.tiers ?? new Array<number>(n).fill(0);
  if (tiers.length !== n) throw new MagpieError('invalid_input', `tiers has ${tiers.length} entries for ${n} variables`, { location: { field: 'tiers' } });
  const forbidden = new Set((options.forbidden ?? []).map(([u, v]) => u * n + v));
  const allowed = (u: number, v: number): boolean => u !== v && tiers[u]! <= tiers[v]! && !forbidden.has(u * n + v);

  const cache = new Map<string, number>();
  const familyScore = (v: number, ps: readonly number[]): number => {
    const key = `${v}|${ps.join(',')}`;
    let s = cache.get(key);
    if (s === undefined) cache.set(key, (s = familyBic(familyCounts(data, v, ps), data.variables[v]!.states.length, data.rows)));
    return s;
  };
  const withParent = (ps: readonly number[], u: number): number[] => [...ps, u].sort((a, b) => a - b);
  const without = (ps: readonly number[], u: number): number[] => ps.filter((p) => p !== u);
  const total = (parents: number[][]): number => parents.reduce((s, ps, v) => s + familyScore(v, ps), 0);

  /** Whether `to` can be reached from `from` along edges, optionally ignoring the edge skip → skipTo. */
  const reaches = (parents: number[][], from: number, to: number, skip = -1, skipTo = -1): boolean => {
    const children: number[][] = parents.map(() => []);
    parents.forEach((ps, v) => ps.forEach((p) => (p === skip && v === skipTo ? undefined : children[p]!.push(v))));
    const stack = [from];
    const seen = new Uint8Array(n);
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === to) return true;
      if (seen[x]) continue;
      seen[x] = 1;
      stack.push(...children[x]!);
    }
    return false;
  };

  const legal = (parents: number[][]): Move[] => {
    const moves: Move[] = [];
    for (let u = 0; u < n; u++) {
      for (let v = 0; v < n; v++) {
        if (u === v) continue;
        if (parents[v]!.includes(u)) {
          moves.push({ kind: 'delete', from: u, to: v });
          if (allowed(v, u) && parents[u]!.length < maxParents && !reaches(parents, u, v, u, v)) moves.push({ kind: 'reverse', from: u, to: v });
        } else if (!parents[u]!.includes(v) && allowed(u, v) && parents[v]!.length < maxParents && !reaches(parents, v, u)) {
          moves.push({ kind: 'add', from: u, to: v });
        }
      }
    }
    return moves;
  };

  const gain = (parents: number[][], m: Move): number => {
    const { from: u, to: v } = m;
    if (m.kind === 'add') return familyScore(v, withParent(parents[v]!, u)) - familyScore(v, parents[v]!);
    if (m.kind === 'delete') return familyScore(v, without(parents[v]!, u)) - familyScore(v, parents[v]!);
    return familyScore(v, without(parents[v]!, u)) - familyScore(v, parents[v]!) + familyScore(u, withParent(parents[u]!, v)) - familyScore(u, parents[u]!);
  };

  const apply = (parents: number[][], m: Move): number[][] => {
    const next = parents.map((ps) => [...ps]);
    if (m.kind === 'add') next[m.to] = withParent(next[m.to]!, m.from);
    else {
      next[m.to] = without(next[m.to]!, m.from);
      if (m.kind === 'reverse') next[m.from] = withParent(next[m.from]!, m.to);
    }
    return next;
  };

  let moves = 0;
  const climb = (start: number[][]): number[][] => {
    let parents = start;
    for (let step = 0; step < (options.maxMoves ?? 1000); step++) {
      let best: Move | null = null;
      let bestGain = 1e-9;
      for (const m of legal(parents)) {
        const g = gain(parents, m);
        if (g > bestGain) [best, bestGain] = [m, g];
      }
      if (!best) break;
      parents = apply(parents, best);
      moves++;
    }
    return parents;
  };

  let best = climb(data.variables.map(() => []));
  let bestScore = total(best);
  const rng = new Random(options.seed ?? 1);
  for (let r = 0; r < (options.restarts ?? 2); r++) {
    let start = best;
    // A few random legal moves, enough to leave the local optimum's basin without forgetting it.
    for (let k = 0; k < Math.max(2, n); k++) {
      const candidates = legal(start);
      if (candidates.length === 0) break;
      start = apply(start, candidates[rng.nextInt(candidates.length)]!);
    }
    const found = climb(start);
    const score = total(found);
    if (score > bestScore + 1e-9) [best, bestScore] = [found, score];
  }
  if (!topologicalOrder(best)) throw new MagpieError('internal', 'structure search produced a cycle');
  return { parents: best, score: bestScore, moves };
}
