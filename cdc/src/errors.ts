import type { DeadLetterReason } from './decode/index.js';

/** Stable codes of events that decoded but cannot be applied, and of bad ingester configuration. */
export const CdcEventErrorCode = {
  /** The record has no key and no key columns were named for its table (`--key table=col,...`). */
  NoKey: 'NO_KEY',
  /** A key column is missing, null, or of a type a grid key cannot be made of. */
  UnusableKey: 'UNUSABLE_KEY',
  /** Neither the event nor its topic names a table, so no cache can be chosen. */
  NoCache: 'NO_CACHE',
  /** The source position cannot be turned into a version (a coordinate out of range). */
  UnversionablePosition: 'UNVERSIONABLE_POSITION',
  /** The grid refused the row itself (a value msgpack cannot carry). */
  RejectedByGrid: 'REJECTED_BY_GRID',
  /** The record is larger than the source reads (a file line past `maxLineBytes`): only its first bytes are kept. */
  RecordTooLarge: 'RECORD_TOO_LARGE',
} as const;
export type CdcEventErrorCode = (typeof CdcEventErrorCode)[keyof typeof CdcEventErrorCode];

/** What a dead-letter entry says about why an event was set aside: decoding or applying codes. */
export interface SetAsideReason {
  readonly code: DeadLetterReason['code'] | CdcEventErrorCode;
  readonly reason: string;
  readonly part: DeadLetterReason['part'];
  readonly path: string | null;
}

/** A decoded event that cannot be applied: it goes to the dead-letter sink, and the stream goes on. */
export class CdcEventError extends Error {
  readonly code: CdcEventErrorCode;
  readonly reason: string;

  constructor(code: CdcEventErrorCode, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.code = code;
    this.reason = reason;
  }

  override get name(): string {
    return this.constructor.name;
  }

  toDeadLetter(): SetAsideReason {
    return { code: this.code, reason: this.reason, part: null, path: null };
  }
}

/** A bad `--source`, `--map`, `--key` or other ingester setting; the CLI turns it into a usage error (exit 2). */
export class CdcConfigError extends Error {
  readonly code = 'INVALID_CDC_CONFIG';

  override get name(): string {
    return this.constructor.name;
  }
}
