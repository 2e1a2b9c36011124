/**
 * The epoch loop that every engine-trained model shares (the sequence models, `two-tower`,
 * `ranker`): Adam over variables drawn from the seed, one validation pass per epoch, early stopping
 * that keeps the best epoch's weights. Each model brings its own epoch of steps and its own
 * validation score; the loop only needs that a higher score is better.
 */
import { MagpieError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { getEngine, type Engine, type Variable } from '../math/engine.js';
import { assignVariables, initialWeights, readVariables, toVariables, type WeightSpec, type Weights } from './sequence/weights.js';

type Tf = Engine['tf'];

/** One epoch's figures, with the validation figures of type `V`. */
export interface EpochRecord<V> {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation figures after the epoch (absent without validation). */
  validation?: V;
  /** Seconds since training started. */
  seconds: number;
}

/** What {@link trainWithEarlyStopping} did: per-epoch figures and which epoch's weights were kept. */
export interface EarlyStoppingReport<V> {
  epochs: EpochRecord<V>[];
  /** The epoch whose weights the model keeps (the last one without validation). */
  bestEpoch: number;
  /** The kept epoch's validation figures. */
  best?: V;
  /** Seconds from the start of training to the end of the best epoch. */
  secondsToBest: number;
  seconds: number;
}

/** What {@link trainWithEarlyStopping} hands each epoch: the engine, the variables and the optimiser. */
export interface EpochContext {
  tf: Tf;
  variables: ReadonlyMap<string, Variable>;
  varList: Variable[];
  optimizer: ReturnType<Tf['train']['adam']>;
}

/** How a model validates after each epoch: its figures, and the score early stopping follows. */
export interface EpochValidation<V> {
  /** Name of the score in progress lines (`ndcg@10`, `auc`). */
  label: string;
  /** The validation figures with the variables as they are after an epoch. */
  measure(tf: Tf, variables: ReadonlyMap<string, Variable>): V;
  /** The score early stopping follows, out of the figures; higher is better. */
  score(figures: V): number;
}

/** A model's training, as the generic loop of {@link trainWithEarlyStopping} drives it. */
export interface EarlyStoppingLoop<V> {
  /** Every parameter, drawn from `seed` in declaration order. */
  specs: readonly WeightSpec[];
  seed: number;
  params: { epochs: number; patience: number; learningRate: number };
  /** Model name for progress labels and errors. */
  label: string;
  progress?: Progress;
  /** Runs one epoch's Adam steps; returns the mean training loss. */
  epoch(context: EpochContext): number;
  /** Validation after each epoch; without it the loop trains every epoch and keeps the last. */
  validation?: EpochValidation<V>;
}

/**
 * The epoch loop: Adam over variables initialised from the seed, progress with the loss and the
 * validation score per epoch, early stopping after `patience` epochs without a higher validation
 * score (keeping the best epoch's weights), and a clear error when the loss diverges before any
 * epoch was kept.
 *
 * @example
 * const { weights, report } = await trainWithEarlyStopping({
 *   specs, seed: 1, params: { epochs: 20, patience: 3, learningRate: 0.001 }, label: 'ranker',
 *   epoch: ({ tf, variables, varList, optimizer }) => trainOneEpoch(tf, variables, varList, optimizer),
 *   validation: { label: 'auc', measure: (tf, variables) => validationAuc(tf, variables), score: (auc) => auc },
 * });
 */
export async function trainWithEarlyStopping<V>(loop: EarlyStoppingLoop<V>): Promise<{ weights: Weights; report: EarlyStoppingReport<V> }> {
  const { params, validation } = loop;
  const { tf } = await getEngine();
  const variables = toVariables(tf, loop.specs, initialWeights(loop.specs, loop.seed));
  const varList = [...variables.values()];
  const optimizer = tf.train.adam(params.learningRate);
  const progress = loop.progress ?? silentProgress;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const report: EarlyStoppingReport<V> = { epochs: [], bestEpoch: 0, secondsToBest: 0, seconds: 0 };
  // Without early stopping (no validation or patience 0) the last epoch is kept.
  const stopping = validation !== undefined && params.patience > 0;
  let best: Weights | undefined;
  let bestScore: number | undefined;
  let stale = 0;

  progress.start(`${loop.label} train`, params.epochs);
  try {
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const record: EpochRecord<V> = { epoch, loss: loop.epoch({ tf, variables, varList, optimizer }), seconds: 0 };
      if (!Number.isFinite(record.loss)) {
        if (best !== undefined) break;
        throw new MagpieError('invalid_input', `model ${loop.label} diverged in epoch ${epoch} (loss ${record.loss})`, {
          location: { field: 'learningRate' },
          hint: `lower learningRate (now ${params.learningRate})`,
        });
      }
      const score = validation === undefined ? undefined : validation.score((record.validation = validation.measure(tf, variables)));
      record.seconds = seconds();
      report.epochs.push(record);
      progress.tick(1, { loss: record.loss.toFixed(4), ...(score === undefined ? {} : { [validation!.label]: score.toFixed(4) }) });
      const improved = !stopping || bestScore === undefined || score! > bestScore;
      if (improved) {
        report.bestEpoch = epoch;
        report.secondsToBest = record.seconds;
        if (record.validation !== undefined) report.best = record.validation;
        if (stopping) {
          bestScore = score;
          best = readVariables(variables);
        }
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
