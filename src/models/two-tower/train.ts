/**
 * Fitting the two towers: batches of rows (a user's context and a few held-out target items),
 * each target scored against the batch's shared sampled negatives (the whole catalogue when it is small: an exact softmax) with
 * the sequence models' losses, Adam and early stopping on held-out last items through the shared
 * epoch loop. The item tower runs once per step over just the items the step touches.
 */
import { MagpieError } from '../../core/errors.js';
import type { Progress } from '../../core/progress.js';
import type { Engine, Scalar, Variable } from '../../math/engine.js';
import { Random } from '../../math/random.js';
import { PAD, type SequenceTrainingSet, type ValidationSet } from '../sequence/examples.js';
import { sequenceLoss, type LossOptions } from '../sequence/losses.js';
import { NegativeSampler } from '../sequence/negatives.js';
import type { SequenceLoss } from '../sequence/params.js';
import type { TrainingReport } from '../sequence/trainer.js';
import { ndcgValidation, rankHeldOut, type ValidationScore } from '../sequence/validation.js';
import type { Weights } from '../sequence/weights.js';
import { trainWithEarlyStopping, type EpochContext } from '../training.js';
import { distinctRecent, epochRows, packContexts, userBags, type EpochRows } from './examples.js';
import type { FeatureTable } from './features.js';
import { itemBatch, type TwoTowerNetwork } from './network.js';

type Tf = Engine['tf'];

/** The params the training reads. */
export interface TwoTowerTrainingParams {
  maxLength: number;
  idDropout: number;
  targetsPerRow: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  patience: number;
  negatives: number;
  loss: SequenceLoss;
  gbceT: number;
  bprMaxReg: number;
}

/** What a fit did: per-epoch figures, the kept epoch, and how much it trained on. */
export type TwoTowerReport = Omit<TrainingReport, 'windows'> & { examples: number };

/** Validation users scored per engine call. */
const VALIDATION_BATCH = 256;

