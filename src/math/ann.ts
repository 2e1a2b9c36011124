/**
 * Maximum-inner-product search behind one small interface, so the library underneath can be
 * swapped: an exact scan over typed arrays (small catalogues, and the reference the
 * approximate one is tested against) and HNSW graphs from `hnswlib-node` (large catalogues).
 *
 * HNSW searches a metric space, and inner product is not a metric, so vectors are lifted one
 * dimension up (Bachrach et al., RecSys 2014): x ↦ [x, √(M² − |x|²)] with M the largest norm,
 * and a query q ↦ [q, 0]. Then |q′ − x′|² = |q|² + M² − 2 q·x, so the nearest lifted vector in
 * L2 is the one with the largest inner product.
 */
import { createRequire } from 'node:module';
import { MagpieError } from '../core/errors.js';
import { TopKHeap } from './topk.js';

/** One search hit: the label it was added under and its inner product with the query. */
export interface VectorHit {
  label: number;
  score: number;
}

/** A set of labelled vectors searched by inner product. */
export interface VectorIndex {
  /** `exact` or `hnsw`. */
  readonly kind: VectorIndexKind;
  readonly dimensions: number;
  /** Vectors held. */
  readonly size: number;
  /** Adds `labels.length` vectors (row-major in `vectors`); a label added twice keeps its first vector. */
  add(vectors: Float32Array, labels: ArrayLike<number>): void;
  /**
   * Up to `k` labels with the largest inner product with `query`, best first; `accept`, when
   * given, keeps only the labels it returns true for. Approximate for `hnsw`.
   */
  search(query: Float32Array, k: number, accept?: (label: number) => boolean): VectorHit[];
}

/** The implementations. */
export type VectorIndexKind = 'exact' | 'hnsw';

/** Options of {@link createVectorIndex}. */
export interface VectorIndexOptions {
  dimensions: number;
  /** `auto` (default): exact below `exactBelow` vectors, HNSW from there on. */
  kind?: VectorIndexKind | 'auto';
  /** Expected number of vectors, for `auto` and to size the HNSW graph (it grows when exceeded). */
  capacity: number;
  /** Largest catalogue still scanned exactly under `auto` (default 20,000). */
  exactBelow?: number;
  /** HNSW: links per node (default 16). */
  m?: number;
  /** HNSW: candidate list while building (default 200). */
  efConstruction?: number;
  /** HNSW: candidate list while searching, at least k (default 100). */
  ef?: number;
  /** HNSW: seed of the level generator, so a build is reproducible (default 100). */
  seed?: number;
}

/** Catalogues up to this size are scanned exactly under `auto`: a scan of 20k × 64 takes ~1 ms. */
export const DEFAULT_EXACT_BELOW = 20_000;

/**
 * An index for `options.capacity` vectors: exact or HNSW as asked, or by size under `auto`.
 *
 * @example
 * const index = createVectorIndex({ dimensions: 65, capacity: items });
 * index.add(vectors, labels);
 * index.search(query, 10, (label) => !seen.has(label)); // [{ label, score }, …] best first
 */
export function createVectorIndex(options: VectorIndexOptions): VectorIndex {
  const kind = options.kind ?? 'auto';
  const exact = kind === 'exact' || (kind === 'auto' && options.capacity < (options.exactBelow ?? DEFAULT_EXACT_BELOW));
  return exact ? new ExactIndex(options.dimensions) : new HnswIndex(options);
}

/** Appends rows of `vectors` under `labels` to growing row storage; returns the new row count. */
abstract class StoredVectors {
  protected rows = new Float32Array(0);
  protected rowLabels = new Int32Array(0);
  protected count = 0;
  /** Row of each label. */
  protected readonly rowOf = new Map<number, number>();

  constructor(readonly dimensions: number) {
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw new MagpieError('invalid_input', `a vector index needs a whole number of dimensions ≥ 1, got ${dimensions}`);
    }
  }

  get size(): number {
    return this.count;
  }

  /** Validates and stores the new rows; returns the row numbers that were added. */
  protected store(vectors: Float32Array, labels: ArrayLike<number>): number[] {
    const d = this.dimensions;
    if (vectors.length !== labels.length * d) {
      throw new MagpieError('invalid_input', `${vectors.length} values do not make ${labels.length} vectors of ${d} dimensions`);
    }
    const added: number[] = [];
    for (let r = 0; r < labels.length; r++) {
      const label = labels[r]!;
      if (!Number.isInteger(label) || label < 0) throw new MagpieError('invalid_input', `vector labels must be whole numbers ≥ 0, got ${label}`);
      for (let j = 0; j < d; j++) {
        if (!Number.isFinite(vectors[r * d + j]!)) throw new MagpieError('invalid_input', `vector ${label} has a non-finite value at ${j}`);
      }
      if (this.rowOf.has(label)) continue;
      this.rowOf.set(label, this.count);
      if (this.count === this.rowLabels.length) this.grow(Math.max(16, this.count * 2));
      this.rows.set(vectors.subarray(r * d, (r + 1) * d), this.count * d);
      this.rowLabels[this.count] = label;
      added.push(this.count++);
    }
    return added;
  }

  /** Inner product of `query` with stored row `row`. */
  protected dot(query: Float32Array, row: number): number {
    const d = this.dimensions;
    const base = row * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += query[j]! * this.rows[base + j]!;
    return s;
  }

  protected checkQuery(query: Float32Array, k: number): void {
    if (query.length !== this.dimensions) {
      throw new MagpieError('invalid_input', `query has ${query.length} dimensions, the index ${this.dimensions}`);
    }
    if (!Number.isInteger(k) || k < 0) throw new MagpieError('invalid_input', `k must be a whole number ≥ 0, got ${k}`);
  }

  private grow(capacity: number): void {
    const rows = new Float32Array(capacity * this.dimensions);
    rows.set(this.rows);
    const labels = new Int32Array(capacity);
    labels.set(this.rowLabels);
    this.rows = rows;
    this.rowLabels = labels;
  }
}

