import { SqlError } from '@shoal/client/protocol';
import type { ColumnDefinition, CreateTable } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { requireDistinct } from './identifiers.js';
import { isNode, listAt, nodeAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';
import { sqlType } from './sql-types.js';

const TABLE_KEYS: ReadonlySet<string> = new Set(['type', 'keyword', 'if_not_exists', 'table', 'create_definitions']);
const TABLE_FEATURES = {
  temporary: 'TEMPORARY tables',
  unlogged: 'UNLOGGED tables',
  query_expr: 'CREATE TABLE ... AS',
  as: 'CREATE TABLE ... AS',
  like: 'CREATE TABLE ... LIKE',
  table_options: 'table options other than WITH (mode = ..., backups = ...)',
  ignore_replace: 'IGNORE / REPLACE',
} as const;
const COLUMN_KEYS: ReadonlySet<string> = new Set(['column', 'definition', 'resource', 'primary_key', 'nullable', 'default_val']);
const COLUMN_FEATURES = {
  unique: 'UNIQUE constraints',
  check: 'CHECK constraints',
  reference_definition: 'REFERENCES (foreign keys)',
  collate: 'COLLATE',
  comment: 'column comments',
  auto_increment: 'auto-increment columns',
  generated: 'generated columns',
  character_set: 'character sets',
} as const;
const CONSTRAINT_KEYS: ReadonlySet<string> = new Set(['constraint', 'definition', 'constraint_type', 'keyword', 'resource']);

/** Built up column by column and constraint by constraint. */
interface TableParts {
  readonly columns: ColumnDefinition[];
  readonly primaryKey: string[][];
}

/**
 * CREATE TABLE [IF NOT EXISTS] t (col TYPE [NOT NULL] [PRIMARY KEY], ...,
 * [PRIMARY KEY (a, b)]). Every Shoal table is a cache keyed by its primary
 * key, so a table without one is refused. The WITH options are read around
 * the parser and attached by the caller.
 */
export function convertCreateTable(node: RawNode, ctx: ConvertContext): CreateTable {
  refuseUnhandled(node, TABLE_KEYS, TABLE_FEATURES, 'CREATE TABLE');
  const name = tableName(node.table, ctx);
  const parts: TableParts = { columns: [], primaryKey: [] };
  for (const definition of listAt(node, 'create_definitions')) {
    if (!isNode(definition)) throw unexpectedShape('table element');
    if (definition.resource === 'column') addColumn(definition, parts, ctx);
    else if (definition.resource === 'constraint') addConstraint(definition, parts, ctx);
    else throw unsupported(`table elements of kind ${String(definition.resource)}`);
  }
  if (parts.columns.length === 0) throw new SqlError(`table "${name}" needs at least one column`);
  requireDistinct(parts.columns.map((c) => c.name), (c) => `column "${c}" specified more than once`);
  const primaryKey = onePrimaryKey(name, parts);
  const columns = parts.columns.map((c) => (primaryKey.includes(c.name) ? { ...c, notNull: true } : c));
  return { kind: 'create-table', name, ifNotExists: Boolean(node.if_not_exists), columns, primaryKey, options: {} };
}

function tableName(raw: unknown, ctx: ConvertContext): string {
  const tables = Array.isArray(raw) ? raw : [raw];
  const table = tables.length === 1 && isNode(tables[0]) ? tables[0] : undefined;
  if (!table) throw unexpectedShape('table name');
  if (table.db !== null && table.db !== undefined) throw unsupported('schema-qualified table names');
  return ctx.ids.relation(table.table);
}

function addColumn(definition: RawNode, parts: TableParts, ctx: ConvertContext): void {
  refuseUnhandled(definition, COLUMN_KEYS, COLUMN_FEATURES, 'column definition');
  if (nodeAt(definition, 'default_val')) throw unsupported('DEFAULT values', 'Shoal columns have no defaults');
  const name = columnName(definition.column, ctx);
  const nullable = nodeAt(definition, 'nullable');
  const notNull = String(nullable?.type ?? '').toLowerCase() === 'not null';
  parts.columns.push({ name, type: sqlType(definition.definition), notNull });
  if (definition.primary_key) parts.primaryKey.push([name]);
}

/** Table-level constraints: only PRIMARY KEY (a, b), optionally named. */
function addConstraint(definition: RawNode, parts: TableParts, ctx: ConvertContext): void {
  const type = String(definition.constraint_type ?? '').toLowerCase();
  if (type !== 'primary key') throw unsupported(`${type.toUpperCase() || 'this'} constraints`);
  refuseUnhandled(definition, CONSTRAINT_KEYS, { index_type: 'PRIMARY KEY USING', index_options: 'PRIMARY KEY options' }, 'PRIMARY KEY');
  const columns = listAt(definition, 'definition').map((c) => columnName(c, ctx));
  requireDistinct(columns, (c) => `column "${c}" appears twice in primary key constraint`);
  parts.primaryKey.push(columns);
}

function onePrimaryKey(table: string, parts: TableParts): readonly string[] {
  if (parts.primaryKey.length === 0) {
    throw new SqlError(`table "${table}" needs a PRIMARY KEY: a Shoal table is a cache keyed by its primary key`);
  }
  if (parts.primaryKey.length > 1) throw new SqlError(`multiple primary keys for table "${table}" are not allowed`);
  const key = parts.primaryKey[0]!;
  const missing = key.find((k) => !parts.columns.some((c) => c.name === k));
  if (missing !== undefined) throw new SqlError(`column "${missing}" named in key does not exist`);
  return key;
}

function columnName(raw: unknown, ctx: ConvertContext): string {
  if (!isNode(raw) || typeOf(raw) !== 'column_ref') throw unexpectedShape('column name');
  if (raw.table !== null && raw.table !== undefined) throw unexpectedShape('column name');
  return ctx.ids.name(isNode(raw.column) ? nodeAt(raw.column, 'expr') : raw.column);
}
