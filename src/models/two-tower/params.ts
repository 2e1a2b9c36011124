/**
 * The params of `two-tower`: the sequence models' training params (window, width, dropout,
 * Adam, early stopping, negatives, loss) with defaults suited to a retriever, plus the item
 * features and the nearest-neighbour index.
 */
import { SEQUENCE_PARAMS } from '../sequence/params.js';

/** The params of `two-tower`. */
export const TWO_TOWER_PARAMS = {
  ...SEQUENCE_PARAMS,
  maxLength: { ...SEQUENCE_PARAMS.maxLength, doc: 'recent distinct items the user tower reads' },
  dropout: { ...SEQUENCE_PARAMS.dropout, default: 0.1, doc: "dropout rate of the towers' hidden layers while training" },
  learningRate: { ...SEQUENCE_PARAMS.learningRate, default: 0.01 },
  batchSize: { ...SEQUENCE_PARAMS.batchSize, default: 1024, doc: 'target items per step' },
  targetsPerRow: {
    type: 'number',
    default: 8,
    min: 1,
    max: 1000,
    integer: true,
    doc: "a user's items held out together as one row's targets, the rest their context (more: fewer user-tower passes per epoch)",
  },
  negatives: { ...SEQUENCE_PARAMS.negatives, doc: 'items sampled per step as negatives for every pair (≥ catalogue size: all items, an exact softmax)' },
  idDropout: {
    type: 'number',
    default: 0.3,
    min: 0,
    max: 1,
    doc: "share of items whose id embedding is left out in each training step, so the item's text, category, brand and price learn to place it alone (cold start)",
  },
  vocabulary: { type: 'number', default: 20000, min: 0, integer: true, doc: 'most feature terms (words, categories, brands) kept, the most frequent' },
  minCount: { type: 'number', default: 2, min: 1, integer: true, doc: 'feature terms on fewer items are dropped' },
  maxWords: { type: 'number', default: 24, min: 0, max: 1000, integer: true, doc: 'most words read per item, title first' },
  priceBuckets: { type: 'number', default: 10, min: 0, max: 1000, integer: true, doc: 'price buckets by quantile (0: price not used)' },
  ann: {
    type: 'choice',
    default: 'auto',
    choices: ['auto', 'exact', 'hnsw'],
    doc: 'top-n search: exact scoring of every item, an HNSW index (hnswlib-node), or auto (HNSW from 20,000 items)',
  },
  annM: { type: 'number', default: 16, min: 2, max: 128, integer: true, doc: 'HNSW links per node' },
  annEf: { type: 'number', default: 100, min: 1, max: 10000, integer: true, doc: 'HNSW candidate list while searching (higher: better recall, slower)' },
} as const;
