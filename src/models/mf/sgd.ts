/**
 * Funk-SVD style SGD for biased matrix factorisation of explicit ratings:
 * r̂_ui = μ + b_u + b_i + p_u·q_i, fitted to observed ratings only (Koren, Bell & Volinsky 2009).
 */
import type { Random } from '../../math/random.js';
import type { Progress } from '../recommender.js';

/** Observed (user, item, value) triples to fit, as parallel columns. */
export interface RatingTriples {
  user: Int32Array;
  item: Int32Array;
  value: Float32Array;
}

/** What {@link trainBiasedMf} needs besides the ratings. */
export interface MfConfig {
  users: number;
  items: number;
  factors: number;
  epochs: number;
  learningRate: number;
  regularization: number;
  initStd: number;
  rng: Random;
  progress: Progress;
}

/** Fitted parameters of r̂ = μ + b_u + b_i + p_u·q_i (factors row-major float32). */
export interface MfParameters {
  globalMean: number;
  userBias: Float32Array;
  itemBias: Float32Array;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** 1 for users / items with at least one training rating. */
  userKnown: Uint8Array;
  itemKnown: Uint8Array;
}

/** A standard normal draw (Box–Muller); `Random` only gives uniforms. */
function gaussian(rng: Random): number {
  const u = 1 - rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/**
 * Fits the biased model by SGD over the ratings in a fresh seeded order each epoch; progress
 * ticks per epoch with the training RMSE (from the errors seen during the pass, so it is free).
 * Users and items without ratings keep zero factors and biases, so they predict the baseline.
 */
export function trainBiasedMf(ratings: RatingTriples, config: MfConfig): MfParameters {
  const { users, items, factors: k, learningRate: lr, regularization: reg, rng } = config;
  const count = ratings.value.length;
  let sum = 0;
  for (let t = 0; t < count; t++) sum += ratings.value[t]!;
  const globalMean = count === 0 ? 0 : sum / count;
  const userBias = new Float32Array(users);
  const itemBias = new Float32Array(items);
  const userFactors = new Float32Array(users * k);
  const itemFactors = new Float32Array(items * k);
  for (let t = 0; t < userFactors.length; t++) userFactors[t] = gaussian(rng) * config.initStd;
  for (let t = 0; t < itemFactors.length; t++) itemFactors[t] = gaussian(rng) * config.initStd;
  const userKnown = new Uint8Array(users);
  const itemKnown = new Uint8Array(items);
  for (let t = 0; t < count; t++) {
    userKnown[ratings.user[t]!] = 1;
    itemKnown[ratings.item[t]!] = 1;
  }
  // Rows never updated would otherwise carry their random start into predictions.
  for (let u = 0; u < users; u++) if (userKnown[u] === 0) userFactors.fill(0, u * k, u * k + k);
  for (let i = 0; i < items; i++) if (itemKnown[i] === 0) itemFactors.fill(0, i * k, i * k + k);
  const order = Int32Array.from({ length: count }, (_, t) => t);
  config.progress.start('mf epochs', config.epochs);
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      rng.shuffle(order);
      let squared = 0;
      for (let n = 0; n < count; n++) {
        const t = order[n]!;
        const u = ratings.user[t]!;
        const i = ratings.item[t]!;
        const ub = u * k;
        const ib = i * k;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += userFactors[ub + f]! * itemFactors[ib + f]!;
        const err = ratings.value[t]! - (globalMean + userBias[u]! + itemBias[i]! + dot);
        squared += err * err;
        userBias[u] = userBias[u]! + lr * (err - reg * userBias[u]!);
        itemBias[i] = itemBias[i]! + lr * (err - reg * itemBias[i]!);
        for (let f = 0; f < k; f++) {
          const pu = userFactors[ub + f]!;
          const qi = itemFactors[ib + f]!;
          userFactors[ub + f] = pu + lr * (err * qi - reg * pu);
          itemFactors[ib + f] = qi + lr * (err * pu - reg * qi);
        }
      }
      config.progress.tick(1, { rmse: Number(Math.sqrt(squared / Math.max(1, count)).toFixed(4)) });
    }
  } finally {
    config.progress.stop();
  }
  return { globalMean, userBias, itemBias, userFactors, itemFactors, userKnown, itemKnown };
}
