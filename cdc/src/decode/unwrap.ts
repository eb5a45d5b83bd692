import { parseStructSchema, type StructSchema } from './connect-schema.js';
import type { DecodeContext } from './decode-context.js';
import { undecodable } from './decode-error.js';
import { decodeSchemalessStruct } from './declared-columns.js';
import type { DeleteEvent, SourceBlock, UpsertEvent, UpsertOp } from './event-kinds.js';
import { toPlainJson } from './json-text.js';
import { positionFromSource } from './position-from-source.js';
import { memoBySchema } from './schema-memo.js';
import { child, optionalSafeInteger, optionalString, type JsonObject } from './raw-access.js';
import { decodeStruct } from './semantic-types.js';
import { isSnapshotMarker, readSnapshotMarker, type TableRef } from './source-info.js';

/**
 * A row flattened by ExtractNewRecordState: the after state (or, with
 * `delete.handling.mode=rewrite` / `delete.tombstone.handling.mode=rewrite`,
 * the before state of a delete marked `__deleted: "true"`), plus whatever
 * `add.fields` asked for under the prefix: `__op`, `__table`, `__db`,
 * `__schema`, `__lsn`, `__source_ts_ms`, `__ts_ms`, `__file`, `__pos`, ...
 * The added fields say what the envelope would have; they are not columns.
 */
export function decodeUnwrapped(payload: JsonObject, schemaJson: unknown, ctx: DecodeContext): UpsertEvent | DeleteEvent {
  const { added, source } = splitAddedFields(payload, ctx.unwrapFieldPrefix);
  const at = (name: string) => child(ctx.base, `${ctx.unwrapFieldPrefix}${name}`);
  const op = readOp(added['op'], at('op'));
  const deleted = op === 'd' || isDeletedMarker(added['deleted']);
  const snapshot = readSnapshotMarker(source['snapshot'], at('snapshot'));
  const table = tableOf(source, at);
  const envelopeTsMs = optionalSafeInteger(added['ts_ms'], at('ts_ms'));
  const prefix = ctx.unwrapFieldPrefix;
  const rowSchema = schemaJson === null ? null : memoBySchema(schemaJson, `unwrapped:${prefix}`, () => withoutAddedFields(parseStructSchema(schemaJson, 'schema'), prefix));
  const row = rowSchema === null ? decodeSchemalessStruct(columnsOf(payload, ctx.unwrapFieldPrefix), ctx.columnTypesFor(table), ctx.base) : decodeStruct(payload, rowSchema, ctx.base);
  const decodedKey = ctx.keyFor(table);
  const common = {
    shape: 'unwrapped' as const,
    topic: ctx.topic,
    table,
    key: decodedKey.key,
    keySchema: decodedKey.schema,
    position: positionFromSource(source, { envelopeTsMs, snapshot: isSnapshotMarker(snapshot) || op === 'r' }, ctx.base),
    snapshot,
    source: toPlainJson(source) as SourceBlock,
    tsMs: envelopeTsMs,
    transaction: null,
    rowSchema,
  };
  if (deleted) return { ...common, kind: 'delete', before: row };
  return { ...common, kind: 'upsert', op, row };
}

/**
 * The added fields by their unprefixed name, and the source block they stand
 * for: `__source_ts_ms` is `source.ts_ms`, while a bare `__ts_ms` is the
 * envelope's own.
 */
function splitAddedFields(payload: JsonObject, prefix: string): { added: JsonObject; source: JsonObject } {
  const added: Record<string, unknown> = {};
  const source: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (!name.startsWith(prefix)) continue;
    const field = name.slice(prefix.length);
    added[field] = value;
    if (field.startsWith('source_')) source[field.slice('source_'.length)] = value;
  }
  for (const [field, value] of Object.entries(added)) {
    if (field !== 'ts_ms' && !field.startsWith('source_') && !(field in source)) source[field] = value;
  }
  return { added, source };
}

function columnsOf(payload: JsonObject, prefix: string): JsonObject {
  return Object.fromEntries(Object.entries(payload).filter(([name]) => !name.startsWith(prefix)));
}

function withoutAddedFields(schema: StructSchema, prefix: string): StructSchema {
  return { ...schema, fields: schema.fields.filter((f) => !f.name.startsWith(prefix)) };
}

const unwrappedOps: ReadonlySet<string> = new Set(['c', 'r', 'u', 'd']);

function readOp(value: unknown, path: string): UpsertOp | 'd' | null {
  const op = optionalString(value, path);
  if (op === null) return null;
  if (!unwrappedOps.has(op)) return undecodable(path, `unknown op ${JSON.stringify(op)} for an unwrapped row`);
  return op as UpsertOp | 'd';
}

/** `__deleted` is the string "true"/"false" in the rewrite modes; a boolean is read the same. */
function isDeletedMarker(value: unknown): boolean {
  return value === true || value === 'true';
}

function tableOf(source: JsonObject, at: (name: string) => string): TableRef | null {
  const table = optionalString(source['table'], at('table'));
  if (table === null || table === '') return null;
  return { db: optionalString(source['db'], at('db')), schema: optionalString(source['schema'], at('schema')), table };
}
