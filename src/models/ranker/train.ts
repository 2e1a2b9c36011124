/**
 * Fits the ranker's network: binary cross-entropy on labelled candidate rows, Adam, an L2 penalty
 * on the weight matrices, dropout, and early stopping on the validation rows' AUC that keeps the
 * best epoch's weights (through the shared epoch loop of `../training.ts`). Initialisation, row order and dropout masks come from streams derived from
 * the seed, and the engine runs on one thread, so a seed fixes the result.
 */
import { MagpieError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import { logLoss, rocAuc } from '../../eval/classification.js';
import type { Engine, Scalar, Tensor2D, Variable } from '../../math/engine.js';
import { Random } from '../../math/random.js';
import { Dropout } from '../sequence/layers.js';
import type { Weights } from '../sequence/weights.js';
import { trainWithEarlyStopping, type EpochContext } from '../training.js';
import { ensembleLogits, mlpForward, mlpMatrices, MlpScratch, mlpSpecs, type MlpShape } from './network.js';

type Tf = Engine['tf'];

/** Labelled rows: `count` standardised feature rows of `width` and a 0/1 label each. */
export interface LabelledRows {
  rows: Float32Array;
  labels: Float32Array;
  count: number;
}

/** The training loop's settings. */
export interface MlpTrainingParams {
  dropout: number;
  learningRate: number;
  l2: number;
  batchSize: number;
  epochs: number;
  patience: number;
}

/** The validation rows' figures after an epoch: early stopping follows the AUC. */
interface ValidationFigures {
  auc: number;
  logLoss: number;
}

/** One epoch's figures. */
export interface RankerEpoch {
  epoch: number;
  /** Mean training loss (cross-entropy plus the L2 term) over the epoch's batches. */
  loss: number;
  /** AUC and log loss of the validation rows after the epoch (absent without validation rows). */
  auc?: number;
  logLoss?: number;
  seconds: number;
}

/** What a fit did. */
export interface RankerTrainingReport {
  /** The first network's epochs. */
  epochs: RankerEpoch[];
  /** The epoch whose weights the first network kept (the last one without validation). */
  bestEpoch: number;
  /** Every network's kept epoch and its validation AUC alone (absent without validation rows). */
  networks: { bestEpoch: number; epochsRun: number; auc?: number }[];
  /** AUC and log loss of the validation rows under the whole ensemble (absent without validation rows). */
  validationAuc?: number;
  validationLogLoss?: number;
  trainRows: number;
  trainPositives: number;
  validationRows: number;
  validationPositives: number;
  seconds: number;
}

/** Seed offsets of the streams the loop draws from. */
const SHUFFLE_SEED = 1;
const DROPOUT_SEED = 2;
/** Rows per forward pass when scoring validation rows. */
const SCORE_CHUNK = 8192;

/** Seed distance between the networks of an ensemble (the first uses the fit's seed itself). */
const NETWORK_SEED_STRIDE = 7919;

/**
 * Fits `count` networks of `shape` on the same rows from different seeds (each early-stopping on
 * `validation`'s AUC) and reports the validation figures of their averaged logits.
 */
export async function trainEnsemble(
  shape: MlpShape,
  train: LabelledRows,
  validation: LabelledRows,
  params: MlpTrainingParams,
  count: number,
  options: { seed: number; progress?: Progress; label: string },
): Promise<{ networks: Weights[]; report: RankerTrainingReport }> {
  const networks: Weights[] = [];
  let first: RankerTrainingReport | undefined;
  const summaries: RankerTrainingReport['networks'] = [];
  let seconds = 0;
  for (let k = 0; k < count; k++) {
    const label = count === 1 ? options.label : `${options.label} network ${k + 1}/${count}`;
    const trained = await trainMlp(shape, train, validation, params, { ...options, seed: options.seed + k * NETWORK_SEED_STRIDE, label });
    networks.push(trained.weights);
    first ??= trained.report;
    // trainMlp reports its one network's kept epoch and AUC.
    summaries.push(...trained.report.networks);
    seconds += trained.report.seconds;
  }
  const report: RankerTrainingReport = { ...first!, networks: summaries, seconds };
  // One network's figures are its best epoch's, already measured by trainMlp.
  if (count > 1 && first!.validationAuc !== undefined) {
    const probabilities = ensembleProbabilities(shape, networks, validation);
    report.validationAuc = rocAuc(probabilities, validation.labels);
    report.validationLogLoss = logLoss(probabilities, validation.labels);
  }
  return { networks, report };
}

/** Probabilities of every row of `set` under the networks' averaged logits (TypeScript, no engine). */
export function ensembleProbabilities(shape: MlpShape, networks: readonly Weights[], set: LabelledRows): Float32Array {
  const out = new Float32Array(set.count);
  const chunk = Math.min(SCORE_CHUNK, Math.max(1, set.count));
  const buffers = { scratch: new MlpScratch(shape, chunk), partial: new Float32Array(chunk) };
  for (let start = 0; start < set.count; start += chunk) {
    const rows = Math.min(chunk, set.count - start);
    ensembleLogits(shape, networks, set.rows.subarray(start * shape.inputs, (start + rows) * shape.inputs), rows, buffers, out.subarray(start, start + rows));
  }
  for (let r = 0; r < set.count; r++) out[r] = 1 / (1 + Math.exp(-out[r]!));
  return out;
}

/** Fits an MLP of `shape` on `train`, early-stopping on `validation`'s AUC; returns the kept weights. */
export async function trainMlp(
  shape: MlpShape,
  train: LabelledRows,
  validation: LabelledRows,
  params: MlpTrainingParams,
  options: { seed: number; progress?: Progress; label: string },
): Promise<{ weights: Weights; report: RankerTrainingReport }> {
  const positives = countPositives(train);
  if (train.count === 0 || positives === 0 || positives === train.count) {
    throw new MagpieError('invalid_input', `model ${options.label} found ${positives} positive and ${train.count - positives} negative candidates to learn from; it needs both`, {
      hint: 'train on more data, or widen the label window (labelDays) so that users take some of their candidates',
    });
  }
  const width = shape.inputs;
  const batchRows = new Float32Array(params.batchSize * width);
  const batchLabels = new Float32Array(params.batchSize);
  const dropout = new Dropout(params.dropout, options.seed + DROPOUT_SEED);
  const shuffler = new Random(options.seed + SHUFFLE_SEED);
  const order = Int32Array.from({ length: train.count }, (_, r) => r);
  const validationPositives = countPositives(validation);
  const validating = validation.count > 0 && validationPositives > 0 && validationPositives < validation.count;
  const trained = await trainWithEarlyStopping<ValidationFigures>({
    specs: mlpSpecs(shape),
    seed: options.seed,
    params,
    label: options.label,
    ...(options.progress ? { progress: options.progress } : {}),
    epoch: ({ tf, variables, varList, optimizer }) => {
      const matrices = mlpMatrices(shape).map((name) => variables.get(name)!);
      shuffler.shuffle(order);
      let lossTotal = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += params.batchSize) {
        const rows = Math.min(params.batchSize, order.length - start);
        for (let b = 0; b < rows; b++) {
          const r = order[start + b]!;
          batchRows.set(train.rows.subarray(r * width, (r + 1) * width), b * width);
          batchLabels[b] = train.labels[r]!;
        }
        lossTotal += step(tf, shape, variables, varList, matrices, optimizer, dropout, params.l2, batchRows.subarray(0, rows * width), batchLabels.subarray(0, rows), rows);
        batches++;
      }
      return lossTotal / batches;
    },
    ...(validating
      ? {
          validation: {
            label: 'auc',
            measure: (tf, variables) => {
              const probabilities = predict(tf, shape, variables, validation, dropout);
              return { auc: rocAuc(probabilities, validation.labels), logLoss: logLoss(probabilities, validation.labels) };
            },
            score: (figures) => figures.auc,
          },
        }
      : {}),
  });
  const epochs = trained.report.epochs.map(({ epoch, loss, seconds, validation: figures }) => ({ epoch, loss, seconds, ...figures }));
  const best = epochs[trained.report.bestEpoch - 1];
  const report: RankerTrainingReport = {
    epochs,
    bestEpoch: trained.report.bestEpoch,
    networks: [{ bestEpoch: trained.report.bestEpoch, epochsRun: epochs.length, ...(best?.auc === undefined ? {} : { auc: best.auc }) }],
    ...(best?.auc === undefined ? {} : { validationAuc: best.auc, validationLogLoss: best.logLoss! }),
    trainRows: train.count,
    trainPositives: positives,
    validationRows: validation.count,
    validationPositives,
    seconds: trained.report.seconds,
  };
  return { weights: trained.weights, report };
}

