/**
 * The ranker's training rows, built without looking past the data it is given: the training
 * data is cut by time once more, the retrievers are fitted on the earlier part, and each user
 * active in the later part (the label window) gets their candidates from those retrievers,
 * labelled by what the user then took.
 *
 * Labels: a candidate the user bought or put in the cart in the label window is positive. Every
 * other candidate is negative — "seen but skipped" in the sense available offline: the
 * retrievers put it in front of the user and the user did not take it. Logged impressions would
 * be the stricter negative, but datasets such as Online Retail record none. On data with neither
 * purchases nor carts (ratings, views only) any interaction in the window counts as positive.
 */
import { MagpieError } from '../../core/errors.js';
import { silentProgress, type Progress } from '../../core/progress.js';
import type { EventType } from '../../core/types.js';
import { splitDataset } from '../../dataset/split.js';
import type { Dataset } from '../../dataset/types.js';
import { Random } from '../../math/random.js';
import type { FitOptions, Recommender } from '../recommender.js';
import { FeatureBuilder, Standardizer } from './features.js';
import { buildProfiles } from './profile.js';
import type { LabelledRows } from './train.js';

/** Event types that make a candidate positive when the label window has any of them. */
const TAKEN: ReadonlySet<EventType> = new Set(['purchase', 'add_to_cart']);

/** Options of {@link buildExamples}. */
export interface ExampleOptions {
  /** Fresh, unfitted retrievers, fitted here on the data before the label window. */
  retrievers: Recommender[];
  perRetriever: number;
  /** Latest items per user that history-aware retrievers also score on their own (0 = none). */
  recentItems: number;
  /** Length of the label window: the last `labelDays` days of the data. */
  labelDays: number;
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
  /** Users with a positive in the label window, and how many of them validate. */
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
  const { train: early, test: window } = splitDataset(data, { name: 'temporal', testDays: options.labelDays });
  const positives = positivesByUser(window);
  const users = [...positives.keys()].sort((a, b) => a - b);
  if (early.log.length === 0 || users.length === 0) {
    throw new MagpieError('invalid_input', `model ${options.label} needs interactions both before and during its label window (the last ${options.labelDays} days of the training data); found ${early.log.length} before and ${users.length} users in it`, {
      location: { field: 'labelDays' },
      hint: 'choose labelDays shorter than the span of the data, so that users active before it come back in it',
    });
  }
  for (const model of options.retrievers) await model.fit(early, options.fit);
  const builder = new FeatureBuilder(options.retrievers, buildProfiles(early, options.recentItems), early.matrix, options.perRetriever);
  const width = builder.width;

  new Random(options.seed).shuffle(users);
  const validationUsers = Math.round(options.validationShare * users.length);
  const held = new Set(users.slice(0, validationUsers));
  users.sort((a, b) => a - b);
  const trainRows = new RowBuffer(width);
  const validationRows = new RowBuffer(width);
  const labels = new Float32Array(builder.capacity);
  let found = 0;
  let total = 0;
  const progress = options.progress ?? silentProgress;
  progress.start(`${options.label} candidates`, users.length);
  try {
    let pending = 0;
    for (const u of users) {
      const taken = positives.get(u)!;
      const candidates = builder.build({ user: u });
      for (let c = 0; c < candidates.count; c++) {
        const positive = taken.has(candidates.items[c]!);
        labels[c] = positive ? 1 : 0;
        if (positive) found++;
      }
      total += taken.size;
      (held.has(u) ? validationRows : trainRows).push(candidates.rows, labels, candidates.count);
      if (++pending === 64) {
        progress.tick(pending);
        pending = 0;
      }
    }
    progress.tick(pending);
  } finally {
    progress.stop();
  }
  const train = trainRows.finish();
  const validation = validationRows.finish();
  const standardizer = Standardizer.fit(train.rows, train.count, width);
  standardizer.apply(train.rows, train.count);
  standardizer.apply(validation.rows, validation.count);
  return { train, validation, standardizer, width, names: builder.names, users: users.length, validationUsers, candidateRecall: total > 0 ? found / total : 0 };
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
