import { undecodable } from './decode-error.js';
import { isJsonObject } from './json-text.js';
import type { JsonObject } from './raw-access.js';
import { MetadataSchemaName, schemaChangeValueName } from './semantic-names.js';

/** Like the JsonConverter's `schemas.enable`; `auto` tells `{schema, payload}` from a bare payload by its shape. */
export type SchemasMode = 'auto' | 'enabled' | 'disabled';

export interface ConverterValue {
  /** The schema's JSON, null when the record had none. */
  readonly schema: unknown;
  readonly payload: unknown;
}

/**
 * Splits the JsonConverter's `{schema, payload}` envelope. A null payload in
 * an envelope is refused: a tombstone is a record whose value is null, and
 * `{"schema":null,"payload":null}` is not how one arrives.
 */
export function splitConverterValue(parsed: unknown, mode: SchemasMode, path: string): ConverterValue {
  if (mode === 'disabled') return { schema: null, payload: parsed };
  if (!isConverterEnvelope(parsed)) {
    if (mode === 'enabled') return undecodable(path, 'expected {"schema": ..., "payload": ...} (schemas are enabled)');
    return { schema: null, payload: parsed };
  }
  if (parsed['payload'] === null) {
    return undecodable('payload', 'the payload is null; a tombstone is a record whose value is null, not {"schema":..., "payload":null}');
  }
  return { schema: parsed['schema'] ?? null, payload: parsed['payload'] };
}

function isConverterEnvelope(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && 'schema' in value && 'payload' in value;
}

/** The record name of a schema's JSON, when it has one. */
export function schemaNameOf(schema: unknown): string | null {
  return isJsonObject(schema) && typeof schema['name'] === 'string' ? schema['name'] : null;
}

/** What a value payload holds. */
export type PayloadKind = 'change' | 'transaction' | 'heartbeat' | 'schema-change' | 'unwrapped';

const envelopeFields = ['source', 'before', 'after', 'message'] as const;
const transactionFields: ReadonlySet<string> = new Set(['status', 'id', 'ts_ms', 'event_count', 'data_collections']);

/**
 * Tells Debezium's values apart, by their schema's record name when there is
 * one and by shape otherwise. Anything that is none of Debezium's own values
 * is a row flattened by ExtractNewRecordState.
 */
export function classifyPayload(payload: JsonObject, schemaName: string | null): PayloadKind {
  if (schemaName !== null) {
    if (schemaName.endsWith('.Envelope')) return 'change';
    if (schemaName === MetadataSchemaName.TransactionMetadataValue) return 'transaction';
    if (schemaName === MetadataSchemaName.Heartbeat) return 'heartbeat';
    if (schemaChangeValueName.test(schemaName)) return 'schema-change';
  }
  return classifyByShape(payload);
}

function classifyByShape(payload: JsonObject): PayloadKind {
  const keys = Object.keys(payload);
  const hasSource = isJsonObject(payload['source']);
  // An op beside any envelope field is an envelope, so that one missing its source fails as such rather than pass as a row.
  if (typeof payload['op'] === 'string' && envelopeFields.some((f) => f in payload)) return 'change';
  if (hasSource && ('ddl' in payload || 'tableChanges' in payload)) return 'schema-change';
  if ((payload['status'] === 'BEGIN' || payload['status'] === 'END') && typeof payload['id'] === 'string' && keys.every((k) => transactionFields.has(k))) {
    return 'transaction';
  }
  if (keys.length === 1 && keys[0] === 'ts_ms') return 'heartbeat';
  return 'unwrapped';
}