function countPositives(set: LabelledRows): number {
  let n = 0;
  for (let r = 0; r < set.count; r++) if (set.labels[r] === 1) n++;
  return n;
}

/** One Adam step on a batch; returns its loss. */
function step(
  tf: Tf,
  shape: MlpShape,
  variables: ReadonlyMap<string, Variable>,
  varList: Variable[],
  matrices: Variable[],
  optimizer: EpochContext['optimizer'],
  dropout: Dropout,
  l2: number,
  rows: Float32Array,
  labels: Float32Array,
  count: number,
): number {
  return tf.tidy(() => {
    const x = tf.tensor2d(rows, [count, shape.inputs]);
    const y = tf.tensor2d(labels, [count, 1]);
    const cost = optimizer.minimize(
      () => {
        const logits = mlpForward(tf, shape, variables, x, dropout, true);
        // Cross-entropy from logits: y·softplus(−z) + (1 − y)·softplus(z) = softplus(z) − z·y.
        const bce = tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, y)));
        if (l2 === 0) return bce as Scalar;
        const penalty = matrices.reduce<Scalar>((sum, w) => tf.add(sum, tf.sum(tf.square(w))), tf.scalar(0));
        return tf.add(bce, tf.mul(penalty, l2)) as Scalar;
      },
      true,
      varList,
    );
    return cost!.dataSync()[0]!;
  });
}

/** Probabilities of every row of `set` with the current weights (no dropout). */
function predict(tf: Tf, shape: MlpShape, variables: ReadonlyMap<string, Variable>, set: LabelledRows, dropout: Dropout): Float32Array {
  const out = new Float32Array(set.count);
  for (let start = 0; start < set.count; start += SCORE_CHUNK) {
    const rows = Math.min(SCORE_CHUNK, set.count - start);
    const values = tf.tidy(() => {
      const x = tf.tensor2d(set.rows.subarray(start * shape.inputs, (start + rows) * shape.inputs), [rows, shape.inputs]) as Tensor2D;
      return tf.sigmoid(mlpForward(tf, shape, variables, x, dropout, false)).dataSync() as Float32Array;
    });
    out.set(values, start);
  }
  return out;
}
