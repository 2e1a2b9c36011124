/**
 * Metrics of probabilistic binary classifiers (the propensity and churn models, the ranker's
 * network), as pure functions on parallel arrays of scores and 0/1 labels. Ties in scores are
 * handled as one threshold (every tied row flips together), which is what makes ROC AUC equal the
 * Mann–Whitney pair count with ties worth one half.
 */

/** One point of a ROC curve: the rates when every score ≥ threshold is called positive. */
export interface RocPoint {
  /** Infinity for the first point, (0, 0) — `null` once written as JSON. */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

/** One point of a precision–recall curve. */
export interface PrPoint {
  threshold: number;
  recall: number;
  precision: number;
}

/** One bin of a calibration (reliability) table. */
export interface CalibrationBin {
  /** Predicted probabilities in [lower, upper) (the last bin includes 1). */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin; null when empty. */
  meanPredicted: number | null;
  /** Share of positives in the bin; null when empty. */
  observedRate: number | null;
}

interface Step {
  threshold: number;
  tp: number;
  fp: number;
}

/** Cumulative true and false positives at each distinct score, highest first. */
function thresholdSteps(scores: ArrayLike<number>, labels: ArrayLike<number>): { steps: Step[]; positives: number; negatives: number } {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const steps: Step[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) steps.push({ threshold: scores[i]!, tp, fp });
  }
  return { steps, positives: tp, negatives: fp };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half. NaN when either class is absent.
 *
 * @example
 * rocAuc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]); // 0.75
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { steps, positives, negatives } = thresholdSteps(scores, labels);
  if (positives === 0 || negatives === 0) return Number.NaN;
  // Trapezoids between thresholds: a tied block adds its negatives × (positives above + half its own).
  let area = 0;
  let tp = 0;
  let fp = 0;
  for (const s of steps) {
    area += (s.fp - fp) * (tp + (s.tp - tp) / 2);
    tp = s.tp;
    fp = s.fp;
  }
  return area / (positives * negatives);
}

/** The ROC curve from (0, 0) to (1, 1), one point per distinct score. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const { steps, positives, negatives } = thresholdSteps(scores, labels);
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0, truePositiveRate: 0 }];
  for (const s of steps) points.push({ threshold: s.threshold, falsePositiveRate: negatives > 0 ? s.fp / negatives : 0, truePositiveRate: positives > 0 ? s.tp / positives : 0 });
  return points;
}

/**
 * Average precision: Σ over thresholds of (recall gained) × (precision there), the step-wise area
 * under the precision–recall curve. NaN without positives.
 *
 * @example
 * averagePrecision([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]); // 0.5·1 + 0.5·(2/3) = 0.8333
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { steps, positives } = thresholdSteps(scores, labels);
  if (positives === 0) return Number.NaN;
  let ap = 0;
  let tp = 0;
  for (const s of steps) {
    ap += ((s.tp - tp) / positives) * (s.tp / (s.tp + s.fp));
    tp = s.tp;
  }
  return ap;
}

/** The precision–recall curve, one point per distinct score, highest threshold first. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const { steps, positives } = thresholdSteps(scores, labels);
  return steps.map((s) => ({ threshold: s.threshold, recall: positives > 0 ? s.tp / positives : 0, precision: s.tp / (s.tp + s.fp) }));
}

/** Mean negative log-likelihood, probabilities clipped to [eps, 1 − eps]. */
export function logLoss(probabilities: ArrayLike<number>, labels: ArrayLike<number>, eps = 1e-15): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probabilities[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / Math.max(1, probabilities.length);
}

/** Mean squared difference between probability and label. */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i]! - labels[i]!) ** 2;
  return sum / Math.max(1, probabilities.length);
}

/**
 * Reliability table over `bins` equal-width bins of the predicted probability: how many rows fall
 * in each, their mean prediction and the observed share of positives.
 *
 * @example
 * calibrationBins([0.05, 0.15, 0.12], [0, 1, 0], 10)[1]; // { lower: 0.1, upper: 0.2, count: 2, meanPredicted: 0.135, observedRate: 0.5 }
 */
export function calibrationBins(probabilities: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b]!++;
    predicted[b]! += p;
    observed[b]! += labels[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b]!,
    meanPredicted: count[b]! > 0 ? predicted[b]! / count[b]! : null,
    observedRate: count[b]! > 0 ? observed[b]! / count[b]! : null,
  }));
}

/** Expected calibration error: Σ (bin share) × |mean predicted − observed rate| over a reliability table. */
export function expectedCalibrationError(table: readonly CalibrationBin[]): number {
  const total = table.reduce((sum, b) => sum + b.count, 0);
  let ece = 0;
  for (const b of table) if (b.count > 0) ece += (b.count / total) * Math.abs(b.meanPredicted! - b.observedRate!);
  return total > 0 ? ece : Number.NaN;
}

/** At most `max` points of a curve, evenly spaced by index, always keeping the first and last: enough to draw it. */
export function thinCurve<T>(points: readonly T[], max = 201): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]!);
  return out;
}
