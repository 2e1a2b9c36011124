import { sigmoid, type DenseMatrix } from '../matrix.js';
import { leafOf, type Tree } from './tree.js';

/** Plain-JSON form of a {@link GbtModel}, for saving next to a report. */
export interface GbtJson {
  base: number;
  d: number;
  trees: { feature: number[]; threshold: number[]; missingLeft: number[]; left: number[]; right: number[]; value: number[]; gain: number[]; cover: number[] }[];
}

/**
 * A boosted ensemble: margin = base + Σ tree values; probability = σ(margin). Explains a row by
 * path attributions (Saabas): walking a tree from root to leaf, each change of node value is
 * credited to the feature split on, so base, root values and credits add up to the margin exactly.
 */
export class GbtModel {
  constructor(
    /** Log-odds of the training positive rate. */
    readonly base: number,
    readonly trees: Tree[],
    /** Number of features. */
    readonly d: number,
  ) {}

  /** Adds a tree's values to margins of binned rows (training rows, no raw lookups). */
  addTreeTo(tree: Tree, bins: Uint8Array, d: number, margin: Float64Array): void {
    for (let i = 0; i < margin.length; i++) {
      let node = 0;
      while (tree.feature[node]! >= 0) {
        const bin = bins[i * d + tree.feature[node]!]!;
        const left = bin === 0 ? tree.missingLeft[node] === 1 : bin <= tree.bin[node]!;
        node = left ? tree.left[node]! : tree.right[node]!;
      }
      margin[i]! += tree.value[node]!;
    }
  }

  /** Adds a tree's values to margins of raw rows. */
  addTreeToRaw(tree: Tree, x: DenseMatrix, margin: Float64Array): void {
    for (let i = 0; i < x.n; i++) margin[i]! += tree.value[leafOf(tree, x.values, i * x.d)]!;
  }

  /** Log-odds of every row. */
  predictMargin(x: DenseMatrix): Float64Array {
    const margin = new Float64Array(x.n).fill(this.base);
    for (const tree of this.trees) this.addTreeToRaw(tree, x, margin);
    return margin;
  }

  /** Probability of a positive label for every row. */
  predict(x: DenseMatrix): Float64Array {
    return this.predictMargin(x).map(sigmoid);
  }

  /**
   * Per-feature contributions to the margin of row `i` (length d), plus the bias (entry d): the
   * base score and every root value. Σ of all d + 1 entries equals the row's margin.
   */
  contributions(x: DenseMatrix, i: number): Float64Array {
    const out = new Float64Array(this.d + 1);
    out[this.d] = this.base;
    const offset = i * x.d;
    for (const tree of this.trees) {
      let node = 0;
      out[this.d]! += tree.value[0]!;
      while (tree.feature[node]! >= 0) {
        const f = tree.feature[node]!;
        const v = x.values[offset + f]!;
        const left = Number.isNaN(v) ? tree.missingLeft[node] === 1 : v <= tree.threshold[node]!;
        const next = left ? tree.left[node]! : tree.right[node]!;
        out[f]! += tree.value[next]! - tree.value[node]!;
        node = next;
      }
    }
    return out;
  }

  /** Total split gain per feature, normalised to sum to 1 (all zeros when nothing was split). */
  gainImportance(): Float64Array {
    const gain = new Float64Array(this.d);
    for (const tree of this.trees) for (let k = 0; k < tree.feature.length; k++) if (tree.feature[k]! >= 0) gain[tree.feature[k]!]! += tree.gain[k]!;
    const total = gain.reduce((a, b) => a + b, 0);
    return total > 0 ? gain.map((g) => g / total) : gain;
  }

  /** Number of splits per feature. */
  splitCounts(): Int32Array {
    const counts = new Int32Array(this.d);
    for (const tree of this.trees) for (const f of tree.feature) if (f >= 0) counts[f]!++;
    return counts;
  }

  /** The ensemble as plain JSON. */
  toJSON(): GbtJson {
    return {
      base: this.base,
      d: this.d,
      trees: this.trees.map((t) => ({
        feature: [...t.feature],
        threshold: [...t.threshold],
        missingLeft: [...t.missingLeft],
        left: [...t.left],
        right: [...t.right],
        value: [...t.value],
        gain: [...t.gain],
        cover: [...t.cover],
      })),
    };
  }

  /** Rebuilds a model from {@link toJSON} output; bins are not kept, so it predicts from raw values only. */
  static fromJSON(json: GbtJson): GbtModel {
    const trees = json.trees.map(
      (t): Tree => ({
        feature: Int32Array.from(t.feature),
        bin: new Int32Array(t.feature.length),
        threshold: Float64Array.from(t.threshold),
        missingLeft: Uint8Array.from(t.missingLeft),
        left: Int32Array.from(t.left),
        right: Int32Array.from(t.right),
        value: Float64Array.from(t.value),
        gain: Float64Array.from(t.gain),
        cover: Float64Array.from(t.cover),
      }),
    );
    return new GbtModel(json.base, trees, json.d);
  }
}
