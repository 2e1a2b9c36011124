// Small hand-built Datasets for model tests, made straight from triples so these tests do not
// depend on the dataset builder.
import type { Item } from '../core/types.js';
import { csrFromTriples } from '../dataset/csr.js';
import type { Dataset, IdMap } from '../dataset/types.js';
import { auc } from '../eval/metrics.js';
import { Random } from '../math/random.js';
import type { Recommender, UserQuery } from './recommender.js';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

/** One interaction: user index, item index, weight (default 1), days after 2024-01-01 (default its position). */
export type Triple = readonly [user: number, item: number, weight?: number, day?: number];

function idMap(prefix: string, count: number): IdMap {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  return { ids, index: new Map(ids.map((id, i) => [id, i])) };
}

/** A catalog row with just categories set. */
export function catalogItem(id: string, categories: string[]): Item {
  return { id, title: null, description: null, categories, brand: null, price: null, currency: null, stock: null, attributes: {}, createdAt: null, hidden: false };
}

/** A Dataset of `users` × `items` from interaction triples (and optional catalog rows by item index). */
export function datasetFromTriples(users: number, items: number, triples: readonly Triple[], catalog: ReadonlyMap<number, Item> = new Map()): Dataset {
  const length = triples.length;
  const user = new Int32Array(length);
  const item = new Int32Array(length);
  const weight = new Float32Array(length);
  const time = new Float64Array(length);
  triples.forEach(([u, i, w = 1, day], k) => {
    user[k] = u;
    item[k] = i;
    weight[k] = w;
    time[k] = T0 + (day ?? k) * DAY;
  });
  const order = Array.from({ length }, (_, k) => k).sort((a, b) => time[a]! - time[b]! || a - b);
  const perUser: number[][] = Array.from({ length: users }, () => []);
  for (const k of order) perUser[user[k]!]!.push(k);
  return {
    users: idMap('u', users),
    items: idMap('i', items),
    log: { length, user, item, weight, rating: new Float32Array(length).fill(NaN), time, type: new Array(length).fill('view') },
    matrix: csrFromTriples(users, items, user, item, weight),
    sequences: perUser.map((ks) => ({ items: Int32Array.from(ks, (k) => item[k]!), times: Float64Array.from(ks, (k) => time[k]!) })),
    baskets: [],
    catalog,
  };
}

/**
 * Four users over four items with overlapping baskets, small enough to work similarities out by
 * hand: u0: i0 i1 · u1: i0 i1 i2 · u2: i1 i2 · u3: i2 i3 (weight 1 each).
 */
export function overlappingBaskets(): Dataset {
  return datasetFromTriples(4, 4, [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [1, 2],
    [2, 1],
    [2, 2],
    [3, 2],
    [3, 3],
  ]);
}

/** True when two scores agree to 1e-6, for checking float32 results against hand computation. */
export function close(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}

/** Fits `model` on `data` and returns its scores for `query`, one per item. */
export async function fitAndScore(model: Recommender, data: Dataset, query: UserQuery): Promise<Float32Array> {
  await model.fit(data);
  const out = new Float32Array(data.matrix.cols);
  model.scoreItems(query, out);
  return out;
}

/** A tiny deterministic generator (mulberry32), the stream {@link syntheticDataset} was drawn from. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A clustered synthetic dataset: items fall into `clusters` groups, each user mostly picks
 * items of one group, so models have real structure to find. Deterministic for a seed.
 */
export function syntheticDataset(options: { users?: number; items?: number; perUser?: number; clusters?: number; seed?: number } = {}): Dataset {
  const { users = 60, items = 40, perUser = 8, clusters = 4, seed = 1 } = options;
  const random = generator(seed);
  const triples: Triple[] = [];
  const catalog = new Map<number, Item>();
  for (let i = 0; i < items; i++) catalog.set(i, catalogItem(`i${i}`, ['All', `Group ${i % clusters}`]));
  for (let u = 0; u < users; u++) {
    const home = u % clusters;
    const seen = new Set<number>();
    for (let t = 0; t < perUser; t++) {
      // 80% inside the home cluster, skewed towards low indices so popularity is not flat.
      const inside = random() < 0.8;
      const pick = Math.floor(Math.pow(random(), 2) * Math.ceil(items / clusters));
      const i = inside ? Math.min(items - 1, pick * clusters + home) : Math.floor(random() * items);
      if (seen.has(i)) continue;
      seen.add(i);
      triples.push([u, i, 1 + Math.floor(random() * 3), u + t]);
    }
  }
  return datasetFromTriples(users, items, triples, catalog);
}

/** A training set with each user's held-out items (by user index). */
export interface PlantedSplit {
  train: Dataset;
  test: Set<number>[];
}

/**
 * Planted structure for the factor models: users and items fall into `groups` blocks (index mod
 * groups); every user holds `perUser` items of its own block, the last `heldOut` of which go to
 * test. Deterministic for a seed.
 */
export function plantedSplit(users: number, items: number, groups: number, perUser: number, heldOut: number, seed: number): PlantedSplit {
  const rng = new Random(seed);
  const train: Triple[] = [];
  const test: Set<number>[] = [];
  const block = items / groups;
  for (let u = 0; u < users; u++) {
    const own = Int32Array.from({ length: block }, (_, t) => t * groups + (u % groups));
    rng.shuffle(own);
    test.push(new Set(own.subarray(perUser - heldOut, perUser)));
    for (const i of own.subarray(0, perUser - heldOut)) train.push([u, i]);
  }
  return { train: datasetFromTriples(users, items, train), test };
}

/** AUC of `model`'s scores for each user's held-out items of `split`, the user's training items left out. */
export function heldOutAuc(model: Recommender, split: PlantedSplit): number {
  const m = split.train.matrix;
  const seen = Array.from({ length: m.rows }, (_, u) => new Set(m.indices.subarray(m.indptr[u]!, m.indptr[u + 1]!)));
  return auc(
    (u) => {
      const out = new Float32Array(m.cols);
      model.scoreItems({ user: u }, out);
      return out;
    },
    split.test,
    seen,
  );
}
