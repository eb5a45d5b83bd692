/**
 * The generated data set of one differential run: tables with their schema,
 * placement and rows, the same for Shoal and for SQLite.
 */

/** The type of a column or of a generated expression (VARCHAR(n) is `text` with a `maxLength`). */
export type ValueType = 'int' | 'bigint' | 'double' | 'text' | 'bool';

/** A cell: SQL NULL is null; INT/BIGINT (within ±2^53) and DOUBLE are numbers. */
export type Value = null | number | string | boolean;

export type Row = Readonly<Record<string, Value>>;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ValueType;
  /** VARCHAR(n): updates must not make a value longer than this (PostgreSQL refuses it). */
  readonly maxLength?: number;
  readonly nullable: boolean;
}

export interface IndexSpec {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface TableSpec {
  readonly name: string;
  readonly mode: 'partitioned' | 'replicated';
  readonly backups: number;
  /** Primary-key columns first, in key order. */
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexSpec[];
  readonly rows: readonly Row[];
}

export interface World {
  readonly seed: number;
  readonly tables: readonly TableSpec[];
}

export function columnOf(table: TableSpec, name: string): ColumnSpec {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`table ${table.name} has no column ${name}`);
  return column;
}

export function tableOf(world: World, name: string): TableSpec {
  const table = world.tables.find((t) => t.name === name);
  if (!table) throw new Error(`no table ${name} in the world`);
  return table;
}

/** Numbers compare by value across INT, BIGINT and DOUBLE; the rest only with their own kind. */
export function comparableFamily(type: ValueType): 'number' | 'text' | 'bool' {
  return type === 'text' ? 'text' : type === 'bool' ? 'bool' : 'number';
}
