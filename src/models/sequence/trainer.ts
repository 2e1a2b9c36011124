/**
 * The training loop shared by the sequence models: shuffled windows in batches, sampled
 * negatives, Adam, one validation pass per epoch, early stopping that keeps the best epoch's
 * weights, on the validation nDCG@10 (through the shared epoch loop of `../training.ts`). Every
 * random choice (initialisation, order, negatives, dropout) comes from streams derived from the fit
 * seed, and the engine runs on one thread, so a seed fixes the result.
 */
import { MagpieError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { Engine, Scalar, Tensor1D, Tensor2D, Variable } from '../../math/engine.js';
import { Random } from '../../math/random.js';
import { trainWithEarlyStopping, type EarlyStoppingReport, type EpochContext } from '../training.js';
import { PAD, type SequenceTrainingSet } from './examples.js';
import { sequenceLoss } from './losses.js';
import { NegativeSampler } from './negatives.js';
import { packBatch, type SequenceNetwork } from './network.js';
import type { SequenceTrainingParams } from './params.js';
import { ndcgValidation, validate, type ValidationScore } from './validation.js';
import type { Weights } from './weights.js';

type Tf = Engine['tf'];
type Optimizer = EpochContext['optimizer'];

/** What a fit did: per-epoch figures (validation nDCG@10 and hit@10), which epoch's weights were kept, and what it trained on. */
export interface TrainingReport extends EarlyStoppingReport<ValidationScore> {
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
    ...(set.validation.count > 0 ? { validation: ndcgValidation((tf, variables) => validate(tf, network, variables, set.validation, validationOptions)) } : {}),
  });
  return { weights: trained.weights, report: { ...trained.report, windows: set.windowCount, validationUsers: set.validation.count } };
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
