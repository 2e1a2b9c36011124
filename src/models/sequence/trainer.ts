/**
 * The training loop shared by the sequence models: shuffled windows in batches, sampled
 * negatives, Adam, one validation pass per epoch, early stopping that keeps the best epoch's
 * weights. The epoch loop itself ({@link trainWithEarlyStopping}) serves other engine-trained
 * models too (`two-tower`). Every random choice (initialisation, order, negatives, dropout) comes from streams
 * derived from the fit seed, and the engine runs on one thread, so a seed fixes the result.
 */
import { MagpieError } from '../../core/errors.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import { getEngine, type Engine, type Scalar, type Tensor1D, type Tensor2D, type Variable } from '../../math/engine.js';
import { Random } from '../../math/random.js';
import { PAD, type SequenceTrainingSet } from './examples.js';
import { sequenceLoss } from './losses.js';
import { NegativeSampler } from './negatives.js';
import { packBatch, type SequenceNetwork } from './network.js';
import type { SequenceTrainingParams } from './params.js';
import { validate, type ValidationScore } from './validation.js';

type Tf = Engine['tf'];
type Optimizer = ReturnType<Tf['train']['adam']>;
import { assignVariables, initialWeights, readVariables, toVariables, type WeightSpec, type Weights } from './weights.js';

/** One epoch's figures. */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation metrics after the epoch (absent without validation users). */
  validation?: ValidationScore;
  /** Seconds since training started. */
  seconds: number;
}

/** What a fit did: per-epoch figures and which epoch's weights were kept. */
export interface TrainingReport {
  epochs: EpochRecord[];
  /** The epoch whose weights the model keeps (the last one without validation). */
  bestEpoch: number;
  best?: ValidationScore;
  /** Seconds from the start of training to the end of the best epoch. */
  secondsToBest: number;
  seconds: number;
  windows: number;
  validationUsers: number;
}

/** Options of {@link trainSequenceNetwork}. */
export interface TrainOptions {
  params: SequenceTrainingParams;
  items: number;
  seed: number;
  progress?: Progress;
  /** Model name for progress labels. */
  label: string;
}

/** Fits `network` on `set`; returns the kept weights and the report. */
export async function trainSequenceNetwork(
  network: SequenceNetwork,
  set: SequenceTrainingSet,
  options: TrainOptions,
): Promise<{ weights: Weights; report: TrainingReport }> {
  const { params, items, seed } = options;
  if (set.windowCount === 0) {
    throw new MagpieError('invalid_input', `model ${options.label} needs users with at least two items in sequence; the data has none`, {
      hint: 'train sequence models on event data with timestamps (views, carts, purchases)',
    });
  }
  const sampler = new NegativeSampler(set.known, params.negatives, seed + 1);
  const order = Int32Array.from({ length: set.windowCount }, (_, w) => w);
  const shuffler = new Random(seed + 2);
  const span = params.maxLength + 1;
  const lossOptions = { kind: params.loss, catalogue: set.known.reduce((a, b) => a + b, 0), gbceT: params.gbceT, bprMaxReg: params.bprMaxReg };
  const validationOptions = { items, known: set.known, maxLength: params.maxLength, batchSize: Math.max(params.batchSize, 256) };
  const trained = await trainWithEarlyStopping({
    specs: network.specs,
    seed,
    params,
    label: options.label,
    ...(options.progress ? { progress: options.progress } : {}),
    epoch: ({ tf, variables, varList, optimizer }) => {
      shuffler.shuffle(order);
      let lossTotal = 0;
      let batches = 0;
      for (let start = 0; start < order.length; start += params.batchSize) {
        const offsets = Array.from(order.subarray(start, Math.min(order.length, start + params.batchSize)), (w) => w * span);
        lossTotal += trainStep(tf, network, variables, varList, optimizer, sampler, set.windows, offsets, params.maxLength, items, lossOptions);
        batches++;
      }
      return lossTotal / batches;
    },
    ...(set.validation.count > 0 ? { validate: (tf: Tf, variables: ReadonlyMap<string, Variable>) => validate(tf, network, variables, set.validation, validationOptions) } : {}),
  });
  return { weights: trained.weights, report: { ...trained.report, windows: set.windowCount, validationUsers: set.validation.count } };
}

/** What {@link trainWithEarlyStopping} hands each epoch: the engine, the variables and the optimiser. */
export interface EpochContext {
  tf: Tf;
  variables: ReadonlyMap<string, Variable>;
  varList: Variable[];
  optimizer: Optimizer;
}

/** A model's training, as the generic loop of {@link trainWithEarlyStopping} drives it. */
export interface EarlyStoppingLoop {
  /** Every parameter, drawn from `seed` in declaration order. */
  specs: readonly WeightSpec[];
  seed: number;
  params: { epochs: number; patience: number; learningRate: number };
  /** Model name for progress labels and errors. */
  label: string;
  progress?: Progress;
  /** Runs one epoch's Adam steps; returns the mean training loss. */
  epoch(context: EpochContext): number;
  /** Validation metrics after an epoch; without it the loop trains every epoch and keeps the last. */
  validate?(tf: Tf, variables: ReadonlyMap<string, Variable>): ValidationScore;
}

