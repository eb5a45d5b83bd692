import type { RawJson } from '../decode/index.js';
import type { SetAsideReason } from '../errors.js';

/** One record as a source hands it over. */
export interface SourceRecord {
  readonly key: RawJson;
  /** Null or empty for a tombstone. */
  readonly value: RawJson;
  /** Topic, stream or subject; null when the transport does not say (HTTP). */
  readonly topic: string | null;
  /** Where the record sits in its source (`line 12`, `1700000000000-0`, `partition 3 offset 41`), for dead letters and logs. */
  readonly offset: string;
  /** Set by a source that could not read the record whole (a line too long): it goes to the dead-letter sink with this reason. */
  readonly setAside?: SetAsideReason;
}

/** Records to apply together, and how to tell the source they are done. */
export interface SourceBatch {
  readonly records: readonly SourceRecord[];
  /** Commits the batch's offsets (ack, XACK, checkpoint); called only after the grid acknowledged the batch. */
  commit(): Promise<void>;
}

/**
 * Applies a batch and commits it, or rejects without committing. `signal`
 * aborts waiting on an unavailable grid (shutdown, or a deadline the source
 * has, like an HTTP request's).
 */
export interface BatchHandler {
  (batch: SourceBatch, signal: AbortSignal): Promise<void>;
  /**
   * The same work in steps, for a source that can pipeline: `prepare` does
   * the CPU part now (decoding, mapping) and returns the apply, which
   * resolves, once the grid acknowledged the batch, with the commit step. A
   * source may prepare the next batch while the previous one applies, and
   * apply it while the previous one commits; it runs the applies one at a
   * time and in order, and the commits one at a time, in order, each only
   * after its own apply and every earlier commit succeeded.
   */
  readonly prepare?: (batch: SourceBatch) => PreparedBatch;
}

/** A prepared batch's apply: resolves with its commit once the grid acknowledged it. */
export type PreparedBatch = (signal: AbortSignal) => Promise<CommitStep>;

/** Commits an applied batch (and counts it). */
export type CommitStep = () => Promise<void>;

/**
 * A stream of change records. `start` begins delivering batches to the
 * handler, one at a time and in order; `done` settles when the input ends
 * (a file) or after `stop`, and rejects when the handler failed with an
 * error that retrying cannot cure. `stop` stops taking new records, lets the
 * batch in flight finish (and commit), and closes connections.
 */
export interface Source {
  /** What and where, for logs: `redis 127.0.0.1:6379 streams a,b group shoal-cdc`. */
  readonly description: string;
  start(handler: BatchHandler): Promise<void>;
  readonly done: Promise<void>;
  stop(): Promise<void>;
}
