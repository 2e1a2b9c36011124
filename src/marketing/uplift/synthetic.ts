import { Random } from '../../math/random.js';
import { sigmoid, type DenseMatrix } from '../propensity/matrix.js';

/** A simulated randomised experiment with a known effect per customer. */
export interface SyntheticExperiment {
  x: DenseMatrix;
  names: string[];
  y: Uint8Array;
  t: Uint8Array;
  /** P(response | treated, x) − P(response | control, x). */
  trueUplift: Float64Array;
}

/**
 * Draws a seeded randomised experiment. Four features uniform on [−1, 1]; baseline response
 * σ(−1 + x0 + 0.5·x1); the treatment adds 0.3 where x2 > 0.2, removes 0.1 where x2 < −0.6 (the
 * "sleeping dogs"), and adds 0.05 elsewhere when x3 > 0; x1 and x0 move the baseline only.
 *
 * @example
 * const e = syntheticExperiment({ n: 5000, seed: 1 });
 * e.trueUplift; // 0.3, −0.1, 0.05 or 0 per customer (clipped at probability 0 and 1)
 */
export function syntheticExperiment(options: { n: number; seed: number; treatedShare?: number }): SyntheticExperiment {
  const { n } = options;
  const rng = new Random(options.seed);
  const share = options.treatedShare ?? 0.5;
  const d = 4;
  const values = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const t = new Uint8Array(n);
  const trueUplift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) values[i * d + j] = 2 * rng.nextFloat() - 1;
    const [x0, x1, x2, x3] = [values[i * d]!, values[i * d + 1]!, values[i * d + 2]!, values[i * d + 3]!];
    const p0 = sigmoid(-1 + x0 + 0.5 * x1);
    const effect = x2 > 0.2 ? 0.3 : x2 < -0.6 ? -0.1 : x3 > 0 ? 0.05 : 0;
    const p1 = Math.min(1, Math.max(0, p0 + effect));
    trueUplift[i] = p1 - p0;
    t[i] = rng.nextFloat() < share ? 1 : 0;
    y[i] = rng.nextFloat() < (t[i] ? p1 : p0) ? 1 : 0;
  }
  return { x: { values, n, d }, names: ['x0', 'x1', 'x2', 'x3'], y, t, trueUplift };
}
