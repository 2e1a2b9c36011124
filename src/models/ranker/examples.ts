/**
 * The ranker's training rows, built without looking past the data it is given: the training
 * data is cut by time once more, the retrievers are fitted on the earlier part, and each user
 * active in the later part (the label window) gets their candidates from those retrievers,
 * labelled by what the user then took. Earlier windows of the same length can add rows, each
 * with retrievers fitted on the data before it (and nothing after it in view).
 *
 * Labels: a candidate the user bought or put in the cart in the label window is positive. Every
 * other candidate is negative — "seen but skipped" in the sense available offline: the
 * retrievers put it in front of the user and the user did not take it. Logged impressions would
 * be the stricter negative, but datasets such as Online Retail record none. On data with neither
 * purchases nor carts (ratings, views only) any interaction in the window counts as positive.
 */
import { MagpieError } from '../../core/errors.js';
import { silentProgress, withBatchedProgress, type Progress } from '../../core/progress.js';
import type { EventType } from '../../core/types.js';
import { datasetFromLog } from '../../dataset/derive.js';
import { splitDataset } from '../../dataset/split.js';
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import type { FitOptions, Recommender } from '../recommender.js';
import { FeatureBuilder } from './features.js';
import { Standardizer } from './standardizer.js';
import { buildProfiles, DAY_MS } from './profile.js';
import type { LabelledRows } from './train.js';

/** Event types that make a candidate positive when the label window has any of them. */
const TAKEN: ReadonlySet<EventType> = new Set(['purchase', 'add_to_cart']);

/** Options of {@link buildExamples}. */
export interface ExampleOptions {
  /** Makes fresh, unfitted retrievers (one set per window, fitted on the data before it). */
  createRetrievers: () => Promise<Recommender[]>;
  perRetriever: number;
  /** Latest items per user that history-aware retrievers also score on their own (0 = none). */
  recentItems: number;
  /** Length of a label window: the last `labelDays` days of the data, and as many before it as `windows` asks. */
  labelDays: number;
  /** Number of consecutive label windows, each with its own retrievers fitted on the data before it. */
  windows: number;
  /** Share of the label window's users held out for early stopping. */
  validationShare: number;
  seed: number;
  fit: FitOptions;
  progress?: Progress;
  label: string;
}

/** Standardised training and validation rows, and how they were made. */
export interface RankerExamples {
  train: LabelledRows;
  validation: LabelledRows;
  standardizer: Standardizer;
  width: number;
  names: readonly string[];
  /** User–window pairs with a positive, and how many of them validate. */
  users: number;
  validationUsers: number;
  /** Share of the label window's positives that the candidates contain (the retrieval recall). */
  candidateRecall: number;
}

/** A growable block of labelled rows. */
class RowBuffer {
  rows: Float32Array;
  labels: Float32Array;
  count = 0;

  constructor(private readonly width: number) {
    this.rows = new Float32Array(1024 * width);
    this.labels = new Float32Array(1024);
  }

  push(rows: Float32Array, labels: Float32Array, count: number): void {
    if (this.count + count > this.labels.length) {
      let capacity = this.labels.length;
      while (capacity < this.count + count) capacity *= 2;
      const grownRows = new Float32Array(capacity * this.width);
      grownRows.set(this.rows.subarray(0, this.count * this.width));
      const grownLabels = new Float32Array(capacity);
      grownLabels.set(this.labels.subarray(0, this.count));
      this.rows = grownRows;
      this.labels = grownLabels;
    }
    this.rows.set(rows.subarray(0, count * this.width), this.count * this.width);
    this.labels.set(labels.subarray(0, count), this.count);
    this.count += count;
  }

  finish(): LabelledRows {
    return { rows: this.rows.subarray(0, this.count * this.width), labels: this.labels.subarray(0, this.count), count: this.count };
  }
}

