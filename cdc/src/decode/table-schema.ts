import type { ConnectSchema, ConnectType, StructSchema } from './connect-schema.js';
import { DecimalPrecisionParameter, DecimalScaleParameter, SemanticName } from './semantic-names.js';

/** The SQL column type a grid table gets for a Debezium column. */
export type SqlType =
  | 'INT'
  | 'BIGINT'
  | 'DOUBLE'
  | 'DECIMAL'
  | `DECIMAL(${number},${number})`
  | 'VARCHAR'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP'
  | 'JSON'
  | 'BYTES';

export interface ColumnInfo {
  readonly name: string;
  /** The Kafka Connect type on the wire. */
  readonly type: ConnectType;
  /** The logical type (`io.debezium.time.MicroTimestamp`, ...), null for a plain one. */
  readonly semanticName: string | null;
  readonly optional: boolean;
  readonly sqlType: SqlType;
  /** For decimals with a fixed scale. */
  readonly precision: number | null;
  readonly scale: number | null;
}

export interface TableSchema {
  readonly columns: readonly ColumnInfo[];
  /** The key's columns in key order; empty when the record had no key schema. */
  readonly primaryKey: readonly string[];
}

/** Columns from a row's struct schema and the primary key from the key's, for creating the SQL table. */
export function describeTable(rowSchema: StructSchema, keySchema: StructSchema | null): TableSchema {
  return {
    columns: rowSchema.fields.map((f) => describeColumn(f.name, f.schema)),
    primaryKey: keySchema === null ? [] : keySchema.fields.map((f) => f.name),
  };
}

export function describeColumn(name: string, schema: ConnectSchema): ColumnInfo {
  const decimal = schema.name === SemanticName.Decimal ? decimalShape(schema) : null;
  return {
    name,
    type: schema.type,
    semanticName: schema.name,
    optional: schema.optional,
    sqlType: sqlTypeOf(schema, decimal),
    precision: decimal?.precision ?? null,
    scale: decimal?.scale ?? null,
  };
}

const bySemanticName: ReadonlyMap<string, SqlType> = new Map<string, SqlType>([
  [SemanticName.VariableScaleDecimal, 'DECIMAL'],
  [SemanticName.Date, 'DATE'],
  [SemanticName.ConnectDate, 'DATE'],
  [SemanticName.Time, 'TIME'],
  [SemanticName.ConnectTime, 'TIME'],
  [SemanticName.MicroTime, 'TIME'],
  [SemanticName.NanoTime, 'TIME'],
  [SemanticName.ZonedTime, 'TIME'],
  [SemanticName.Timestamp, 'TIMESTAMP'],
  [SemanticName.ConnectTimestamp, 'TIMESTAMP'],
  [SemanticName.MicroTimestamp, 'TIMESTAMP'],
  [SemanticName.NanoTimestamp, 'TIMESTAMP'],
  [SemanticName.ZonedTimestamp, 'TIMESTAMP'],
  [SemanticName.Json, 'JSON'],
  [SemanticName.Bits, 'BYTES'],
]);

const byType: Readonly<Record<ConnectType, SqlType>> = {
  int8: 'INT',
  int16: 'INT',
  int32: 'INT',
  int64: 'BIGINT',
  float32: 'DOUBLE',
  float64: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  bytes: 'BYTES',
  // Nested values (geometry structs, arrays, maps) are stored as documents.
  struct: 'JSON',
  array: 'JSON',
  map: 'JSON',
};

function sqlTypeOf(schema: ConnectSchema, decimal: { precision: number | null; scale: number | null } | null): SqlType {
  if (decimal !== null) {
    return decimal.precision !== null && decimal.scale !== null ? `DECIMAL(${decimal.precision},${decimal.scale})` : 'DECIMAL';
  }
  return (schema.name === null ? undefined : bySemanticName.get(schema.name)) ?? byType[schema.type];
}

function decimalShape(schema: ConnectSchema): { precision: number | null; scale: number | null } {
  return { precision: intParameter(schema.parameters[DecimalPrecisionParameter]), scale: intParameter(schema.parameters[DecimalScaleParameter]) };
}

function intParameter(text: string | undefined): number | null {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : null;
}
