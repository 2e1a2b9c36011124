/**
 * Next-item losses over one positive per position and a batch's shared sampled negatives, all
 * scored by dot product with the item embedding table plus an item bias:
 *
 * - `sampled-softmax`: cross-entropy of the positive against the sampled items (an exact
 *   softmax when the sample is the whole catalogue);
 * - `bce`: SASRec's binary cross-entropy, log σ(s⁺) + Σ log(1 − σ(s⁻));
 * - `gbce`: gSASRec's generalised BCE (Petrov & Macdonald, RecSys 2023), the positive term
 *   raised to β = α(t(1 − 1/α) + 1/α) with α = negatives / (items − 1), which undoes the
 *   overconfidence that negative sampling teaches plain BCE;
 * - `bpr-max`: GRU4Rec's ranking loss (Hidasi & Karatzoglou, CIKM 2018), −log Σ_j s_j σ(s⁺ − s⁻_j)
 *   + λ Σ_j s_j (s⁻_j)², s = softmax over the negatives' scores.
 *
 * A position whose own target was drawn as a negative ("accidental hit") has that negative
 * masked out. When the draw is the whole catalogue (the default up to a few thousand items)
 * every target is among the negatives and the sampled softmax is the exact one, computed by
 * the backend's softmax kernel without a mask.
 */
import type { Engine, Scalar, Tensor, Tensor1D, Tensor2D } from '../../math/engine.js';
import type { SequenceLoss } from './params.js';

type Tf = Engine['tf'];

/** Subtracted from masked scores: far below any real score, yet finite so no NaN appears. */
const MASKED = 1e9;

/** What a loss is computed from. */
export interface LossInputs {
  /** N × d: the network's output at the positions that have a target. */
  hidden: Tensor2D;
  /** (items + 1) × d: the item embedding table scored against. */
  table: Tensor2D;
  /** items + 1 item biases added to the scores. */
  bias: Tensor1D;
  /** N target item ids. */
  targets: Tensor1D;
  /** k sampled item ids shared by every position. */
  negatives: Tensor1D;
  /** N: the column of `negatives` holding the position's own target, −1 where none. */
  hitColumns: Int32Array;
  /** True when `negatives` is every item, so each position's target is among them. */
  exhaustive: boolean;
}

/** Loss settings beyond the inputs. */
export interface LossOptions {
  kind: SequenceLoss;
  /** Number of items negatives are drawn from (for gBCE's α). */
  catalogue: number;
  gbceT: number;
  bprMaxReg: number;
}

/**
 * The mean loss over the N positions.
 *
 * @example
 * const loss = sequenceLoss(tf, { hidden, table, bias, targets, negatives, hitColumns }, { kind: 'sampled-softmax', catalogue: 1682, gbceT: 0.75, bprMaxReg: 1 });
 */
export function sequenceLoss(tf: Tf, inputs: LossInputs, options: LossOptions): Scalar {
  const { hidden, table, bias, targets, negatives } = inputs;
  const n = hidden.shape[0];
  const k = negatives.shape[0];
  const positiveScores = tf.sum(tf.mul(hidden, tf.gather(table, targets)), 1) as Tensor1D;
  const negativeScores = tf.matMul(hidden, tf.gather(table, negatives) as Tensor2D, false, true);
  const negative = tf.add(negativeScores, tf.gather(bias, negatives));
  const positive = tf.add(positiveScores, tf.gather(bias, targets)) as Tensor1D;
  if (options.kind === 'sampled-softmax') {
    if (inputs.exhaustive) return fullSoftmaxCrossEntropy(tf, negative as Tensor2D, positive, inputs.hitColumns);
    return softmaxCrossEntropy(tf, tf.sub(negative, tf.mul(tf.tensor2d(denseHits(inputs.hitColumns, k), [n, k]), MASKED)) as Tensor2D, positive);
  }
  const hits = tf.tensor2d(denseHits(inputs.hitColumns, k), [n, k]);
  switch (options.kind) {
    case 'bce':
    case 'gbce': {
      const beta = options.kind === 'gbce' ? gbceBeta(k, options.catalogue, options.gbceT) : 1;
      const negativeTerm = tf.sum(tf.mul(tf.softplus(negative), tf.sub(1, hits)), 1);
      return tf.mean(tf.add(tf.mul(tf.softplus(tf.neg(positive)), beta), negativeTerm)) as Scalar;
    }
    case 'bpr-max': {
      const weights = tf.softmax(tf.sub(negative, tf.mul(hits, MASKED)));
      const margins = tf.sigmoid(tf.sub(tf.reshape(positive, [n, 1]), negative));
      const ranking = tf.neg(tf.log(tf.add(tf.sum(tf.mul(weights, margins), 1), 1e-10)));
      const regulariser = tf.mul(tf.sum(tf.mul(weights, tf.square(negative)), 1), options.bprMaxReg);
      return tf.mean(tf.add(ranking, regulariser)) as Scalar;
    }
  }
}

