import { parseStructSchema, type StructSchema } from './connect-schema.js';
import { undecodable } from './decode-error.js';
import { isJsonObject } from './json-text.js';
import { child, describeJson, requireObject } from './raw-access.js';
import { memoBySchema } from './schema-memo.js';

/**
 * The row struct schema of an envelope's `before` or `after` field. Only that
 * field is read: the rest of an envelope schema (source, transaction) is not
 * needed to decode a row.
 */
export function rowSchemaOf(schemaJson: unknown, field: 'before' | 'after'): StructSchema | null {
  if (schemaJson === null) return null;
  return memoBySchema(schemaJson, `row:${field}`, () => parseRowSchema(schemaJson, field));
}

function parseRowSchema(schemaJson: unknown, field: 'before' | 'after'): StructSchema {
  const fields = requireObject(schemaJson, 'schema', 'a schema object')['fields'];
  if (!Array.isArray(fields)) return undecodable('schema.fields', `an envelope schema needs fields, got ${describeJson(fields)}`);
  const index = fields.findIndex((f: unknown) => isJsonObject(f) && f['field'] === field);
  if (index < 0) return undecodable('schema.fields', `the envelope schema has no "${field}" field`);
  return parseStructSchema(fields[index], child('schema.fields', index));
}
