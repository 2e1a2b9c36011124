// The generic Bayesian network library: exact inference against brute-force enumeration of the
// joint, a textbook network worked by hand, CPTs and BIC by hand, and structure recovery.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMagpieError } from '../../core/errors.js';
import { Random } from '../../math/random.js';
import { familyBic, familyCounts, fitNetwork, networkBic } from './fit.js';
import { query } from './inference.js';
import { learnStructure } from './learn.js';
import { discreteData, parentsFromNames, type BayesNet, type DiscreteData, type Variable } from './network.js';

const close = (actual: number | undefined, expected: number, tolerance: number, what = ''): void => {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${String(actual)} vs ${expected}`);
};

/** A random network: variable v may have parents among 0..v−1 (so the order is topological). */
function randomNet(rng: Random, n: number): BayesNet {
  const variables: Variable[] = Array.from({ length: n }, (_, v) => ({ name: `x${v}`, states: Array.from({ length: 2 + rng.nextInt(2) }, (_, k) => `s${k}`) }));
  const parents = variables.map((_, v) => Array.from({ length: v }, (_, p) => p).filter(() => rng.nextFloat() < 0.45).slice(0, 3));
  const cpts = parents.map((ps, v) => {
    const r = variables[v]!.states.length;
    const q = ps.reduce((s, p) => s * variables[p]!.states.length, 1);
    return Array.from({ length: q }, () => {
      const row = Array.from({ length: r }, () => 0.05 + rng.nextFloat());
      const total = row.reduce((s, x) => s + x, 0);
      return row.map((x) => x / total);
    }).flat();
  });
  return { variables, parents, cpts };
}

/** P(joint assignment) as the product of CPT entries, written out without factors. */
function jointProbability(net: BayesNet, assignment: readonly number[]): number {
  return net.variables.reduce((p, variable, v) => {
    let config = 0;
    for (const parent of net.parents[v]!) config = config * net.variables[parent]!.states.length + assignment[parent]!;
    return p * net.cpts[v]![config * variable.states.length + assignment[v]!]!;
  }, 1);
}

/** P(target | evidence) by enumerating every joint assignment. */
function bruteForce(net: BayesNet, target: number, evidence: Map<number, number>): number[] {
  const cards = net.variables.map((v) => v.states.length);
  const out = new Array<number>(cards[target]!).fill(0);
  const assignment = new Array<number>(cards.length).fill(0);
  const total = cards.reduce((s, c) => s * c, 1);
  for (let i = 0; i < total; i++) {
    let rest = i;
    for (let v = cards.length - 1; v >= 0; v--) {
      assignment[v] = rest % cards[v]!;
      rest = Math.floor(rest / cards[v]!);
    }
    if ([...evidence].every(([v, k]) => assignment[v] === k)) out[assignment[target]!]! += jointProbability(net, assignment);
  }
  const z = out.reduce((s, x) => s + x, 0);
  return out.map((x) => x / z);
}

/** `rows` samples of `net` by ancestral sampling (its variables are in topological order). */
function sample(net: BayesNet, rows: number, rng: Random): DiscreteData {
  const columns = net.variables.map(() => new Uint8Array(rows));
  for (let r = 0; r < rows; r++) {
    net.variables.forEach((variable, v) => {
      let config = 0;
      for (const p of net.parents[v]!) config = config * net.variables[p]!.states.length + columns[p]![r]!;
      const u = rng.nextFloat();
      let acc = 0;
      let k = 0;
      for (; k < variable.states.length - 1; k++) {
        acc += net.cpts[v]![config * variable.states.length + k]!;
        if (u < acc) break;
      }
      columns[v]![r] = k;
    });
  }
  return { variables: net.variables, columns, rows };
}

describe('bayes-net inference', () => {
  it('the sprinkler network: P(rain | grass wet) = 0.3577 (worked by hand)', () => {
    const yn = ['no', 'yes'];
    const net: BayesNet = {
      variables: [{ name: 'rain', states: yn }, { name: 'sprinkler', states: yn }, { name: 'wet', states: yn }],
      parents: [[], [0], [0, 1]],
      // P(rain) 0.2; P(sprinkler | rain) 0.4 / 0.01; P(wet | rain, sprinkler): (n,n) 0, (n,y) 0.9, (y,n) 0.8, (y,y) 0.99.
      cpts: [[0.8, 0.2], [0.6, 0.4, 0.99, 0.01], [1, 0, 0.1, 0.9, 0.2, 0.8, 0.01, 0.99]],
    };
    // P(wet, rain) = 0.2 × (0.01 × 0.99 + 0.99 × 0.8) = 0.16038; P(wet, no rain) = 0.8 × 0.4 × 0.9 = 0.288.
    close(query(net, 'rain', { wet: 'yes' }).yes, 0.16038 / (0.16038 + 0.288), 1e-12, 'rain | wet');
    close(query(net, 'wet').yes, 0.16038 + 0.288, 1e-12, 'wet');
    close(query(net, 'sprinkler', { wet: 'yes', rain: 'no' }).yes, 1, 1e-12, 'explaining away');
  });

  it('agrees with brute-force enumeration of the joint on random networks and evidence', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 25; trial++) {
      const net = randomNet(rng, 4 + (trial % 4));
      const n = net.variables.length;
      const target = rng.nextInt(n);
      const evidence = new Map<number, number>();
      for (let v = 0; v < n; v++) if (v !== target && rng.nextFloat() < 0.4) evidence.set(v, rng.nextInt(net.variables[v]!.states.length));
      const named = Object.fromEntries([...evidence].map(([v, k]) => [net.variables[v]!.name, net.variables[v]!.states[k]!]));
      const got = query(net, net.variables[target]!.name, named);
      bruteForce(net, target, evidence).forEach((p, k) => close(got[net.variables[target]!.states[k]!], p, 1e-12, `trial ${trial} state ${k}`));
    }
  });

  it('rejects unknown variables and states, naming the valid ones', () => {
    const net = randomNet(new Random(1), 3);
    assert.throws(() => query(net, 'nope'), (e: unknown) => isMagpieError(e, 'invalid_input') && /x0, x1, x2/.test(e.hint ?? ''));
    assert.throws(() => query(net, 'x0', { x1: 'maybe' }), (e: unknown) => isMagpieError(e, 'invalid_input') && /s0/.test(e.hint ?? ''));
  });
});

describe('bayes-net fitting and scoring', () => {
  const yn = ['no', 'yes'];
  // 6 rows of (a, b): (no,no) ×2, (no,yes) ×1, (yes,yes) ×3.
  const data = discreteData(
    [{ name: 'a', states: yn }, { name: 'b', states: yn }],
    [['no', 'no'], ['no', 'no'], ['no', 'yes'], ['yes', 'yes'], ['yes', 'yes'], ['yes', 'yes']].map(([a, b]) => ({ a: a!, b: b! })),
  );

  it('CPTs by maximum likelihood and with Laplace smoothing, by hand', () => {
    assert.deepEqual([...familyCounts(data, 1, [0])], [2, 1, 0, 3]);
    // MLE: P(b | a=no) = (2/3, 1/3), P(b | a=yes) = (0, 1).
    assert.deepEqual(fitNetwork(data, [[], [0]], 0).cpts[1], [2 / 3, 1 / 3, 0, 1]);
    // Laplace: (2+1)/(3+2), (1+1)/5, (0+1)/(3+2), (3+1)/5; the root: (3+1)/8, (3+1)/8.
    const smooth = fitNetwork(data, [[], [0]], 1);
    assert.deepEqual(smooth.cpts[1], [3 / 5, 2 / 5, 1 / 5, 4 / 5]);
    assert.deepEqual(smooth.cpts[0], [0.5, 0.5]);
  });

  it('BIC by hand: log-likelihood minus (log N / 2) × free parameters', () => {
    const ln = Math.log;
    // b with parent a: 2 ln(2/3) + 1 ln(1/3) + 3 ln(1), 2 free parameters (one per configuration of a);
    // b alone (2 no, 4 yes): 2 ln(2/6) + 4 ln(4/6), 1 parameter; a (3 and 3): 6 ln ½, 1 parameter.
    close(familyBic(familyCounts(data, 1, [0]), 2, 6), 2 * ln(2 / 3) + ln(1 / 3) - ln(6), 1e-12, 'b | a');
    close(familyBic(familyCounts(data, 1, []), 2, 6), 2 * ln(2 / 6) + 4 * ln(4 / 6) - ln(6) / 2, 1e-12, 'b');
    close(networkBic(data, [[], [0]]), 6 * ln(0.5) - ln(6) / 2 + 2 * ln(2 / 3) + ln(1 / 3) - ln(6), 1e-12, 'a → b');
  });

  it('takes a DAG by names and refuses a cycle', () => {
    assert.deepEqual(parentsFromNames(data.variables, { b: ['a'] }), [[], [0]]);
    assert.throws(() => parentsFromNames(data.variables, { a: ['b'], b: ['a'] }), /cycle/);
  });
});

describe('bayes-net structure learning', () => {
  // a → b → c, d independent; strong dependencies so 4,000 rows identify them.
  const yn = ['no', 'yes'];
  const truth: BayesNet = {
    variables: ['a', 'b', 'c', 'd'].map((name) => ({ name, states: yn })),
    parents: [[], [0], [1], []],
    cpts: [[0.6, 0.4], [0.9, 0.1, 0.2, 0.8], [0.85, 0.15, 0.25, 0.75], [0.5, 0.5]],
  };
  const data = sample(truth, 4_000, new Random(99));

  it('recovers the skeleton of a sampled chain, and nothing touches the independent variable', () => {
    const learned = learnStructure(data, { maxParents: 2, seed: 3 });
    const edges = new Set(learned.parents.flatMap((ps, v) => ps.map((p) => [Math.min(p, v), Math.max(p, v)].join('-'))));
    assert.deepEqual([...edges].sort(), ['0-1', '1-2']);
    // No v-structure a → b ← c: that would claim a and c independent, which the data refutes.
    assert.ok(!(learned.parents[1]!.includes(0) && learned.parents[1]!.includes(2)));
    close(learned.score, networkBic(data, learned.parents), 1e-9, 'reported score');
    assert.ok(learned.score > networkBic(data, [[], [], [], []]));
  });

  it('honours tiers and forbidden edges, and is the same for the same seed', () => {
    // c in a later tier cannot be a parent of a or b; forbid a → b outright.
    const learned = learnStructure(data, { tiers: [0, 0, 1, 0], forbidden: [[0, 1]], seed: 7 });
    assert.ok(!learned.parents[0]!.includes(2) && !learned.parents[1]!.includes(2));
    assert.ok(!learned.parents[1]!.includes(0));
    assert.ok(learned.parents[0]!.includes(1), 'the a–b dependence is kept as b → a');
    assert.deepEqual(learnStructure(data, { tiers: [0, 0, 1, 0], forbidden: [[0, 1]], seed: 7 }).parents, learned.parents);
  });
});
