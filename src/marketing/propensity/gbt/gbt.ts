import { silentProgress, type Progress } from '../../../core/progress.js';
import { MagpieError } from '../../../core/errors.js';
import { Random } from '../../../math/random.js';
import { logit, sigmoid, type DenseMatrix } from '../matrix.js';
import { binMatrix } from './binning.js';
import { GbtModel } from './model.js';
import { TreeGrower, type Tree } from './tree.js';

// Gradient-boosted trees for binary outcomes (logistic loss): each round fits a depth-limited tree
// to the Newton step of the loss on a seeded row sample, adds it shrunk by the learning rate, and
// watches the loss on a validation fold; training stops once that loss has not improved for
// `earlyStoppingRounds` rounds and keeps the trees up to the best round.

/** Options of {@link fitGbt}; defaults suit a few thousand to a few million rows. */
export interface GbtOptions {
  /** Most boosting rounds. Default 500. */
  rounds?: number;
  /** Shrinkage η. Default 0.05. */
  learningRate?: number;
  /** Default 3. */
  maxDepth?: number;
  /** Fewest rows in a leaf. Default 20. */
  minSamplesLeaf?: number;
  /** Least Σ hessian in a leaf. Default 1e-3. */
  minChildHessian?: number;
  /** L2 penalty on leaf values. Default 1. */
  lambda?: number;
  /** Least loss reduction for a split. Default 0. */
  minGain?: number;
  /** Share of rows each tree sees. Default 0.8. */
  subsample?: number;
  /** Share of features each tree may split on. Default 1. */
  colsample?: number;
  /** Value bins per feature (2…255). Default 64. */
  maxBins?: number;
  /** Stop after this many rounds without a better validation loss. Default 30. */
  earlyStoppingRounds?: number;
  /** Seed of the row and feature samples. Default 1. */
  seed?: number;
}

/** Labelled rows: y is 0 or 1. */
export interface LabelledRows {
  x: DenseMatrix;
  y: ArrayLike<number>;
}

/** A trained ensemble and how training went. */
export interface GbtFit {
  model: GbtModel;
  /** Rounds kept (the best validation round, or every round without validation). */
  rounds: number;
  /** Mean log loss after each round, on the training rows and on the validation fold. */
  trainLoss: number[];
  validationLoss: number[];
}

/** Mean log loss of margins against 0/1 labels. */
export function marginLogLoss(margin: Float64Array, y: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < margin.length; i++) {
    const m = margin[i]!;
    // log(1 + e^m) − y·m, stable for large |m|.
    sum += (m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m))) - y[i]! * m;
  }
  return sum / Math.max(1, margin.length);
}

function checkLabels(rows: LabelledRows, field: string): void {
  if (rows.y.length !== rows.x.n) throw new MagpieError('invalid_input', `${field}: ${rows.y.length} labels for ${rows.x.n} rows`, { location: { field } });
  for (let i = 0; i < rows.y.length; i++) {
    if (rows.y[i] !== 0 && rows.y[i] !== 1) throw new MagpieError('invalid_input', `${field}: label ${rows.y[i]} of row ${i} is not 0 or 1`, { location: { field } });
  }
}

/**
 * Fits gradient-boosted trees with logistic loss.
 *
 * @example
 * const { model, rounds } = fitGbt({ x: train, y: labels }, { maxDepth: 3, seed: 7 }, { x: valid, y: validLabels });
 * const p = model.predict(test); // Float64Array of probabilities
 */
export function fitGbt(train: LabelledRows, options: GbtOptions = {}, validation?: LabelledRows, progress: Progress = silentProgress): GbtFit {
  checkLabels(train, 'train');
  if (validation) checkLabels(validation, 'validation');
  const { x, y } = train;
  if (x.n === 0) throw new MagpieError('invalid_input', 'no training rows', { hint: 'train on a cut-off with customers before it' });
  const rounds = options.rounds ?? 500;
  const patience = options.earlyStoppingRounds ?? 30;
  const subsample = Math.min(1, Math.max(0.05, options.subsample ?? 0.8));
  const colsample = Math.min(1, Math.max(0.05, options.colsample ?? 1));
  const rng = new Random(options.seed ?? 1);
  const binned = binMatrix(x, options.maxBins ?? 64);
  const grower = new TreeGrower(binned, {
    maxDepth: options.maxDepth ?? 3,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    minChildHessian: options.minChildHessian ?? 1e-3,
    lambda: options.lambda ?? 1,
    minGain: options.minGain ?? 0,
    learningRate: options.learningRate ?? 0.05,
  });

  let positives = 0;
  for (let i = 0; i < x.n; i++) positives += y[i]!;
  const base = logit(positives / x.n, 1e-6);
  const model = new GbtModel(base, [], x.d);
  const margin = new Float64Array(x.n).fill(base);
  const validMargin = validation ? new Float64Array(validation.x.n).fill(base) : null;
  const grad = new Float64Array(x.n);
  const hess = new Float64Array(x.n);
  const all = Int32Array.from({ length: x.n }, (_, i) => i);
  const featureIds = Int32Array.from({ length: x.d }, (_, f) => f);
  const sampleSize = Math.max(1, Math.round(subsample * x.n));
  const featureCount = Math.max(1, Math.round(colsample * x.d));
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestRound = 0;

  progress.start('boosting', rounds);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < x.n; i++) {
      const p = sigmoid(margin[i]!);
      grad[i] = p - y[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-12);
    }
    // Partial Fisher–Yates: the first sampleSize entries become a uniform sample without replacement.
    const rows = all.slice();
    if (sampleSize < x.n) {
      for (let k = 0; k < sampleSize; k++) {
        const j = k + rng.nextInt(x.n - k);
        const t = rows[k]!;
        rows[k] = rows[j]!;
        rows[j] = t;
      }
    }
    const features = featureCount < x.d ? rng.shuffle(featureIds.slice()).subarray(0, featureCount).sort() : featureIds;
    const tree: Tree = grower.grow(rows.subarray(0, sampleSize), grad, hess, features);
    model.trees.push(tree);
    model.addTreeTo(tree, binned.bins, binned.d, margin);
    trainLoss.push(marginLogLoss(margin, y));
    if (validation && validMargin) {
      model.addTreeToRaw(tree, validation.x, validMargin);
      const loss = marginLogLoss(validMargin, validation.y);
      validationLoss.push(loss);
      if (loss < best - 1e-12) {
        best = loss;
        bestRound = round;
      } else if (round - bestRound >= patience) {
        progress.tick(1, { valid: loss });
        break;
      }
      progress.tick(1, { valid: loss });
    } else progress.tick(1, { train: trainLoss[trainLoss.length - 1]! });
  }
  progress.stop();
  const kept = validation ? bestRound + 1 : model.trees.length;
  model.trees.length = kept;
  return { model, rounds: kept, trainLoss, validationLoss };
}