/** Every stored vector scored against the query: exact, O(size · dimensions) per search. */
export class ExactIndex extends StoredVectors implements VectorIndex {
  readonly kind = 'exact';

  add(vectors: Float32Array, labels: ArrayLike<number>): void {
    this.store(vectors, labels);
  }

  search(query: Float32Array, k: number, accept?: (label: number) => boolean): VectorHit[] {
    this.checkQuery(query, k);
    const heap = new TopKHeap(Math.min(k, this.count));
    for (let r = 0; r < this.count; r++) {
      const label = this.rowLabels[r]!;
      // Ties go to the lower label, as in the models' exact rankings; `accept` runs only for
      // vectors that would enter the heap.
      const s = this.dot(query, r);
      if (heap.accepts(label, s) && (accept === undefined || accept(label))) heap.push(label, s);
    }
    return heap.drain().map((e) => ({ label: e.item, score: e.score }));
  }
}

interface HnswGraph {
  initIndex(options: { maxElements: number; m?: number; efConstruction?: number; randomSeed?: number }): void;
  resizeIndex(maxElements: number): void;
  addPoint(point: number[], label: number): void;
  searchKnn(query: number[], k: number, filter?: (label: number) => boolean): { distances: number[]; neighbors: number[] };
  getCurrentCount(): number;
  setEf(ef: number): void;
}

type HnswModule = { HierarchicalNSW: new (space: 'l2' | 'ip' | 'cosine', dimensions: number) => HnswGraph };

let hnswModule: HnswModule | undefined;

/** Loads the native module on first use, so the exact path works even where it failed to build. */
function loadHnsw(): HnswModule {
  if (hnswModule === undefined) {
    try {
      hnswModule = createRequire(import.meta.url)('hnswlib-node') as HnswModule;
    } catch (error) {
      throw new MagpieError('unsupported', `the HNSW index (hnswlib-node) could not be loaded: ${(error as Error).message}`, {
        cause: error,
        hint: 'reinstall dependencies (npm ci builds it with node-gyp), or use the exact index (ann=exact)',
      });
    }
  }
  return hnswModule;
}

/**
 * HNSW graph over lifted vectors (see the file comment), built point by point in label order
 * with a seeded level generator, so the same vectors give the same graph. Hits are rescored
 * exactly from a copy of the vectors. A vector longer than the lift's M forces a rebuild with
 * the new M, which keeps the reduction exact.
 */
export class HnswIndex extends StoredVectors implements VectorIndex {
  readonly kind = 'hnsw';
  private graph: HnswGraph | undefined;
  private radius = 0;
  private capacity: number;
  private readonly m: number;
  private readonly efConstruction: number;
  private readonly ef: number;
  private readonly seed: number;

  constructor(options: VectorIndexOptions) {
    super(options.dimensions);
    this.capacity = Math.max(1, options.capacity);
    this.m = options.m ?? 16;
    this.efConstruction = options.efConstruction ?? 200;
    this.ef = options.ef ?? 100;
    this.seed = options.seed ?? 100;
    loadHnsw();
  }

  add(vectors: Float32Array, labels: ArrayLike<number>): void {
    const added = this.store(vectors, labels);
    let longest = 0;
    for (const row of added) longest = Math.max(longest, Math.sqrt(this.squaredNorm(row)));
    if (this.graph === undefined || longest > this.radius) {
      this.rebuild(longest);
      return;
    }
    if (this.count > this.capacity) {
      this.capacity = Math.max(this.count, this.capacity * 2);
      this.graph.resizeIndex(this.capacity);
    }
    for (const row of added) this.graph.addPoint(this.lifted(row), this.rowLabels[row]!);
  }

  search(query: Float32Array, k: number, accept?: (label: number) => boolean): VectorHit[] {
    this.checkQuery(query, k);
    const graph = this.graph;
    if (graph === undefined || k === 0) return [];
    const want = Math.min(k, this.count);
    graph.setEf(Math.max(this.ef, want));
    const point = Array.from(query);
    point.push(0);
    const found = graph.searchKnn(point, want, accept);
    const hits = found.neighbors.map((label) => ({ label, score: this.dot(query, this.rowOf.get(label)!) }));
    return hits.sort((a, b) => b.score - a.score || a.label - b.label);
  }

  private rebuild(longest: number): void {
    // A little headroom, so a slightly longer vector added later does not force another rebuild.
    this.radius = Math.max(longest, this.radius) * 1.05 + 1e-12;
    this.capacity = Math.max(this.capacity, this.count);
    const graph = new (loadHnsw().HierarchicalNSW)('l2', this.dimensions + 1);
    graph.initIndex({ maxElements: this.capacity, m: this.m, efConstruction: this.efConstruction, randomSeed: this.seed });
    for (let r = 0; r < this.count; r++) graph.addPoint(this.lifted(r), this.rowLabels[r]!);
    this.graph = graph;
  }

  private squaredNorm(row: number): number {
    let s = 0;
    for (let j = row * this.dimensions; j < (row + 1) * this.dimensions; j++) s += this.rows[j]! * this.rows[j]!;
    return s;
  }

  private lifted(row: number): number[] {
    const d = this.dimensions;
    const point = Array.from(this.rows.subarray(row * d, (row + 1) * d));
    point.push(Math.sqrt(Math.max(0, this.radius * this.radius - this.squaredNorm(row))));
    return point;
  }
}
