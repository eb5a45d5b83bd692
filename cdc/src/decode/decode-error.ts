/** Stable codes of CDC decoding failures: dead-letter sinks and metrics branch on these, never on text. */
export const CdcErrorCode = {
  /** A record that is not a Debezium event we can read: bad JSON, wrong shape, a value its schema refuses. */
  UndecodableEvent: 'UNDECODABLE_EVENT',
  /** A stored source position that does not parse. */
  InvalidPosition: 'INVALID_POSITION',
  /** A column type declared by a mapping that is not a usable Kafka Connect schema. */
  InvalidColumnType: 'INVALID_COLUMN_TYPE',
} as const;
export type CdcErrorCode = (typeof CdcErrorCode)[keyof typeof CdcErrorCode];

/** Which part of a Kafka-style record a failure was found in. */
export type RecordPart = 'key' | 'value';

/** What a dead-letter sink records about an event it was handed. */
export interface DeadLetterReason {
  readonly code: CdcErrorCode;
  readonly reason: string;
  readonly part: RecordPart | null;
  readonly path: string | null;
}

/**
 * A CDC input that cannot be decoded. `reason` says what is wrong in words
 * meant for an operator reading a dead-letter entry; `path` points into the
 * JSON document (e.g. `payload.before.sal`).
 */
export class CdcDecodeError extends Error {
  readonly code: CdcErrorCode;
  readonly reason: string;
  readonly part: RecordPart | null;
  readonly path: string | null;

  constructor(
    code: CdcErrorCode,
    reason: string,
    where: { readonly part?: RecordPart | null; readonly path?: string | null } = {},
    options?: { cause?: unknown },
  ) {
    super(describe(reason, where.part ?? null, where.path ?? null), options);
    this.code = code;
    this.reason = reason;
    this.part = where.part ?? null;
    this.path = where.path ?? null;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** The same failure, located in a record part (decoders below the record do not know which part they read). */
  inPart(part: RecordPart): CdcDecodeError {
    return new CdcDecodeError(this.code, this.reason, { part, path: this.path }, { cause: this.cause });
  }

  toDeadLetter(): DeadLetterReason {
    return { code: this.code, reason: this.reason, part: this.part, path: this.path };
  }
}

function describe(reason: string, part: RecordPart | null, path: string | null): string {
  const where = [part, path].filter((s) => s !== null && s !== '').join(' ');
  return where === '' ? reason : `${where}: ${reason}`;
}

/** Throws the usual decoding failure at `path`. */
export function undecodable(path: string, reason: string, cause?: unknown): never {
  throw new CdcDecodeError(CdcErrorCode.UndecodableEvent, reason, { path }, cause === undefined ? undefined : { cause });
}