/** The N × k 0/1 mask of accidental hits. */
function denseHits(hitColumns: Int32Array, k: number): Float32Array {
  const out = new Float32Array(hitColumns.length * k);
  hitColumns.forEach((j, p) => {
    if (j >= 0) out[p * k + j] = 1;
  });
  return out;
}

/** Probabilities below this count as this when taking the log for the reported loss. */
const TINY = 1e-30;

/**
 * The exact softmax cross-entropy when `rows` scores every item: mean of −log p[target], where
 * `targetColumns` gives each row's target column. The backend's softmax kernel (vectorised, one
 * pass) does the work: 18 ms against 104 ms for exp alone on 6,400 × 1,682 scores. The
 * gradient is written out — ∂/∂row = p, and −1 for the positive's own score, which reaches its
 * parameters beside the p[target] of its row entry.
 */
function fullSoftmaxCrossEntropy(tf: Tf, rows: Tensor2D, positive: Tensor1D, targetColumns: Int32Array): Scalar {
  const [n, k] = rows.shape;
  const flat = Int32Array.from(targetColumns, (column, r) => r * k + column);
  const op = tf.customGrad((...args) => {
    const [row, , save] = args as [Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    const p = tf.softmax(row);
    save([p]);
    const picked = tf.gather(tf.reshape(p, [n * k]), tf.tensor1d(flat, 'int32'));
    const value = tf.neg(tf.mean(tf.log(tf.maximum(picked, TINY))));
    const gradFunc = (dy: unknown, saved: unknown[]) => {
      const scale = tf.div(dy as Scalar, n);
      return [tf.mul(saved[0] as Tensor2D, scale), tf.neg(tf.mul(tf.ones([n]), scale))];
    };
    return { value, gradFunc };
  });
  return op(rows, positive) as Scalar;
}

/**
 * Mean over rows of −log p(positive) under a softmax over the positive and the row's sampled
 * negatives, again on the backend's softmax kernel: q = softmax(negatives) gives the negatives'
 * log-sum-exp as max(s⁻) − log max(q), which joins the positive's score in a two-term
 * logaddexp. Then p⁻ = q · e^(lse⁻ − lse) and p⁺ = e^(s⁺ − lse); the gradient is written out
 * (∂/∂row = p⁻, ∂/∂s⁺ = p⁺ − 1).
 */
function softmaxCrossEntropy(tf: Tf, rows: Tensor2D, positive: Tensor1D): Scalar {
  const n = rows.shape[0];
  const op = tf.customGrad((...args) => {
    const [row, pos, save] = args as [Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    const q = tf.softmax(row);
    const negativeLse = tf.sub(tf.max(row, 1), tf.log(tf.max(q, 1)));
    const top = tf.maximum(negativeLse, pos);
    const lse = tf.add(top, tf.log(tf.add(tf.exp(tf.sub(negativeLse, top)), tf.exp(tf.sub(pos, top)))));
    const negativeShare = tf.exp(tf.sub(negativeLse, lse));
    const positiveShare = tf.exp(tf.sub(pos, lse));
    save([q, negativeShare, positiveShare]);
    const value = tf.mean(tf.sub(lse, pos));
    const gradFunc = (dy: unknown, saved: unknown[]) => {
      const [probabilities, share, ePos] = saved as [Tensor2D, Tensor1D, Tensor1D];
      const scale = tf.div(dy as Scalar, n);
      return [tf.mul(probabilities, tf.reshape(tf.mul(share, scale), [n, 1])), tf.mul(tf.sub(ePos, 1), scale)];
    };
    return { value, gradFunc };
  });
  return op(rows, positive) as Scalar;
}

/**
 * gSASRec's β for `negatives` sampled out of `catalogue` items and calibration t: 1 at t = 0
 * (plain BCE), α at t = 1.
 */
export function gbceBeta(negatives: number, catalogue: number, t: number): number {
  const alpha = Math.min(1, negatives / Math.max(1, catalogue - 1));
  return alpha * (t * (1 - 1 / alpha) + 1 / alpha);
}
