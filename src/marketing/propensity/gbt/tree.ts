import type { BinnedMatrix } from './binning.js';

// One regression tree of a boosted ensemble, grown depth-first on gradient/hessian histograms.
// Each node's histogram is either summed over its rows (the smaller child) or obtained as parent
// minus sibling (the larger child), so every level costs one pass over half the rows at most.

/** A grown tree in flat arrays; node 0 is the root, a leaf has feature −1. */
export interface Tree {
  feature: Int32Array;
  /** Last value bin sent left. */
  bin: Int32Array;
  /** Raw-value form of `bin`: x ≤ threshold goes left. */
  threshold: Float64Array;
  /** Where NaN goes. */
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Shrunk Newton value −η·G/(H + λ) of every node (internal nodes too, for path attributions). */
  value: Float64Array;
  /** Loss reduction of the split (0 at leaves). */
  gain: Float64Array;
  /** Σ hessian of the rows that reached the node. */
  cover: Float64Array;
}

/** Shape limits and regularisation of one tree. */
export interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  minChildHessian: number;
  lambda: number;
  minGain: number;
  learningRate: number;
}

interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
  gl: number;
  hl: number;
}

/** Grows trees on one binned matrix; reuses histogram buffers across nodes and trees. */
export class TreeGrower {
  private readonly offsets: Int32Array;
  private readonly width: number;
  private readonly pool: Float64Array[] = [];
  private readonly scratch: Int32Array;

  constructor(
    private readonly data: BinnedMatrix,
    private readonly params: TreeParams,
  ) {
    this.offsets = new Int32Array(data.d + 1);
    for (let f = 0; f < data.d; f++) this.offsets[f + 1] = this.offsets[f]! + data.edges[f]!.length + 2;
    this.width = this.offsets[data.d]!;
    this.scratch = new Int32Array(data.n);
  }

  /**
   * Grows one tree on `rows` (reordered in place) with gradients `grad` and hessians `hess`,
   * splitting only on `features`.
   */
  grow(rows: Int32Array, grad: Float64Array, hess: Float64Array, features: Int32Array): Tree {
    const nodes = { feature: [] as number[], bin: [] as number[], threshold: [] as number[], missingLeft: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[], gain: [] as number[], cover: [] as number[] };
    const { maxDepth, minSamplesLeaf, lambda, learningRate } = this.params;
    const add = (g: number, h: number): number => {
      nodes.feature.push(-1);
      nodes.bin.push(0);
      nodes.threshold.push(0);
      nodes.missingLeft.push(0);
      nodes.left.push(-1);
      nodes.right.push(-1);
      nodes.value.push((-learningRate * g) / (h + lambda));
      nodes.gain.push(0);
      nodes.cover.push(h);
      return nodes.feature.length - 1;
    };
    const build = (start: number, end: number, g: number, h: number, depth: number, hist: Float64Array): number => {
      const id = add(g, h);
      if (depth >= maxDepth || end - start < 2 * minSamplesLeaf) return id;
      const split = this.bestSplit(hist, g, h, end - start, features);
      if (split === null) return id;
      const mid = this.partition(rows, start, end, split);
      nodes.feature[id] = split.feature;
      nodes.bin[id] = split.bin;
      nodes.threshold[id] = this.data.edges[split.feature]![split.bin - 1]!;
      nodes.missingLeft[id] = split.missingLeft ? 1 : 0;
      nodes.gain[id] = split.gain;
      const leftSmaller = mid - start <= end - mid;
      const small = this.take();
      this.histogram(rows, leftSmaller ? start : mid, leftSmaller ? mid : end, grad, hess, small);
      // The parent's buffer becomes the larger child's histogram.
      for (let k = 0; k < hist.length; k++) hist[k]! -= small[k]!;
      const [leftHist, rightHist] = leftSmaller ? [small, hist] : [hist, small];
      nodes.left[id] = build(start, mid, split.gl, split.hl, depth + 1, leftHist);
      nodes.right[id] = build(mid, end, g - split.gl, h - split.hl, depth + 1, rightHist);
      this.pool.push(small);
      return id;
    };
    const root = this.take();
    this.histogram(rows, 0, rows.length, grad, hess, root);
    let g = 0;
    let h = 0;
    for (const i of rows) {
      g += grad[i]!;
      h += hess[i]!;
    }
    build(0, rows.length, g, h, 0, root);
    this.pool.push(root);
    return {
      feature: Int32Array.from(nodes.feature),
      bin: Int32Array.from(nodes.bin),
      threshold: Float64Array.from(nodes.threshold),
      missingLeft: Uint8Array.from(nodes.missingLeft),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      value: Float64Array.from(nodes.value),
      gain: Float64Array.from(nodes.gain),
      cover: Float64Array.from(nodes.cover),
    };
  }

