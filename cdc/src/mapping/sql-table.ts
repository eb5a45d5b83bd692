import type { TableSchemaConfig } from '@shoal/client';
import { describeTable, type ColumnInfo, type SqlType, type StructSchema } from '../decode/index.js';

/**
 * The grid's SQL column types as `createCache`'s schema names them (see
 * sql/src/ast.ts). Only the types a CDC row can be declared with.
 */
export const GridSqlType = {
  Int: 'INT',
  BigInt: 'BIGINT',
  Double: 'DOUBLE',
  /** Without precision: exact, any scale (the SQL layer's unconstrained DECIMAL, like PostgreSQL's NUMERIC). */
  Decimal: 'DECIMAL',
  Text: 'TEXT',
  Boolean: 'BOOLEAN',
  Date: 'DATE',
  Timestamp: 'TIMESTAMP',
  Json: 'JSON',
} as const;

/** The largest DECIMAL precision the grid accepts. */
const MAX_DECIMAL_PRECISION = 1000;

/** What the SQL layer can key a table by (its rule in sql/src/engine/table-schema.ts); decimals of any precision too. */
const KEYABLE_TYPES: ReadonlySet<string> = new Set([GridSqlType.Int, GridSqlType.BigInt, GridSqlType.Double, GridSqlType.Text, GridSqlType.Date]);

type DecimalType = Extract<SqlType, `DECIMAL${string}`>;

const byDebeziumType: Readonly<Record<Exclude<SqlType, DecimalType>, string>> = {
  INT: GridSqlType.Int,
  BIGINT: GridSqlType.BigInt,
  DOUBLE: GridSqlType.Double,
  VARCHAR: GridSqlType.Text,
  BOOLEAN: GridSqlType.Boolean,
  DATE: GridSqlType.Date,
  // The grid has no TIME type; decoded times are "HH:MM:SS.ffffff" text (MySQL's may be negative or past 24h).
  TIME: GridSqlType.Text,
  TIMESTAMP: GridSqlType.Timestamp,
  JSON: GridSqlType.Json,
  // Bytes stay bytes in the row; TEXT is the closest column the grid has.
  BYTES: GridSqlType.Text,
};

/** The grid type of one decoded column. */
export function gridSqlType(column: ColumnInfo): string {
  return isDecimal(column.sqlType) ? decimalType(column.precision, column.scale) : byDebeziumType[column.sqlType];
}

function isDecimal(type: SqlType): type is DecimalType {
  return type.startsWith('DECIMAL');
}

/**
 * DECIMAL(p,s) when the schema fixes both and the grid accepts them, else
 * DECIMAL: a VariableScaleDecimal or a Decimal without precision, whose
 * values each keep their own scale, and PostgreSQL 15's negative scales or
 * scales above the precision, which the grid refuses.
 */
function decimalType(precision: number | null, scale: number | null): string {
  if (precision === null || scale === null) return GridSqlType.Decimal;
  const fits = precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision;
  return fits ? `DECIMAL(${precision},${scale})` : GridSqlType.Decimal;
}

/**
 * The SQL table a cache fed by these events is created as: the row schema's
 * columns and, as primary key, the named key columns (`--key`) or else the
 * record key's fields. Null, for a plain cache, when there is no row schema
 * (schemaless JSON), no key to name, a key field that is not a row column,
 * or a key column of a type the SQL layer cannot key by (BOOLEAN,
 * TIMESTAMP, JSON).
 */
export function sqlTableOf(rowSchema: StructSchema | null, keySchema: StructSchema | null, keyColumns: readonly string[] | undefined): TableSchemaConfig | null {
  if (rowSchema === null) return null;
  const described = describeTable(rowSchema, keySchema);
  const primaryKey = keyColumns ?? described.primaryKey;
  if (primaryKey.length === 0) return null;
  for (const name of primaryKey) {
    const column = described.columns.find((c) => c.name === name);
    if (column === undefined || !canKey(column)) return null;
  }
  return { columns: described.columns.map((c) => ({ name: c.name, type: gridSqlType(c), notNull: !c.optional })), primaryKey: [...primaryKey] };
}

function canKey(column: ColumnInfo): boolean {
  return isDecimal(column.sqlType) || KEYABLE_TYPES.has(byDebeziumType[column.sqlType]);
}
