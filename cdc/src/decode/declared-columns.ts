import { PrimitiveTypes, parseConnectSchema, type ConnectSchema, type PrimitiveType } from './connect-schema.js';
import { CdcDecodeError, CdcErrorCode } from './decode-error.js';
import type { Row } from './event-kinds.js';
import { setKey } from './exact-json.js';
import { toPlainJson } from './json-text.js';
import { child, requireObject } from './raw-access.js';
import { decodeWithSchema } from './semantic-types.js';
import { SemanticName } from './semantic-names.js';

/**
 * Column types a mapping declares for records that carry no schema: without
 * one, a Decimal is only a base64 string and a MicroTimestamp only a number.
 * Each is a Kafka Connect field schema, as Debezium documents them per column
 * type (`{ "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal",
 * "parameters": { "scale": "4" } }`), or for types that need no parameters
 * just the semantic or primitive type name (`"io.debezium.time.MicroTimestamp"`,
 * `"int64"`).
 */
export type DeclaredColumnType = string | Readonly<Record<string, unknown>>;

/** Validated declarations, by column name. Built once, at configuration time. */
export type ColumnTypes = ReadonlyMap<string, ConnectSchema>;

// The wire type of each parameterless semantic type, for the string shorthand.
const shorthandTypes: ReadonlyMap<string, PrimitiveType | 'struct'> = new Map<string, PrimitiveType | 'struct'>([
  [SemanticName.VariableScaleDecimal, 'struct'],
  [SemanticName.Date, 'int32'],
  [SemanticName.ConnectDate, 'int32'],
  [SemanticName.Time, 'int32'],
  [SemanticName.ConnectTime, 'int32'],
  [SemanticName.MicroTime, 'int64'],
  [SemanticName.NanoTime, 'int64'],
  [SemanticName.Timestamp, 'int64'],
  [SemanticName.ConnectTimestamp, 'int64'],
  [SemanticName.MicroTimestamp, 'int64'],
  [SemanticName.NanoTimestamp, 'int64'],
  [SemanticName.ZonedTimestamp, 'string'],
  [SemanticName.ZonedTime, 'string'],
  [SemanticName.Json, 'string'],
  [SemanticName.Uuid, 'string'],
  [SemanticName.Enum, 'string'],
  [SemanticName.EnumSet, 'string'],
  [SemanticName.Xml, 'string'],
  [SemanticName.Bits, 'bytes'],
  ...PrimitiveTypes.map((t): [string, PrimitiveType] => [t, t]),
]);

/** Checks declarations; a bad one is a `CdcDecodeError` with code `INVALID_COLUMN_TYPE` naming the column. */
export function declareColumnTypes(declared: Readonly<Record<string, DeclaredColumnType>>): ColumnTypes {
  const out = new Map<string, ConnectSchema>();
  for (const [column, type] of Object.entries(declared)) out.set(column, declaredSchema(column, type));
  return out;
}

function declaredSchema(column: string, type: DeclaredColumnType): ConnectSchema {
  const common = { version: null, default: undefined, parameters: {} };
  if (typeof type === 'string') {
    const wireType = shorthandTypes.get(type);
    if (wireType === undefined) throw invalidDeclaration(column, `unknown type ${JSON.stringify(type)} (a Decimal needs the object form with its scale)`);
    const name = PrimitiveTypes.includes(type as PrimitiveType) ? null : type;
    // Schemaless values may be null whatever the column: declarations are optional.
    return wireType === 'struct' ? { ...common, type: wireType, name, optional: true, fields: [] } : { ...common, type: wireType, name, optional: true };
  }
  try {
    return { ...parseConnectSchema(type, column), optional: true };
  } catch (error) {
    if (error instanceof CdcDecodeError) throw invalidDeclaration(column, error.reason, error);
    throw error;
  }
}

function invalidDeclaration(column: string, reason: string, cause?: unknown): CdcDecodeError {
  return new CdcDecodeError(CdcErrorCode.InvalidColumnType, `column ${JSON.stringify(column)}: ${reason}`, { path: column }, cause === undefined ? undefined : { cause });
}

/** A struct without a schema: declared columns are decoded, the rest pass as they are. */
export function decodeSchemalessStruct(value: unknown, columnTypes: ColumnTypes | undefined, path: string): Row {
  const struct = requireObject(value, path, 'an object of columns');
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(struct)) {
    const declared = columnTypes?.get(column);
    setKey(out, column, declared === undefined ? toPlainJson(raw) : decodeWithSchema(raw, declared, child(path, column)));
  }
  return out;
}
