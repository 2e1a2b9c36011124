// Qini and uplift curves of a ranking of customers by predicted uplift, on a randomised experiment:
// targeting the top k, how many extra responders does treatment bring? Tied scores are one step
// (all targeted together), so a model that scores everyone alike draws the random diagonal.

/** Cumulative counts after targeting the top `targeted` rows. */
interface CurveStep {
  targeted: number;
  treated: number;
  control: number;
  treatedResponders: number;
  controlResponders: number;
}

/** One point of the curves, for charts. */
export interface UpliftCurvePoint {
  /** Share of customers targeted, 0…1. */
  fraction: number;
  /** Qini: treated responders − control responders × (treated ÷ control) among those targeted. */
  qini: number;
  /** Uplift curve: (treated response rate − control response rate) × number targeted. */
  uplift: number;
  /** The same two for a random ranking (straight lines to the end point). */
  randomQini: number;
  randomUplift: number;
}

/** Areas of one curve: x is the share targeted, y the curve's value. */
export interface CurveArea {
  /** Area between the model's curve and the random line. */
  area: number;
  /** The same for the best possible ranking (treated responders first, control responders last). */
  perfectArea: number;
  /** area ÷ perfectArea: 0 for a random ranking, 1 for the perfect one, negative when worse than random. */
  coefficient: number;
}

function steps(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>): CurveStep[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const out: CurveStep[] = [{ targeted: 0, treated: 0, control: 0, treatedResponders: 0, controlResponders: 0 }];
  let treated = 0;
  let control = 0;
  let tr = 0;
  let cr = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (t[i] === 1) {
      treated++;
      tr += y[i]!;
    } else {
      control++;
      cr += y[i]!;
    }
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) out.push({ targeted: k + 1, treated, control, treatedResponders: tr, controlResponders: cr });
  }
  return out;
}

const qiniOf = (s: CurveStep): number => s.treatedResponders - (s.control > 0 ? (s.controlResponders * s.treated) / s.control : 0);
const upliftOf = (s: CurveStep): number =>
  s.treated > 0 && s.control > 0 ? (s.treatedResponders / s.treated - s.controlResponders / s.control) * s.targeted : 0;

/** Trapezoid area of (fraction targeted, value) minus the random line's area. */
function areaAboveRandom(list: CurveStep[], value: (s: CurveStep) => number): number {
  const n = list[list.length - 1]!.targeted;
  if (n === 0) return 0;
  let area = 0;
  for (let k = 1; k < list.length; k++) area += ((list[k]!.targeted - list[k - 1]!.targeted) / n) * ((value(list[k]!) + value(list[k - 1]!)) / 2);
  return area - value(list[list.length - 1]!) / 2;
}

/** Scores of the best ranking: treated responders first, control responders last. */
function perfectScores(y: ArrayLike<number>, t: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: y.length }, (_, i) => (y[i] === 1 ? (t[i] === 1 ? 1 : -1) : 0));
}

function curveArea(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>, value: (s: CurveStep) => number): CurveArea {
  const area = areaAboveRandom(steps(scores, y, t), value);
  const perfectArea = areaAboveRandom(steps(perfectScores(y, t), y, t), value);
  return { area, perfectArea, coefficient: perfectArea !== 0 ? area / perfectArea : 0 };
}

/**
 * Qini area and coefficient of a ranking by `scores` (higher = target first).
 *
 * @example
 * qini(predictedUplift, converted, treated).coefficient; // 0.35: a third of the way from random to perfect
 */
export function qini(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>): CurveArea {
  return curveArea(scores, y, t, qiniOf);
}

/** Area under the uplift curve above random (AUUC), and its share of the perfect ranking's. */
export function auuc(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>): CurveArea {
  return curveArea(scores, y, t, upliftOf);
}

/** Linear interpolation of a step list's value at `targeted` rows. */
function valueAt(list: CurveStep[], targeted: number, value: (s: CurveStep) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.targeted <= targeted) lo = mid;
    else hi = mid;
  }
  const a = list[lo]!;
  const b = list[hi]!;
  if (b.targeted === a.targeted) return value(b);
  return value(a) + ((targeted - a.targeted) / (b.targeted - a.targeted)) * (value(b) - value(a));
}

/**
 * Qini and uplift curves at `points` evenly spaced shares targeted (0 and 1 included), with the
 * random ranking's lines beside them.
 */
export function upliftCurves(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>, points = 101): UpliftCurvePoint[] {
  const list = steps(scores, y, t);
  const n = list[list.length - 1]!.targeted;
  const endQini = qiniOf(list[list.length - 1]!);
  const endUplift = upliftOf(list[list.length - 1]!);
  return Array.from({ length: points }, (_, k) => {
    const fraction = points > 1 ? k / (points - 1) : 1;
    return {
      fraction,
      qini: valueAt(list, fraction * n, qiniOf),
      uplift: valueAt(list, fraction * n, upliftOf),
      randomQini: fraction * endQini,
      randomUplift: fraction * endUplift,
    };
  });
}

/** Outcomes of one tenth of the customers, ranked by predicted uplift. */
export interface UpliftDecile {
  /** 1 = the highest predicted uplift. */
  decile: number;
  size: number;
  treated: number;
  control: number;
  /** Response rates of the treated and the control customers in the decile (null when there are none). */
  treatedRate: number | null;
  controlRate: number | null;
  /** treatedRate − controlRate. */
  observedUplift: number | null;
  meanPredicted: number;
  /** Mean of the known true uplift (synthetic data only). */
  meanTrue: number | null;
}

/**
 * Ten equal groups by predicted uplift, highest first, with observed and (when known) true uplift.
 *
 * @example
 * upliftDeciles(predicted, y, t, truth)[0].observedUplift; // the treatment effect among the top tenth
 */
export function upliftDeciles(scores: ArrayLike<number>, y: ArrayLike<number>, t: ArrayLike<number>, truth?: ArrayLike<number>, groups = 10): UpliftDecile[] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const n = order.length;
  return Array.from({ length: groups }, (_, g) => {
    const members = order.slice(Math.round((g * n) / groups), Math.round(((g + 1) * n) / groups));
    let treated = 0;
    let control = 0;
    let tr = 0;
    let cr = 0;
    let predicted = 0;
    let trueSum = 0;
    for (const i of members) {
      predicted += scores[i]!;
      if (truth) trueSum += truth[i]!;
      if (t[i] === 1) {
        treated++;
        tr += y[i]!;
      } else {
        control++;
        cr += y[i]!;
      }
    }
    const treatedRate = treated > 0 ? tr / treated : null;
    const controlRate = control > 0 ? cr / control : null;
    return {
      decile: g + 1,
      size: members.length,
      treated,
      control,
      treatedRate,
      controlRate,
      observedUplift: treatedRate !== null && controlRate !== null ? treatedRate - controlRate : null,
      meanPredicted: members.length > 0 ? predicted / members.length : 0,
      meanTrue: truth && members.length > 0 ? trueSum / members.length : null,
    };
  });
}
