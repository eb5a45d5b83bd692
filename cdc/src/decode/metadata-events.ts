import type { DecodeContext } from './decode-context.js';
import { undecodable } from './decode-error.js';
import type { HeartbeatEvent, SchemaChangeEvent, SourceBlock, TransactionEvent } from './event-kinds.js';
import { isJsonObject, toPlainJson } from './json-text.js';
import { positionFromSource } from './position-from-source.js';
import { child, describeJson, optionalSafeInteger, optionalString, requireObject, requireSafeInteger, requireString, type JsonObject } from './raw-access.js';
import { isSnapshotMarker, readSnapshotMarker, type TableRef } from './source-info.js';

/** Transaction metadata: `{status: BEGIN|END, id, ts_ms, event_count, data_collections}`. */
export function decodeTransaction(payload: JsonObject, ctx: DecodeContext): TransactionEvent {
  const at = (field: string) => child(ctx.base, field);
  const status = payload['status'];
  if (status !== 'BEGIN' && status !== 'END') return undecodable(at('status'), `expected BEGIN or END, got ${describeJson(status)}`);
  return {
    kind: 'transaction',
    topic: ctx.topic,
    status,
    id: requireString(payload['id'], at('id')),
    tsMs: optionalSafeInteger(payload['ts_ms'], at('ts_ms')),
    eventCount: optionalSafeInteger(payload['event_count'], at('event_count')),
    dataCollections: readDataCollections(payload['data_collections'], at('data_collections')),
  };
}

function readDataCollections(value: unknown, path: string): TransactionEvent['dataCollections'] {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) return undecodable(path, `expected an array, got ${describeJson(value)}`);
  return value.map((entry: unknown, i) => {
    const item = requireObject(entry, child(path, i));
    return {
      dataCollection: requireString(item['data_collection'], child(child(path, i), 'data_collection')),
      eventCount: requireSafeInteger(item['event_count'], child(child(path, i), 'event_count')),
    };
  });
}

/** A heartbeat value is `{ts_ms}`; its key is `{serverName}`. */
export function decodeHeartbeat(payload: JsonObject, rawKey: unknown, ctx: DecodeContext): HeartbeatEvent {
  const keyPayload = isJsonObject(rawKey) && isJsonObject(rawKey['payload']) ? rawKey['payload'] : rawKey;
  const serverName = isJsonObject(keyPayload) && typeof keyPayload['serverName'] === 'string' ? keyPayload['serverName'] : null;
  return { kind: 'heartbeat', topic: ctx.topic, tsMs: requireSafeInteger(payload['ts_ms'], child(ctx.base, 'ts_ms')), serverName };
}

/** A schema change: the DDL and Debezium's table descriptions, kept for a later step to act on. */
export function decodeSchemaChange(payload: JsonObject, ctx: DecodeContext): SchemaChangeEvent {
  const at = (field: string) => child(ctx.base, field);
  const source = requireObject(payload['source'], at('source'));
  const sourcePath = at('source');
  const snapshot = isSnapshotMarker(readSnapshotMarker(source['snapshot'], child(sourcePath, 'snapshot')));
  const tsMs = optionalSafeInteger(payload['ts_ms'], at('ts_ms')) ?? optionalSafeInteger(source['ts_ms'], child(sourcePath, 'ts_ms'));
  const tableChanges = payload['tableChanges'];
  if (tableChanges !== undefined && tableChanges !== null && !Array.isArray(tableChanges)) {
    return undecodable(at('tableChanges'), `expected an array, got ${describeJson(tableChanges)}`);
  }
  return {
    kind: 'schema-change',
    topic: ctx.topic,
    databaseName: optionalString(payload['databaseName'], at('databaseName')),
    schemaName: optionalString(payload['schemaName'], at('schemaName')),
    ddl: optionalString(payload['ddl'], at('ddl')),
    tableChanges: Array.isArray(tableChanges) ? (toPlainJson(tableChanges) as readonly unknown[]) : [],
    table: optionalTable(source, sourcePath),
    position: positionFromSource(source, { envelopeTsMs: tsMs, snapshot }, sourcePath),
    source: toPlainJson(source) as SourceBlock,
    tsMs,
  };
}

function optionalTable(source: JsonObject, path: string): TableRef | null {
  const table = optionalString(source['table'], child(path, 'table'));
  if (table === null || table === '') return null;
  return { db: optionalString(source['db'], child(path, 'db')), schema: optionalString(source['schema'], child(path, 'schema')), table };
}
