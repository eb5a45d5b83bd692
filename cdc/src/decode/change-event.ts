import { decodeBase64 } from './base64.js';
import type { StructSchema } from './connect-schema.js';
import type { DecodeContext } from './decode-context.js';
import { undecodable } from './decode-error.js';
import { decodeSchemalessStruct } from './declared-columns.js';
import type { DecodedEvent, DeleteEvent, MessageEvent, Row, SourceBlock, TruncateEvent, UpsertEvent, UpsertOp } from './event-kinds.js';
import { toPlainJson } from './json-text.js';
import { positionFromSource } from './position-from-source.js';
import type { EncodedRow } from './encoded-row.js';
import { RawRowJson } from './payload-bytes.js';
import { rowSchemaOf } from './row-schema.js';
import { child, optionalSafeInteger, requireObject, requireString, type JsonObject } from './raw-access.js';
import { decodeStruct } from './semantic-types.js';
import { isSnapshotMarker, readSnapshotMarker, readTableRef, readTransactionRef, type TableRef } from './source-info.js';

/** The parts of a change envelope every op reads. */
interface Envelope {
  readonly payload: JsonObject;
  readonly schemaJson: unknown;
  readonly op: string;
  readonly source: JsonObject;
  readonly tsMs: number | null;
  readonly paths: EnvelopePaths;
}

/** Where an envelope's members sit, for failures; made once per base (`payload` or the root), not per event. */
interface EnvelopePaths {
  readonly op: string;
  readonly source: string;
  readonly snapshot: string;
  readonly tsMs: string;
  readonly transaction: string;
  readonly before: string;
  readonly after: string;
  readonly message: string;
}

const pathsByBase = new Map<string, EnvelopePaths>();

function pathsOf(base: string): EnvelopePaths {
  let paths = pathsByBase.get(base);
  if (paths === undefined) {
    const source = child(base, 'source');
    const at = (field: string) => child(base, field);
    paths = { op: at('op'), source, snapshot: child(source, 'snapshot'), tsMs: at('ts_ms'), transaction: at('transaction'), before: at('before'), after: at('after'), message: at('message') };
    pathsByBase.set(base, paths);
  }
  return paths;
}

/** Decodes a Debezium change envelope (`op` + `source` + `before`/`after`, or `message` for `m`). */
export function decodeChangeEvent(payload: JsonObject, schemaJson: unknown, ctx: DecodeContext): DecodedEvent {
  const paths = pathsOf(ctx.base);
  const envelope: Envelope = {
    payload,
    schemaJson,
    op: requireString(payload['op'], paths.op),
    source: requireObject(payload['source'], paths.source),
    tsMs: optionalSafeInteger(payload['ts_ms'], paths.tsMs),
    paths,
  };
  switch (envelope.op) {
    case 'c':
    case 'r':
    case 'u':
      return decodeUpsert(envelope, envelope.op, ctx);
    case 'd':
      return decodeDelete(envelope, ctx);
    case 't':
      return decodeTruncate(envelope, ctx);
    case 'm':
      return decodeMessage(envelope, ctx);
    default:
      return undecodable(paths.op, `unknown op ${JSON.stringify(envelope.op)}`);
  }
}

function rowContext(envelope: Envelope, ctx: DecodeContext) {
  const { source: sourcePath, snapshot: snapshotPath, transaction: transactionPath } = envelope.paths;
  const table = readTableRef(envelope.source, sourcePath);
  const snapshot = readSnapshotMarker(envelope.source['snapshot'], snapshotPath);
  const isSnapshot = isSnapshotMarker(snapshot) || envelope.op === 'r';
  const decodedKey = ctx.keyFor(table);
  return {
    shape: 'envelope' as const,
    topic: ctx.topic,
    table,
    key: decodedKey.key,
    keySchema: decodedKey.schema,
    position: positionFromSource(envelope.source, { envelopeTsMs: envelope.tsMs, snapshot: isSnapshot }, sourcePath),
    snapshot,
    source: plainSource(envelope.source),
    tsMs: envelope.tsMs,
    transaction: readTransactionRef(envelope.payload['transaction'], transactionPath),
  };
}

function decodeUpsert(envelope: Envelope, op: UpsertOp, ctx: DecodeContext): UpsertEvent {
  const common = rowContext(envelope, ctx);
  const rowSchema = rowSchemaOf(envelope.schemaJson, 'after');
  const after = envelope.payload['after'];
  const path = envelope.paths.after;
  if (after === null || after === undefined) return undecodable(path, `op ${JSON.stringify(op)} without an after state`);
  if (rowSchema !== null) {
    const encoded = transcodeRow(after, rowSchema);
    if (encoded !== null) return new TranscodedUpsert(common, op, encoded, rowSchema);
  }
  // Spelled out, not `{...common}`: V8 spread this object slowly, a third of decoding an event.
  const { shape, topic, table, key, keySchema, position, snapshot, source, tsMs, transaction } = common;
  const row = decodeRow(after, rowSchema, common.table, ctx, path);
  return { shape, topic, table, key, keySchema, position, snapshot, source, tsMs, transaction, kind: 'upsert', op, row, rowSchema };
}

