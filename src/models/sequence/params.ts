/**
 * The hyper-parameters every sequence model (`sasrec`, `gru4rec`) shares: input window,
 * width, the training loop and its loss. Each model adds its own (blocks, heads, …).
 */

/** Losses over one positive and the batch's shared sampled negatives (see losses.ts). */
export const SEQUENCE_LOSSES = ['sampled-softmax', 'bce', 'gbce', 'bpr-max'] as const;

/** A loss name. */
export type SequenceLoss = (typeof SEQUENCE_LOSSES)[number];

/** Param specs shared by the sequence models; spread into each model's table. */
export const SEQUENCE_PARAMS = {
  maxLength: { type: 'number', default: 50, min: 2, max: 1000, integer: true, doc: 'items of history the model reads (the most recent ones)' },
  width: { type: 'number', default: 64, min: 2, max: 1024, integer: true, doc: 'embedding and hidden width' },
  dropout: { type: 'number', default: 0.2, min: 0, max: 0.9, doc: 'dropout rate while training' },
  learningRate: { type: 'number', default: 0.01, min: 1e-6, max: 1, doc: 'Adam step size' },
  batchSize: { type: 'number', default: 128, min: 1, max: 65536, integer: true, doc: 'training windows per step' },
  epochs: { type: 'number', default: 200, min: 1, max: 100000, integer: true, doc: 'most passes over the training windows (early stopping usually ends sooner)' },
  patience: {
    type: 'number',
    default: 4,
    min: 0,
    integer: true,
    doc: 'stop after this many epochs without a better validation nDCG@10, keeping the best weights (0 = train all epochs)',
  },
  validationUsers: {
    type: 'number',
    default: 2000,
    min: 0,
    integer: true,
    doc: 'users whose last item is held out to pick the epoch (0 = no validation, train all epochs)',
  },
  negatives: {
    type: 'number',
    default: 2048,
    min: 1,
    integer: true,
    doc: 'items sampled per batch as negatives for every position (≥ catalogue size: all items, an exact softmax)',
  },
  loss: { type: 'choice', default: 'sampled-softmax', choices: SEQUENCE_LOSSES, doc: 'training loss over the positive and the sampled negatives' },
  gbceT: { type: 'number', default: 0.75, min: 0, max: 1, doc: 'calibration t of the gBCE loss (gSASRec); 0 gives plain BCE' },
  bprMaxReg: { type: 'number', default: 1, min: 0, doc: 'score regularisation λ of the BPR-max loss' },
} as const;

/** The resolved shared params, as the training loop reads them. */
export interface SequenceTrainingParams {
  maxLength: number;
  width: number;
  dropout: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  patience: number;
  validationUsers: number;
  negatives: number;
  loss: SequenceLoss;
  gbceT: number;
  bprMaxReg: number;
}
