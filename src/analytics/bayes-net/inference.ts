import { MagpieError } from '../../core/errors.js';
import { stateIndex, variableIndex, type BayesNet } from './network.js';

// Exact inference by variable elimination: the joint is the product of the CPTs as factors; the
// evidence restricts them, every other variable is summed out one at a time (the one whose
// elimination builds the smallest factor first), and what remains is normalised.

/** A function of some variables, as a table over their joint states (last variable fastest). */
interface Factor {
  vars: number[];
  cards: number[];
  values: Float64Array;
}

function strides(cards: readonly number[]): number[] {
  const out = new Array<number>(cards.length);
  let s = 1;
  for (let i = cards.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= cards[i]!;
  }
  return out;
}

function multiply(a: Factor, b: Factor, card: readonly number[]): Factor {
  const vars = [...new Set([...a.vars, ...b.vars])].sort((x, y) => x - y);
  const cards = vars.map((v) => card[v]!);
  const size = cards.reduce((s, c) => s * c, 1);
  const values = new Float64Array(size);
  const aStride = strides(a.cards);
  const bStride = strides(b.cards);
  // For each variable of the product, how far a step in it moves the index into a and into b.
  const stepA = vars.map((v) => (a.vars.includes(v) ? aStride[a.vars.indexOf(v)]! : 0));
  const stepB = vars.map((v) => (b.vars.includes(v) ? bStride[b.vars.indexOf(v)]! : 0));
  const assignment = new Array<number>(vars.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < size; i++) {
    values[i] = a.values[ia]! * b.values[ib]!;
    // Odometer over the product's variables, last fastest, keeping ia and ib in step.
    for (let d = vars.length - 1; d >= 0; d--) {
      if (++assignment[d]! < cards[d]!) {
        ia += stepA[d]!;
        ib += stepB[d]!;
        break;
      }
      assignment[d] = 0;
      ia -= stepA[d]! * (cards[d]! - 1);
      ib -= stepB[d]! * (cards[d]! - 1);
    }
  }
  return { vars, cards, values };
}

/** Sums `v` out of `f`, or keeps only its state `keep` when given (evidence). */
function marginalize(f: Factor, v: number, keep?: number): Factor {
  const at = f.vars.indexOf(v);
  const vars = f.vars.filter((_, i) => i !== at);
  const cards = f.cards.filter((_, i) => i !== at);
  const inner = f.cards.slice(at + 1).reduce((s, c) => s * c, 1);
  const width = f.cards[at]!;
  const outer = f.values.length / (inner * width);
  const values = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < width; k++) {
      if (keep !== undefined && k !== keep) continue;
      const base = (o * width + k) * inner;
      for (let i = 0; i < inner; i++) values[o * inner + i]! += f.values[base + i]!;
    }
  }
  return { vars, cards, values };
}

/**
 * The CPT of `v` as a factor over its family. Its layout, parents in order then the child with the
 * last fastest, is already a factor table; factors need not list their variables in any order.
 */
function cptFactor(net: BayesNet, v: number): Factor {
  const family = [...net.parents[v]!, v];
  return { vars: family, cards: family.map((x) => net.variables[x]!.states.length), values: Float64Array.from(net.cpts[v]!) };
}

/**
 * P(target | evidence) by variable elimination, as a probability per state of `target`.
 * Evidence names variables and their observed states; variables not named are summed out.
 *
 * @example
 * query(net, 'purchase', { recency: '≤30d', frequency: '5+' }); // { no: 0.31, yes: 0.69 }
 */
export function query(net: BayesNet, target: string, evidence: Readonly<Record<string, string>> = {}): Record<string, number> {
  const t = variableIndex(net.variables, target, 'target');
  const card = net.variables.map((x) => x.states.length);
  const observed = new Map<number, number>();
  for (const [name, state] of Object.entries(evidence)) {
    const v = variableIndex(net.variables, name, 'evidence');
    if (v === t) throw new MagpieError('invalid_input', `${target} is both the target and evidence`, { location: { field: 'evidence' } });
    observed.set(v, stateIndex(net.variables[v]!, state));
  }
  let factors = net.variables.map((_, v) => cptFactor(net, v));
  for (const [v, k] of observed) factors = factors.map((f) => (f.vars.includes(v) ? marginalize(f, v, k) : f));

  const hidden = new Set(net.variables.map((_, v) => v).filter((v) => v !== t && !observed.has(v)));
  while (hidden.size > 0) {
    // Greedy order: eliminate the variable whose combined factor is smallest.
    let pick = -1;
    let pickSize = Number.POSITIVE_INFINITY;
    for (const v of hidden) {
      const scope = new Set(factors.filter((f) => f.vars.includes(v)).flatMap((f) => f.vars));
      const size = [...scope].reduce((s, x) => s * card[x]!, 1);
      if (size < pickSize) [pick, pickSize] = [v, size];
    }
    hidden.delete(pick);
    const involved = factors.filter((f) => f.vars.includes(pick));
    if (involved.length === 0) continue;
    const product = involved.reduce((acc, f) => multiply(acc, f, card));
    factors = [...factors.filter((f) => !f.vars.includes(pick)), marginalize(product, pick)];
  }
  const result = factors.reduce((acc, f) => multiply(acc, f, card), { vars: [], cards: [], values: Float64Array.of(1) } as Factor);
  const total = result.values.reduce((s, x) => s + x, 0);
  if (!(total > 0)) throw new MagpieError('invalid_input', 'the evidence has probability zero under the network', { location: { field: 'evidence' }, hint: 'fit with smoothing (alpha > 0) or give evidence the data contains' });
  const out: Record<string, number> = {};
  net.variables[t]!.states.forEach((s, k) => (out[s] = result.values[k]! / total));
  return out;
}
