import type { Event, Item, Order, User } from '../core/types.js';

/**
 * What a source yields for one input line: something to store, or the reason the line was
 * rejected. A line may carry several things (an event and the item and user it mentions).
 */
export interface SourceRecord {
  /** 1-based line number in the input file (the header is line 1 for CSV). */
  line: number;
  event?: Event;
  item?: Item;
  user?: User;
  order?: Order;
  /** Why the line was not stored; nothing else is set then. */
  rejected?: string;
  /** The offending value, shown beside the reason (the reason alone is what rejections are counted by). */
  detail?: string;
}

/** A readable input: the records, and how far through the file the reader is (for progress). */
export interface Source {
  /** Format name as on the command line (`online-retail`, `movielens`, …). */
  readonly format: string;
  /** Path of the main input file. */
  readonly path: string;
  /** Total bytes of the input, when known. */
  readonly totalBytes: number;
  /** Bytes of the input consumed so far. */
  bytesRead(): number;
  /** Notes for the person importing (e.g. how times were assigned). */
  readonly notes: string[];
  /** The records in batches (one per chunk of input), so per-record async overhead stays off the hot path. */
  records(): AsyncIterable<SourceRecord[]>;
  /** Items (and users) whose final form is only known at the end of the input (e.g. the modal price). */
  finalRecords?(): Iterable<SourceRecord>;
}

/** One rejected line, as shown to the user. */
export interface Rejection {
  line: number;
  reason: string;
  detail?: string;
}

/** The outcome of an import, printed by the CLI. */
export interface ImportReport {
  format: string;
  path: string;
  /** Data lines read (the header not counted). */
  rowsRead: number;
  eventsStored: number;
  /** Events already in the store (same id), e.g. from an earlier run of the same import. */
  eventsAlreadyStored: number;
  itemsStored: number;
  usersStored: number;
  ordersStored: number;
  rejected: number;
  /** Rejected lines counted per reason. */
  rejectedByReason: Record<string, number>;
  /** The first rejected lines, with line numbers. */
  firstRejections: Rejection[];
  notes: string[];
  seconds: number;
}