type RowContext = ReturnType<typeof rowContext>;

/**
 * An upsert whose row came transcoded (`DecodeOptions.encodedRows`): `row`
 * is decoded from the JSON only if read. A class, because an object literal
 * with a getter cost V8 more than the rest of making the event.
 */
class TranscodedUpsert implements UpsertEvent {
  readonly shape: 'envelope';
  readonly topic: string | null;
  readonly table: TableRef;
  readonly key: RowContext['key'];
  readonly keySchema: RowContext['keySchema'];
  readonly position: RowContext['position'];
  readonly snapshot: RowContext['snapshot'];
  readonly source: SourceBlock;
  readonly tsMs: number | null;
  readonly transaction: RowContext['transaction'];
  readonly kind = 'upsert';

  constructor(
    common: RowContext,
    readonly op: UpsertOp,
    readonly encodedRow: EncodedRow,
    readonly rowSchema: StructSchema,
  ) {
    this.shape = common.shape;
    this.topic = common.topic;
    this.table = common.table;
    this.key = common.key;
    this.keySchema = common.keySchema;
    this.position = common.position;
    this.snapshot = common.snapshot;
    this.source = common.source;
    this.tsMs = common.tsMs;
    this.transaction = common.transaction;
  }

  get row(): Row {
    return this.encodedRow.toRow();
  }
}

function decodeDelete(envelope: Envelope, ctx: DecodeContext): DeleteEvent {
  const common = rowContext(envelope, ctx);
  const rowSchema = rowSchemaOf(envelope.schemaJson, 'before');
  const before = envelope.payload['before'];
  const path = envelope.paths.before;
  const row = before === null || before === undefined ? null : decodeRow(before, rowSchema, common.table, ctx, path);
  const { shape, topic, table, key, keySchema, position, snapshot, source, tsMs, transaction } = common;
  return { shape, topic, table, key, keySchema, position, snapshot, source, tsMs, transaction, kind: 'delete', before: row, rowSchema };
}

/** The row the parser transcoded while it read the payload (`parsePayloadKeepingRows`); null when it did not. */
function transcodeRow(value: unknown, schema: StructSchema): EncodedRow | null {
  if (!(value instanceof RawRowJson) || value.encoded === null || value.encoded.schema !== schema) return null;
  return value.encoded;
}

function decodeRow(raw: unknown, schema: StructSchema | null, table: TableRef, ctx: DecodeContext, path: string): Row {
  const value = raw instanceof RawRowJson ? raw.parse() : raw;
  return schema === null ? decodeSchemalessStruct(value, ctx.columnTypesFor(table), path) : decodeStruct(value, schema, path);
}

function decodeTruncate(envelope: Envelope, ctx: DecodeContext): TruncateEvent {
  const { source: sourcePath, snapshot: snapshotPath } = envelope.paths;
  const snapshot = readSnapshotMarker(envelope.source['snapshot'], snapshotPath);
  return {
    kind: 'truncate',
    topic: ctx.topic,
    table: readTableRef(envelope.source, sourcePath),
    position: positionFromSource(envelope.source, { envelopeTsMs: envelope.tsMs, snapshot: isSnapshotMarker(snapshot) }, sourcePath),
    snapshot,
    source: plainSource(envelope.source),
    tsMs: envelope.tsMs,
  };
}

/** `m`: content is bytes (base64 in JSON) whatever the converter; with schemas its schema only says so. */
function decodeMessage(envelope: Envelope, ctx: DecodeContext): MessageEvent {
  const { message: path, source: sourcePath, snapshot: snapshotPath } = envelope.paths;
  const message = requireObject(envelope.payload['message'], path, 'a message {prefix, content}');
  const snapshot = isSnapshotMarker(readSnapshotMarker(envelope.source['snapshot'], snapshotPath));
  return {
    kind: 'message',
    topic: ctx.topic,
    prefix: requireString(message['prefix'], child(path, 'prefix')),
    content: decodeBase64(requireString(message['content'], child(path, 'content')), child(path, 'content')),
    position: positionFromSource(envelope.source, { envelopeTsMs: envelope.tsMs, snapshot }, sourcePath),
    source: plainSource(envelope.source),
    tsMs: envelope.tsMs,
  };
}

function plainSource(source: JsonObject): SourceBlock {
  return toPlainJson(source) as SourceBlock;
}