  private take(): Float64Array {
    const buffer = this.pool.pop();
    if (buffer) return buffer.fill(0);
    return new Float64Array(3 * this.width);
  }

  /** Σ gradient, Σ hessian and count per (feature, bin) over rows[start, end), interleaved. */
  private histogram(rows: Int32Array, start: number, end: number, grad: Float64Array, hess: Float64Array, out: Float64Array): void {
    const { bins, d } = this.data;
    const offsets = this.offsets;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const g = grad[i]!;
      const h = hess[i]!;
      const base = i * d;
      for (let f = 0; f < d; f++) {
        const at = 3 * (offsets[f]! + bins[base + f]!);
        out[at]! += g;
        out[at + 1]! += h;
        out[at + 2]! += 1;
      }
    }
  }

  private bestSplit(hist: Float64Array, g: number, h: number, count: number, features: Int32Array): Split | null {
    const { lambda, minSamplesLeaf, minChildHessian, minGain } = this.params;
    const parent = (g * g) / (h + lambda);
    let bestGain = Math.max(minGain, 1e-12);
    let best: Split | null = null;
    for (let k = 0; k < features.length; k++) {
      const f = features[k]!;
      const base = 3 * this.offsets[f]!;
      const valueBins = this.data.edges[f]!.length + 1;
      const gm = hist[base]!;
      const hm = hist[base + 1]!;
      const cm = hist[base + 2]!;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      // Split after value bin b: bins 1…b go left; the last bin cannot be split after. Missing
      // values go right (m = 0) or left (m = 1); with none in training, NaN at prediction time
      // follows the heavier side.
      for (let b = 1; b < valueBins; b++) {
        const at = base + 3 * b;
        gl += hist[at]!;
        hl += hist[at + 1]!;
        cl += hist[at + 2]!;
        for (let m = 0; m < (cm > 0 ? 2 : 1); m++) {
          const lg = m === 1 ? gl + gm : gl;
          const lh = m === 1 ? hl + hm : hl;
          const lc = m === 1 ? cl + cm : cl;
          const rg = g - lg;
          const rh = h - lh;
          if (lc < minSamplesLeaf || count - lc < minSamplesLeaf || lh < minChildHessian || rh < minChildHessian) continue;
          const gain = 0.5 * ((lg * lg) / (lh + lambda) + (rg * rg) / (rh + lambda) - parent);
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin: b, missingLeft: cm > 0 ? m === 1 : lh >= rh, gain, gl: lg, hl: lh };
          }
        }
      }
    }
    return best;
  }

  /** Reorders rows[start, end) so the rows going left come first (stable); returns the boundary. */
  private partition(rows: Int32Array, start: number, end: number, split: Split): number {
    const { bins, d } = this.data;
    const scratch = this.scratch;
    const feature = split.feature;
    const last = split.bin;
    const missing = split.missingLeft ? 1 : 0;
    let l = start;
    let r = 0;
    for (let k = start; k < end; k++) {
      const i = rows[k]!;
      const bin = bins[i * d + feature]!;
      if (bin === 0 ? missing === 1 : bin <= last) rows[l++] = i;
      else scratch[r++] = i;
    }
    rows.set(scratch.subarray(0, r), l);
    return l;
  }
}

/** Index of the leaf that a row of raw values reaches. */
export function leafOf(tree: Tree, row: Float64Array | ArrayLike<number>, offset = 0): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const x = row[offset + tree.feature[node]!]!;
    const left = Number.isNaN(x) ? tree.missingLeft[node] === 1 : x <= tree.threshold[node]!;
    node = left ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}