/**
 * The epoch loop every engine-trained model shares: Adam over variables initialised from the
 * seed, progress with the loss and validation nDCG@10 per epoch, early stopping after `patience`
 * epochs without a better validation nDCG@10 (keeping the best epoch's weights), and a clear
 * error when the loss diverges before any epoch was kept.
 */
export async function trainWithEarlyStopping(loop: EarlyStoppingLoop): Promise<{ weights: Weights; report: Omit<TrainingReport, 'windows' | 'validationUsers'> }> {
  const { params } = loop;
  const { tf } = await getEngine();
  const variables = toVariables(tf, loop.specs, initialWeights(loop.specs, loop.seed));
  const varList = [...variables.values()];
  const optimizer = tf.train.adam(params.learningRate);
  const progress = loop.progress ?? silentProgress;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const report: Omit<TrainingReport, 'windows' | 'validationUsers'> = { epochs: [], bestEpoch: 0, secondsToBest: 0, seconds: 0 };
  let best: Weights | undefined;
  let stale = 0;

  progress.start(`${loop.label} train`, params.epochs);
  try {
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const record: EpochRecord = { epoch, loss: loop.epoch({ tf, variables, varList, optimizer }), seconds: 0 };
      if (!Number.isFinite(record.loss)) {
        if (best !== undefined) break;
        throw new MagpieError('invalid_input', `model ${loop.label} diverged in epoch ${epoch} (loss ${record.loss})`, {
          location: { field: 'learningRate' },
          hint: `lower learningRate (now ${params.learningRate})`,
        });
      }
      if (loop.validate) record.validation = loop.validate(tf, variables);
      record.seconds = seconds();
      report.epochs.push(record);
      progress.tick(1, { loss: record.loss.toFixed(4), ...(record.validation ? { 'ndcg@10': record.validation.ndcg.toFixed(4) } : {}) });
      // Without early stopping (no validation or patience 0) the last epoch is kept.
      const stopping = loop.validate !== undefined && params.patience > 0;
      const improved = !stopping || report.best === undefined || record.validation!.ndcg > report.best.ndcg;
      if (improved) {
        report.bestEpoch = epoch;
        report.secondsToBest = record.seconds;
        if (record.validation) report.best = record.validation;
        if (stopping) best = readVariables(variables);
        stale = 0;
      } else if (++stale >= params.patience) {
        break;
      }
      // Let timers and I/O run between epochs: a fit can take minutes.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (best !== undefined) assignVariables(tf, variables, best);
    const weights = best ?? readVariables(variables);
    report.seconds = seconds();
    return { weights, report };
  } finally {
    progress.stop();
    optimizer.dispose();
    for (const variable of varList) variable.dispose();
  }
}

/** One Adam step on the windows at `offsets`; returns the batch's loss. */
function trainStep(
  tf: Tf,
  network: SequenceNetwork,
  variables: ReadonlyMap<string, Variable>,
  varList: Variable[],
  optimizer: Optimizer,
  sampler: NegativeSampler,
  windows: Int32Array,
  offsets: number[],
  maxLength: number,
  items: number,
  lossOptions: Parameters<typeof sequenceLoss>[2],
): number {
  const batch = packBatch(windows, offsets, maxLength, items);
  // Targets are the window shifted by one; only slots with a target take part in the loss.
  const positions: number[] = [];
  const targets: number[] = [];
  offsets.forEach((from, r) => {
    for (let t = 0; t < maxLength; t++) {
      const target = windows[from + t + 1]!;
      if (target !== PAD && windows[from + t] !== PAD) {
        positions.push(r * maxLength + t);
        targets.push(target);
      }
    }
  });
  const targetIds = Int32Array.from(targets);
  const negatives = sampler.draw();
  const hitColumns = sampler.hits(targetIds, negatives);
  return tf.tidy(() => {
    const positionsT = tf.tensor1d(Int32Array.from(positions), 'int32');
    const targetsT = tf.tensor1d(targetIds, 'int32');
    const negativesT = tf.tensor1d(negatives, 'int32');
    const cost = optimizer.minimize(
      () => {
        const hidden = tf.gather(network.forward(tf, variables, batch, true), positionsT);
        return sequenceLoss(tf, { hidden, table: variables.get(network.table)! as unknown as Tensor2D, bias: variables.get(network.bias)! as unknown as Tensor1D, targets: targetsT, negatives: negativesT, hitColumns, exhaustive: sampler.exhaustive }, lossOptions) as Scalar;
      },
      true,
      varList,
    );
    return cost!.dataSync()[0]!;
  });
}
