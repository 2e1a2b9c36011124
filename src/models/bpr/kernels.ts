/**
 * The SGD step of BPR-MF (Rendle et al., UAI 2009): for a user u, a positive i and a sampled
 * negative j, ascend ln σ(x̂_ui − x̂_uj) with x̂_ui = b_i + p_u·q_i, minus an L2 penalty.
 *
 * Self-contained on purpose (no imports, no closures, no nested functions): its source text is
 * what each Hogwild helper thread runs, lock-free on the same shared factors (Niu et al. 2011).
 */

/**
 * One thread's share of an epoch: `args[3]` updates, each on a training entry drawn uniformly
 * (so a user weighs by its activity, as in the original paper) and a negative drawn uniformly
 * from the catalogue, redrawn while it is one of the user's items. The stream of draws depends
 * only on (seed, epoch, worker), so one thread is deterministic.
 *
 * args: [0] k, [1] learning rate, [2] regularisation, [3] updates, [4] seed, [5] epoch,
 * [6] items, [7] negative draws before giving up on a user who has nearly every item.
 * `buffers.stats` gets, per worker w, [2w] updates ranked right before the step, [2w + 1] skipped.
 */
export function bprWork(buffers: Readonly<Record<string, ArrayBufferLike>>, args: Float64Array, worker: number): void {
  const k = args[0]!;
  const lr = args[1]!;
  const reg = args[2]!;
  const updates = args[3]!;
  const items = args[6]!;
  const tries = args[7]!;
  const userFactors = new Float32Array(buffers['userFactors']!);
  const itemFactors = new Float32Array(buffers['itemFactors']!);
  const bias = new Float32Array(buffers['itemBias']!);
  const indptr = new Int32Array(buffers['indptr']!);
  const cols = new Int32Array(buffers['cols']!);
  const entryUser = new Int32Array(buffers['entryUser']!);
  const stats = new Float64Array(buffers['stats']!);
  const nnz = cols.length;
  // mulberry32, seeded from (seed, epoch, worker): fast, and good enough to pick indices.
  let state = (args[4]! ^ Math.imul(args[5]! + 1, 0x9e3779b1) ^ Math.imul(worker + 1, 0x85ebca6b)) | 0;
  let correct = 0;
  let skipped = 0;
  for (let n = 0; n < updates; n++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const entry = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * nnz);
    const u = entryUser[entry]!;
    const i = cols[entry]!;
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    let j = -1;
    for (let attempt = 0; attempt < tries; attempt++) {
      state = (state + 0x6d2b79f5) | 0;
      let s = Math.imul(state ^ (state >>> 15), state | 1);
      s ^= s + Math.imul(s ^ (s >>> 7), s | 61);
      const candidate = Math.floor((((s ^ (s >>> 14)) >>> 0) / 4294967296) * items);
      // The user's row is sorted: binary search says whether the candidate is a positive.
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (cols[mid]! < candidate) a = mid + 1;
        else b = mid;
      }
      if (a < hi && cols[a] === candidate) continue;
      j = candidate;
      break;
    }
    if (j < 0) {
      skipped++;
      continue;
    }
    const ub = u * k;
    const ib = i * k;
    const jb = j * k;
    let x = bias[i]! - bias[j]!;
    for (let f = 0; f < k; f++) x += userFactors[ub + f]! * (itemFactors[ib + f]! - itemFactors[jb + f]!);
    if (x > 0) correct++;
    // z = σ(−x) = 1 − σ(x): the gradient's weight, small once the pair is ranked right.
    const z = 1 / (1 + Math.exp(x));
    for (let f = 0; f < k; f++) {
      const uf = userFactors[ub + f]!;
      const vi = itemFactors[ib + f]!;
      const vj = itemFactors[jb + f]!;
      userFactors[ub + f] = uf + lr * (z * (vi - vj) - reg * uf);
      itemFactors[ib + f] = vi + lr * (z * uf - reg * vi);
      itemFactors[jb + f] = vj + lr * (-z * uf - reg * vj);
    }
    bias[i] = bias[i]! + lr * (z - reg * bias[i]!);
    bias[j] = bias[j]! + lr * (-z - reg * bias[j]!);
  }
  stats[2 * worker] = correct;
  stats[2 * worker + 1] = skipped;
}

/** The kernel source shipped to helper threads (see `math/thread-gang.ts`). */
export const BPR_KERNEL = { source: bprWork.toString(), entry: 'bprWork' } as const;