/** Fits `network` on the pairs of `set`'s training paths; returns the kept weights and the report. */
export async function trainTwoTower(
  network: TwoTowerNetwork,
  set: SequenceTrainingSet,
  table: FeatureTable,
  options: { params: TwoTowerTrainingParams; seed: number; label: string; progress?: Progress },
): Promise<{ weights: Weights; report: TwoTowerReport }> {
  const { params, seed } = options;
  const items = set.known.length;
  const bags = userBags(set.paths, items);
  if (bags.items.length === 0) {
    throw new MagpieError('invalid_input', `model ${options.label} needs interactions to train on; the data has none`, {
      hint: 'train on a dataset with events (views, carts, purchases, ratings)',
    });
  }
  const sampler = new NegativeSampler(set.known, params.negatives, seed + 1);
  const shuffler = new Random(seed + 2);
  const idDropper = new Random(seed + 4);
  const slot = new Int32Array(items).fill(-1);
  const lossOptions: LossOptions = { kind: params.loss, catalogue: set.known.reduce((a, b) => a + b, 0), gbceT: params.gbceT, bprMaxReg: params.bprMaxReg };
  const rowsPerStep = Math.max(1, Math.round(params.batchSize / params.targetsPerRow));
  const step = (context: EpochContext, rows: EpochRows, first: number, count: number): number => {
    const contexts = packContexts(bags, rows, first, count, params.maxLength);
    const targets = rows.targets.slice(rows.targetOffsets[first]!, rows.targetOffsets[first + count]!);
    // Each target is scored against the user vector of its row.
    const rowOfTarget = new Int32Array(targets.length);
    for (let r = 0; r < count; r++) rowOfTarget.fill(r, rows.targetOffsets[first + r]! - rows.targetOffsets[first]!, rows.targetOffsets[first + r + 1]! - rows.targetOffsets[first]!);
    const negatives = sampler.draw();
    const hitColumns = sampler.hits(targets, negatives);
    // Negatives take the first rows of the step's item table, so their local ids are 0..k−1.
    const involved = Array.from(negatives);
    negatives.forEach((item, j) => (slot[item] = j));
    const local = (item: number): number => {
      if (slot[item]! < 0) {
        slot[item] = involved.length;
        involved.push(item);
      }
      return slot[item]!;
    };
    const localTargets = Int32Array.from(targets, local);
    const localContexts = Int32Array.from(contexts, (item) => (item === PAD ? -1 : local(item)));
    for (const item of involved) slot[item] = -1;
    const ids = Int32Array.from(involved);
    const idMask = Float32Array.from(ids, (item) => (set.known[item] === 1 && idDropper.nextFloat() >= params.idDropout ? 1 : 0));
    const itemsIn = itemBatch(ids, idMask, table);
    const { tf, variables, varList, optimizer } = context;
    return tf.tidy(() => {
      const targetsT = tf.tensor1d(localTargets, 'int32');
      const negativesT = tf.range(0, negatives.length, 1, 'int32');
      const rowOfTargetT = tf.tensor1d(rowOfTarget, 'int32');
      const cost = optimizer.minimize(
        () => {
          const x = network.inputs(tf, variables, itemsIn);
          const { vectors, prior } = network.itemTower(tf, variables, x, true);
          const users = network.userTower(tf, variables, x, localContexts, count, true);
          const hidden = tf.gather(users, rowOfTargetT);
          const inputs = { hidden, table: vectors, bias: prior, targets: targetsT, negatives: negativesT, hitColumns, exhaustive: sampler.exhaustive };
          return sequenceLoss(tf, inputs, lossOptions) as Scalar;
        },
        true,
        varList,
      );
      return cost!.dataSync()[0]!;
    });
  };

  const excluded = new Int32Array(items).fill(-1);
  const trained = await trainWithEarlyStopping({
    specs: network.specs,
    seed,
    params,
    label: options.label,
    ...(options.progress ? { progress: options.progress } : {}),
    epoch: (context) => {
      const rows = epochRows(bags, params.targetsPerRow, shuffler);
      let total = 0;
      let batches = 0;
      for (let first = 0; first < rows.count; first += rowsPerStep) {
        total += step(context, rows, first, Math.min(rowsPerStep, rows.count - first));
        batches++;
      }
      return total / batches;
    },
    ...(set.validation.count > 0
      ? { validation: ndcgValidation((tf, variables) => validateTwoTower(tf, network, variables, set.validation, table, set.known, params.maxLength, excluded)) }
      : {}),
  });
  return { weights: trained.weights, report: { ...trained.report, examples: bags.items.length, validationUsers: set.validation.count } };
}

/**
 * nDCG@10 and hit@10 of the held-out items: every item through the item tower once, the
 * validation users' recent distinct items through the user tower, then the targets' ranks.
 */
function validateTwoTower(
  tf: Tf,
  network: TwoTowerNetwork,
  variables: ReadonlyMap<string, Variable>,
  set: ValidationSet,
  table: FeatureTable,
  known: Uint8Array,
  maxLength: number,
  excluded: Int32Array,
): ValidationScore {
  const items = known.length;
  const all = Int32Array.from({ length: items }, (_, i) => i);
  const idMask = Float32Array.from(known);
  let ndcg = 0;
  let hit = 0;
  tf.tidy(() => {
    const x = network.inputs(tf, variables, itemBatch(all, idMask, table));
    const { vectors, prior } = network.itemTower(tf, variables, x, false);
    for (let start = 0; start < set.count; start += VALIDATION_BATCH) {
      const rows = Math.min(VALIDATION_BATCH, set.count - start);
      const contexts = new Int32Array(rows * maxLength).fill(-1);
      for (let r = 0; r < rows; r++) contexts.set(distinctRecent(set.inputs.subarray((start + r) * maxLength, (start + r + 1) * maxLength), items, maxLength), r * maxLength);
      const scores = tf.tidy(() => {
        const users = network.userTower(tf, variables, x, contexts, rows, false);
        return tf.add(tf.matMul(users, vectors, false, true), prior).dataSync() as Float32Array;
      });
      const sums = rankHeldOut(scores, rows, start, set, known, excluded);
      ndcg += sums.ndcg;
      hit += sums.hit;
    }
  });
  return { ndcg: ndcg / set.count, hit: hit / set.count };
}
