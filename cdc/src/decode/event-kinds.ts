import type { StructSchema } from './connect-schema.js';
import type { EncodedRow } from './encoded-row.js';
import type { SnapshotMarker, TableRef, TransactionRef } from './source-info.js';
import type { SourcePosition } from './source-position.js';

/** A row's columns with their decoded values (see `decodeWithSchema` for what each type becomes). */
export type Row = Readonly<Record<string, unknown>>;
/** A record key's columns; composite keys keep every column. */
export type RowKey = Readonly<Record<string, unknown>>;

/** A change's `source` block: connector, name, db, table, ts_ms and the connector's own coordinates. */
export type SourceBlock = Readonly<Record<string, unknown>>;

/** Debezium's ops that leave a row in place: create, read (snapshot), update. */
export type UpsertOp = 'c' | 'r' | 'u';

/** Which of Debezium's value layouts the event came in. */
export type EventShape = 'envelope' | 'unwrapped';

interface Common {
  /** The topic (or stream, subject) the record came from, when the source knows it. */
  readonly topic: string | null;
}

interface RowChangeCommon extends Common {
  readonly shape: EventShape;
  /** Null only for an unwrapped row that did not say (no `__table` added field): map it by topic. */
  readonly table: TableRef | null;
  /** Null when the record had no key (a table without a primary key). */
  readonly key: RowKey | null;
  readonly position: SourcePosition;
  readonly snapshot: SnapshotMarker;
  /** The source block as sent (for an unwrapped row, what its added fields said), numbers made plain. */
  readonly source: SourceBlock;
  /** When Debezium handled the change (the envelope's `ts_ms`). */
  readonly tsMs: number | null;
  readonly transaction: TransactionRef | null;
  /** The row's struct schema when the record had one (with unwrap's added fields taken out). */
  readonly rowSchema: StructSchema | null;
  readonly keySchema: StructSchema | null;
}

/** `c`, `r` or `u`: put the row. `op` is null for an unwrapped row that did not say (no `__op`). */
export interface UpsertEvent extends RowChangeCommon {
  readonly kind: 'upsert';
  readonly op: UpsertOp | null;
  readonly row: Row;
  /** With `DecodeOptions.encodedRows`: the row already in its stored form, when it could be transcoded (then `row` is decoded only when read). */
  readonly encodedRow?: EncodedRow;
}

/** `d` (or an unwrapped row with `__deleted` / `__op: d`): remove the row. `before` is what the source sent, often only the key columns. */
export interface DeleteEvent extends RowChangeCommon {
  readonly kind: 'delete';
  readonly before: Row | null;
}

/** `t`: the table was emptied. */
export interface TruncateEvent extends Common {
  readonly kind: 'truncate';
  readonly table: TableRef;
  readonly position: SourcePosition;
  readonly snapshot: SnapshotMarker;
  readonly source: SourceBlock;
  readonly tsMs: number | null;
}

/**
 * A record whose value is null. After a Debezium delete it carries the same
 * key and means nothing; with ExtractNewRecordState dropping deletes it is the
 * delete itself, which only the mapping knows.
 */
export interface TombstoneEvent extends Common {
  readonly kind: 'tombstone';
  readonly key: RowKey | null;
}

/** Transaction metadata (topic `<prefix>.transaction`): not a row. */
export interface TransactionEvent extends Common {
  readonly kind: 'transaction';
  readonly status: 'BEGIN' | 'END';
  readonly id: string;
  readonly tsMs: number | null;
  /** Null on BEGIN. */
  readonly eventCount: number | null;
  readonly dataCollections: readonly { readonly dataCollection: string; readonly eventCount: number }[] | null;
}

/** A schema change (DDL) event: not a row. `tableChanges` are as sent, numbers made plain. */
export interface SchemaChangeEvent extends Common {
  readonly kind: 'schema-change';
  readonly databaseName: string | null;
  readonly schemaName: string | null;
  readonly ddl: string | null;
  readonly tableChanges: readonly unknown[];
  readonly table: TableRef | null;
  readonly position: SourcePosition;
  readonly source: SourceBlock;
  readonly tsMs: number | null;
}

/** `m`: a PostgreSQL logical decoding message (pg_logical_emit_message): not a row. */
export interface MessageEvent extends Common {
  readonly kind: 'message';
  readonly prefix: string;
  /** The message's bytes (often UTF-8 JSON, but Debezium does not say). */
  readonly content: Uint8Array;
  readonly position: SourcePosition;
  readonly source: SourceBlock;
  readonly tsMs: number | null;
}

/** A connector heartbeat (topic `__debezium-heartbeat.<prefix>`): not a row. */
export interface HeartbeatEvent extends Common {
  readonly kind: 'heartbeat';
  readonly tsMs: number;
  /** From the key (`{serverName}`), when it had one. */
  readonly serverName: string | null;
}

export type DecodedEvent =
  | UpsertEvent
  | DeleteEvent
  | TruncateEvent
  | TombstoneEvent
  | TransactionEvent
  | SchemaChangeEvent
  | MessageEvent
  | HeartbeatEvent;

export type EventKind = DecodedEvent['kind'];

/** The events that change rows of a table. */
export type RowChangeEvent = UpsertEvent | DeleteEvent;

/** True for the events an apply loop writes to the grid (rows and truncates); the rest it only notes. */
export function isAppliedKind(event: DecodedEvent): event is UpsertEvent | DeleteEvent | TruncateEvent {
  return event.kind === 'upsert' || event.kind === 'delete' || event.kind === 'truncate';
}
