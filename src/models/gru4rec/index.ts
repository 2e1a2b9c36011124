/**
 * `gru4rec`: session-based recommendation with a recurrent network (Hidasi et al., ICLR 2016;
 * the sampled losses of Hidasi & Karatzoglou, CIKM 2018) — a GRU reads the recent items and its
 * state is scored against the item embeddings. Same training loop, data and serving as
 * `sasrec` (src/models/sequence/), a recurrent instead of an attention network.
 */
import { Dropout } from '../sequence/layers.js';
import type { SequenceNetwork } from '../sequence/network.js';
import { SEQUENCE_PARAMS, type SequenceTrainingParams } from '../sequence/params.js';
import { SequenceRecommender } from '../sequence/recommender-base.js';
import { Gru4recScratch, gru4recEncode } from './inference.js';
import { Gru4recNetwork, type Gru4recShape } from './network.js';

/** The params of `gru4rec` (the shared sequence params; `width` is the GRU's state size). */
export const GRU4REC_PARAMS = { ...SEQUENCE_PARAMS } as const;

/**
 * A GRU4Rec model. `recommend({ history })` serves an anonymous session from its events alone;
 * `recommend({ user })` reads the user's training sequence (its state is cached).
 *
 * @example
 * const model = new Gru4rec({ loss: 'bpr-max', negatives: 128 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ history: [12, 40, 7] }, { n: 10, exclude: new Set([12, 40, 7]) });
 */
export class Gru4rec extends SequenceRecommender<typeof GRU4REC_PARAMS> {
  private buffers: Gru4recScratch | undefined;

  /** Creates an unfitted model; unknown or ill-typed params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('gru4rec', GRU4REC_PARAMS, params);
  }

  protected trainingParams(): SequenceTrainingParams {
    return this.current;
  }

  protected makeNetwork(items: number, dropoutSeed: number): SequenceNetwork {
    return new Gru4recNetwork(this.shape(items), new Dropout(this.current.dropout, dropoutSeed));
  }

  protected encode(path: readonly number[], out: Float32Array): void {
    const shape = this.shape(this.itemCount);
    if (this.buffers?.inputs.length !== shape.maxLength * shape.width) this.buffers = new Gru4recScratch(shape);
    gru4recEncode(shape, this.weights, path, this.buffers, out);
  }

  private shape(items: number): Gru4recShape {
    return { items, maxLength: this.current.maxLength, width: this.current.width };
  }
}
