import { Random } from '../../math/random.js';

/** Row indices of a training fold and a validation fold, each ascending. */
export interface Folds {
  fit: Int32Array;
  validation: Int32Array;
}

function shuffledByLabel(labels: ArrayLike<number>, rng: Random): Int32Array[] {
  return [0, 1].map((label) => rng.shuffle(Int32Array.from(Array.from({ length: labels.length }, (_, i) => i).filter((i) => labels[i] === label))));
}

/**
 * Holds out `share` of the rows of each label, drawn with a seeded generator, so the validation
 * fold (early stopping, calibration) keeps the base rate of the training rows.
 *
 * @example
 * const { fit, validation } = stratifiedSplit(Uint8Array.of(0, 1, 0, 1, 0), 0.4, 7);
 */
export function stratifiedSplit(labels: ArrayLike<number>, share: number, seed: number): Folds {
  const fit: number[] = [];
  const validation: number[] = [];
  for (const rows of shuffledByLabel(labels, new Random(seed))) {
    const held = Math.round(share * rows.length);
    rows.forEach((row, k) => (k < held ? validation : fit).push(row));
  }
  return { fit: Int32Array.from(fit).sort(), validation: Int32Array.from(validation).sort() };
}

/**
 * K stratified folds: every row is in exactly one validation fold, and each fold holds about 1/k
 * of each label. With k = 1 there is a single split holding out `share` of the rows.
 */
export function stratifiedFolds(labels: ArrayLike<number>, k: number, seed: number, share = 0.2): Folds[] {
  if (k <= 1) return [stratifiedSplit(labels, share, seed)];
  const fold = new Int32Array(labels.length);
  // Dealing each label's shuffled rows round-robin gives fold sizes that differ by at most one per label.
  for (const rows of shuffledByLabel(labels, new Random(seed))) rows.forEach((row, j) => (fold[row] = j % k));
  return Array.from({ length: k }, (_, f) => {
    const fit: number[] = [];
    const validation: number[] = [];
    for (let i = 0; i < labels.length; i++) (fold[i] === f ? validation : fit).push(i);
    return { fit: Int32Array.from(fit), validation: Int32Array.from(validation) };
  });
}