/** Builds the labelled, standardised rows the network learns from (see the file comment). */
export async function buildExamples(data: Dataset, options: ExampleOptions): Promise<RankerExamples> {
  let latest = -Infinity;
  for (let e = 0; e < data.log.length; e++) latest = Math.max(latest, data.log.time[e]!);
  // Validation users are drawn once, so a user validates in every window or in none.
  const order = new Random(options.seed).shuffle(Int32Array.from({ length: data.matrix.rows }, (_, u) => u));
  const held = new Set(order.subarray(0, Math.round(options.validationShare * order.length)));
  let trainRows: RowBuffer | undefined;
  let validationRows: RowBuffer | undefined;
  let names: readonly string[] = [];
  const tally = { users: 0, validationUsers: 0, found: 0, total: 0 };
  for (let w = 0; w < options.windows; w++) {
    // Window w: the labelDays before the end of the data less w windows; the data after it is dropped.
    const end = latest - w * options.labelDays * DAY_MS;
    const past = w === 0 ? data : datasetFromLog(data, (e) => data.log.time[e]! < end);
    const { train: early, test: window } = splitDataset(past, { name: 'temporal', cutoff: end - options.labelDays * DAY_MS });
    const positives = positivesByUser(window);
    if (early.log.length === 0 || positives.size === 0) {
      if (w > 0) break; // the data is too short for more windows
      throw new MagpieError('invalid_input', `model ${options.label} needs interactions both before and during its label window (the last ${options.labelDays} days of the training data); found ${early.log.length} before and ${positives.size} users in it`, {
        location: { field: 'labelDays' },
        hint: 'choose labelDays shorter than the span of the data, so that users active before it come back in it',
      });
    }
    const retrievers = await options.createRetrievers();
    for (const model of retrievers) await model.fit(early, options.fit);
    const builder = new FeatureBuilder(retrievers, buildProfiles(early, options.recentItems), early.matrix, options.perRetriever);
    names = builder.names;
    trainRows ??= new RowBuffer(builder.width);
    validationRows ??= new RowBuffer(builder.width);
    labelWindow(builder, positives, held, trainRows, validationRows, tally, options.progress ?? silentProgress, `${options.label} candidates (window ${w + 1})`);
  }
  const width = names.length;
  const train = trainRows!.finish();
  const validation = validationRows!.finish();
  const standardizer = Standardizer.fit(train.rows, train.count, width);
  standardizer.apply(train.rows, train.count);
  standardizer.apply(validation.rows, validation.count);
  return { train, validation, standardizer, width, names, users: tally.users, validationUsers: tally.validationUsers, candidateRecall: tally.total > 0 ? tally.found / tally.total : 0 };
}

/** Candidates of every user with a positive in one window, labelled, into the train or validation rows. */
function labelWindow(
  builder: FeatureBuilder,
  positives: ReadonlyMap<number, ReadonlySet<number>>,
  held: ReadonlySet<number>,
  trainRows: RowBuffer,
  validationRows: RowBuffer,
  tally: { users: number; validationUsers: number; found: number; total: number },
  progress: Progress,
  label: string,
): void {
  const users = [...positives.keys()].sort((a, b) => a - b);
  const labels = new Float32Array(builder.capacity);
  withBatchedProgress(progress, label, users.length, (tick) => {
    for (const u of users) {
      const taken = positives.get(u)!;
      const candidates = builder.build({ user: u });
      for (let c = 0; c < candidates.count; c++) {
        const positive = taken.has(candidates.items[c]!);
        labels[c] = positive ? 1 : 0;
        if (positive) tally.found++;
      }
      tally.total += taken.size;
      tally.users++;
      if (held.has(u)) tally.validationUsers++;
      (held.has(u) ? validationRows : trainRows).push(candidates.rows, labels, candidates.count);
      tick();
    }
  });
}

/**
 * Per user, the items taken in the label window: bought or carted ones when the window has any
 * purchase or cart at all, else every item interacted with.
 */
function positivesByUser(window: Dataset): Map<number, Set<number>> {
  const { user, item, type, length } = window.log;
  let strict = false;
  for (let e = 0; e < length && !strict; e++) strict = TAKEN.has(type[e]!);
  const out = new Map<number, Set<number>>();
  for (let e = 0; e < length; e++) {
    if (strict && !TAKEN.has(type[e]!)) continue;
    let set = out.get(user[e]!);
    if (set === undefined) out.set(user[e]!, (set = new Set()));
    set.add(item[e]!);
  }
  return out;
}
