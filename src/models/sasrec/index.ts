/**
 * `sasrec`: self-attentive sequential recommendation (Kang & McAuley, ICDM 2018) — a causal
 * Transformer over the user's recent items that predicts the next one. Trained with Adam on
 * every position of the users' sequences against sampled negatives, with early stopping on the
 * held-out last items; served by one forward pass of the query's recent items in TypeScript.
 */
import { SequenceRecommender } from '../sequence/recommender-base.js';
import { SEQUENCE_PARAMS, type SequenceTrainingParams } from '../sequence/params.js';
import { Dropout } from '../sequence/layers.js';
import type { SequenceNetwork } from '../sequence/network.js';
import { SasrecScratch, sasrecEncode } from './inference.js';
import { SasrecNetwork, type SasrecShape } from './network.js';

/** The params of `sasrec`. */
export const SASREC_PARAMS = {
  ...SEQUENCE_PARAMS,
  blocks: { type: 'number', default: 2, min: 1, max: 12, integer: true, doc: 'Transformer blocks' },
  heads: { type: 'number', default: 1, min: 1, max: 16, integer: true, doc: 'attention heads per block (must divide width)' },
} as const;

/**
 * A SASRec model. `recommend({ history })` serves an anonymous session from its events alone;
 * `recommend({ user })` reads the user's training sequence (its output vector is cached).
 *
 * @example
 * const model = new Sasrec({ epochs: 50, blocks: 2, heads: 1 });
 * await model.fit(dataset, { seed: 1 });
 * model.recommend({ history: [12, 40, 7] }, { n: 10, exclude: new Set([12, 40, 7]) });
 */
export class Sasrec extends SequenceRecommender<typeof SASREC_PARAMS> {
  private buffers: SasrecScratch | undefined;

  /** Creates an unfitted model; unknown, ill-typed or ill-fitting params throw MagpieError('invalid_input'). */
  constructor(params: Readonly<Record<string, unknown>> = {}) {
    super('sasrec', SASREC_PARAMS, params);
    SequenceRecommender.requireDivisible('sasrec', this.current.width, this.current.heads, 'heads');
  }

  protected trainingParams(): SequenceTrainingParams {
    return this.current;
  }

  protected makeNetwork(items: number, dropoutSeed: number): SequenceNetwork {
    return new SasrecNetwork(this.shape(items), new Dropout(this.current.dropout, dropoutSeed));
  }

  protected encode(path: readonly number[], out: Float32Array): void {
    const shape = this.shape(this.itemCount);
    if (this.buffers?.x.length !== shape.maxLength * shape.width) this.buffers = new SasrecScratch(shape);
    sasrecEncode(shape, this.weights, path, this.buffers, out);
  }

  private shape(items: number): SasrecShape {
    const p = this.current;
    return { items, maxLength: p.maxLength, width: p.width, blocks: p.blocks, heads: p.heads };
  }
}
