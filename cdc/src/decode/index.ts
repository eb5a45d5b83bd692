export { decodeRecord, tryDecodeRecord, type ChangeRecord, type DecodeOptions, type DecodeResult } from './decode-record.js';
export { decodeKey, type DecodedKey } from './key.js';
export { CdcDecodeError, CdcErrorCode, type DeadLetterReason, type RecordPart } from './decode-error.js';
export type {
  DecodedEvent,
  DeleteEvent,
  EventKind,
  EventShape,
  HeartbeatEvent,
  MessageEvent,
  Row,
  RowChangeEvent,
  RowKey,
  SourceBlock,
  SchemaChangeEvent,
  TombstoneEvent,
  TransactionEvent,
  TruncateEvent,
  UpsertEvent,
  UpsertOp,
} from './event-kinds.js';
export { isAppliedKind } from './event-kinds.js';
export {
  compareSourcePositions,
  formatSourcePosition,
  isStale,
  parseSourcePosition,
  type MySqlPosition,
  type NoPosition,
  type PositionOrder,
  type PostgresPosition,
  type SourcePosition,
  type SqlServerPosition,
  type TimestampPosition,
} from './source-position.js';
export { isSnapshotMarker, type SnapshotMarker, type TableRef, type TransactionRef } from './source-info.js';
export { parseConnectSchema, parseStructSchema, type ConnectField, type ConnectSchema, type ConnectType, type StructSchema } from './connect-schema.js';
export { decodeWithSchema } from './semantic-types.js';
export { EncodedRow } from './encoded-row.js';
export { SemanticName } from './semantic-names.js';
export { declareColumnTypes, type ColumnTypes, type DeclaredColumnType } from './declared-columns.js';
export { describeTable, type ColumnInfo, type SqlType, type TableSchema } from './table-schema.js';
export { formatDecimal, type DecimalString } from './decimal.js';
export type { DateString, TimeString, TimestampString } from './temporal.js';
export { jsonTextOf, parseJsonText, parseLosslessly, type RawJson } from './json-text.js';
export { SchemaTextCache, onlyJsonWhitespace, sharedSchemaTexts, type RecordPartParser } from './converter-text.js';
export { ExactJsonSyntaxError, parseExactJson, parseExactJsonAt } from './exact-json.js';
export type { SchemasMode } from './envelope.js';
