import { renderValue } from './render-expr.js';
import type { ColumnSpec, IndexSpec, Row, TableSpec } from './world.js';

const SHOAL_TYPES = { int: 'INT', bigint: 'BIGINT', double: 'DOUBLE', text: 'TEXT', bool: 'BOOLEAN' } as const;
/** SQLite's affinities: BOOLEAN stored as 0/1 (answers are normalised by the result's SQL type). */
const SQLITE_TYPES = { int: 'INTEGER', bigint: 'INTEGER', double: 'REAL', text: 'TEXT', bool: 'INTEGER' } as const;

function shoalType(c: ColumnSpec): string {
  return c.type === 'text' && c.maxLength !== undefined ? `VARCHAR(${c.maxLength})` : SHOAL_TYPES[c.type];
}

export function shoalCreateTable(t: TableSpec): string {
  const columns = t.columns.map((c) => `${c.name} ${shoalType(c)}`);
  const placement = t.mode === 'partitioned' ? `mode = 'partitioned', backups = ${t.backups}` : `mode = 'replicated'`;
  return `CREATE TABLE ${t.name} (${columns.join(', ')}, PRIMARY KEY (${t.primaryKey.join(', ')})) WITH (${placement})`;
}

/** Key columns NOT NULL: SQLite would otherwise let a NULL into a non-INTEGER primary key. */
export function sqliteCreateTable(t: TableSpec): string {
  const columns = t.columns.map((c) => `${c.name} ${SQLITE_TYPES[c.type]}${t.primaryKey.includes(c.name) ? ' NOT NULL' : ''}`);
  return `CREATE TABLE ${t.name} (${columns.join(', ')}, PRIMARY KEY (${t.primaryKey.join(', ')}))`;
}

export function createIndex(t: TableSpec, index: IndexSpec): string {
  return `CREATE INDEX ${index.name} ON ${t.name} (${index.columns.join(', ')})`;
}

/** How an INSERT carries its values: as literals, or bound as `$n` or `?` parameters. */
export type ValueStyle = 'literal' | '$' | '?';

export interface InsertStatement {
  readonly text: string;
  readonly params: readonly unknown[];
}

/** One multi-row INSERT for Shoal, with an optional ON CONFLICT tail; without `columnList` the values go in table order. */
export function shoalInsert(t: TableSpec, rows: readonly Row[], style: ValueStyle, tail = '', columnList = true): InsertStatement {
  const params: unknown[] = [];
  const cell = (row: Row, c: ColumnSpec) => {
    const value = row[c.name] ?? null;
    if (style === 'literal') return renderValue(value, c.type);
    params.push(value);
    return style === '$' ? `$${params.length}` : '?';
  };
  const tuples = rows.map((row) => `(${t.columns.map((c) => cell(row, c)).join(', ')})`);
  const columns = columnList ? ` (${t.columns.map((c) => c.name).join(', ')})` : '';
  return { text: `INSERT INTO ${t.name}${columns} VALUES ${tuples.join(', ')}${tail ? ` ${tail}` : ''}`, params };
}
