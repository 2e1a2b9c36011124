import type { EventType, Item } from '../core/types.js';

/** Maps external string ids to dense indices 0..n-1 and back. */
export interface IdMap {
  /** External id of each index. */
  readonly ids: readonly string[];
  /** Index of each external id. */
  readonly index: ReadonlyMap<string, number>;
}

/**
 * A sparse matrix in compressed sparse row form: the entries of row r are
 * `indices[indptr[r] .. indptr[r+1])` with values `data[...]`, column indices sorted ascending.
 */
export interface CsrMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly data: Float32Array;
}

/**
 * Interactions as parallel columns (one entry per user–item pair after de-duplication,
 * or per event when built with `dedupe: false`). Indices refer to the dataset's IdMaps.
 */
export interface InteractionLog {
  readonly length: number;
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** Implicit-feedback weight after event weighting and time decay. */
  readonly weight: Float32Array;
  /** Explicit rating (the event's value) where there is one, else NaN. */
  readonly rating: Float32Array;
  /** Epoch milliseconds of the (latest) event behind the entry. */
  readonly time: Float64Array;
  /** Strongest event type behind the entry. */
  readonly type: readonly EventType[];
}

/**
 * Everything a model trains on, built once from events by `buildDataset` and shared by every model.
 * User and item indices are dense; `matrix` is users × items.
 */
export interface Dataset {
  readonly users: IdMap;
  readonly items: IdMap;
  readonly log: InteractionLog;
  /** users × items, weights of `log` summed per pair. */
  readonly matrix: CsrMatrix;
  /** Per user, item indices in time order (repeats kept) with their times. */
  readonly sequences: readonly { items: Int32Array; times: Float64Array }[];
  /** Baskets: item indices bought together (events sharing an order id, or a user's purchases in one session). */
  readonly baskets: readonly Int32Array[];
  /** Catalog rows for items that have them (content model, filters), by item index. */
  readonly catalog: ReadonlyMap<number, Item>;
}
