/**
 * The two towers in plain TypeScript, for serving: the functions network.ts trains, without the
 * engine (one user at a time is a few dozen rows of width 64, far below the engine's per-call
 * overhead), so a loaded model serves without starting wasm.
 */
import type { Weights } from '../sequence/weights.js';
import { linearRows } from '../sequence/dense-ops.js';
import type { FeatureTable } from './features.js';

/**
 * Input vectors x of `count` items (rows of `out`, width d): the id embedding where
 * `idKnown(i)`, plus the weighted feature embeddings of the item's slots.
 */
export function itemInputs(weights: Weights, d: number, table: FeatureTable, count: number, idKnown: (item: number) => boolean, out: Float32Array, first = 0): void {
  const ids = weights.get('idEmbedding')!;
  const features = weights.get('featureEmbedding')!;
  const s = table.slots;
  for (let r = 0; r < count; r++) {
    const item = first + r;
    const o = r * d;
    if (idKnown(item)) for (let j = 0; j < d; j++) out[o + j] = ids[item * d + j]!;
    else out.fill(0, o, o + d);
    for (let k = item * s; k < (item + 1) * s; k++) {
      const w = table.weights[k]!;
      if (w === 0) continue;
      const base = table.ids[k]! * d;
      for (let j = 0; j < d; j++) out[o + j]! += w * features[base + j]!;
    }
  }
}

/** Scratch buffers of the MLPs, sized for `rows` rows of width d. */
export class TowerScratch {
  readonly hidden: Float32Array;
  readonly out: Float32Array;

  constructor(
    readonly rows: number,
    d: number,
  ) {
    this.hidden = new Float32Array(rows * d);
    this.out = new Float32Array(rows * d);
  }
}

/** x + relu(x·W₁ + b₁)·W₂ + b₂ for `rows` rows of x, written into `out` (may not alias x). */
function residualMlp(weights: Weights, prefix: string, d: number, x: Float32Array, rows: number, scratch: TowerScratch, out: Float32Array): void {
  linearRows(x, rows, d, weights.get(`${prefix}Hidden`)!, weights.get(`${prefix}HiddenBias`)!, d, scratch.hidden);
  for (let k = 0; k < rows * d; k++) if (scratch.hidden[k]! < 0) scratch.hidden[k] = 0;
  linearRows(scratch.hidden, rows, d, weights.get(`${prefix}Out`)!, weights.get(`${prefix}OutBias`)!, d, out);
  for (let k = 0; k < rows * d; k++) out[k]! += x[k]!;
}

/** Item vectors v (rows × d into `vectors`) and priors b (into `prior`) from input vectors x. */
export function itemTower(weights: Weights, d: number, x: Float32Array, rows: number, vectors: Float32Array, prior: Float32Array): void {
  const scratch = new TowerScratch(rows, d);
  residualMlp(weights, 'item', d, x, rows, scratch, vectors);
  const w = weights.get('priorWeight')!;
  const c = weights.get('priorBias')![0]!;
  for (let r = 0; r < rows; r++) {
    let s = c;
    for (let j = 0; j < d; j++) s += x[r * d + j]! * w[j]!;
    prior[r] = s;
  }
}

/**
 * The user vector of a history: the mean of the input vectors of `items` (distinct item
 * indices, summed in ascending order so any order of the same items gives the same bits), then
 * the user MLP. An empty history pools to 0.
 */
export function userVector(weights: Weights, d: number, inputs: Float32Array, items: readonly number[], scratch: TowerScratch, pooled: Float32Array, out: Float32Array): void {
  pooled.fill(0);
  const sorted = [...items].sort((a, b) => a - b);
  for (const item of sorted) for (let j = 0; j < d; j++) pooled[j]! += inputs[item * d + j]!;
  const scale = 1 / Math.max(1, sorted.length);
  for (let j = 0; j < d; j++) pooled[j]! *= scale;
  residualMlp(weights, 'user', d, pooled, 1, scratch, out);
}
