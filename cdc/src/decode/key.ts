import { parseStructSchema, type StructSchema } from './connect-schema.js';
import { decodeSchemalessStruct, type ColumnTypes } from './declared-columns.js';
import { splitConverterValue, type SchemasMode } from './envelope.js';
import type { RowKey } from './event-kinds.js';
import { isJsonObject } from './json-text.js';
import { describeJson } from './raw-access.js';
import { memoBySchema } from './schema-memo.js';
import { decodeStruct } from './semantic-types.js';
import { undecodable } from './decode-error.js';

export interface DecodedKey {
  /** `{column: value}`; null when the record had no key. */
  readonly key: RowKey | null;
  readonly schema: StructSchema | null;
}

export const noKey: DecodedKey = { key: null, schema: null };

/**
 * A record key (already parsed JSON) as `{column: value}`: with a schema its
 * semantic types are decoded like a row's, without one the mapping's declared
 * column types apply and everything else passes as it is. Debezium keys are
 * structs of the primary key columns (or of `message.key.columns`).
 */
export function decodeKey(parsed: unknown, mode: SchemasMode, columnTypes: ColumnTypes | undefined): DecodedKey {
  if (parsed === undefined || parsed === null) return noKey;
  const { schema: schemaJson, payload } = splitConverterValue(parsed, mode, '');
  const base = schemaJson === null && payload === parsed ? '' : 'payload';
  if (schemaJson !== null) {
    const schema = memoBySchema(schemaJson, 'key', () => parseStructSchema(schemaJson, 'schema'));
    return { key: decodeStruct(payload, schema, base), schema };
  }
  if (!isJsonObject(payload)) return undecodable(base, `a record key must be an object of key columns, got ${describeJson(payload)}`);
  return { key: decodeSchemalessStruct(payload, columnTypes, base), schema: null };
}
