import type { CreateIndex, DropIndex, DropTable } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { requireDistinct } from './identifiers.js';
import { isNode, nodeAt, listAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

const INDEX_KEYS: ReadonlySet<string> = new Set([
  'type', 'keyword', 'index', 'if_not_exists', 'on_kw', 'table', 'index_columns', 'with_before_where', 'concurrently', 'index_using',
]);
const INDEX_FEATURES = {
  index_type: 'UNIQUE indexes',
  include: 'INCLUDE columns',
  with: 'index storage parameters',
  tablespace: 'TABLESPACE',
  where: 'partial indexes (CREATE INDEX ... WHERE)',
} as const;
const INDEX_COLUMN_KEYS: ReadonlySet<string> = new Set(['type', 'table', 'column', 'collate']);
const INDEX_COLUMN_FEATURES = { opclass: 'operator classes', order_by: 'ASC/DESC index columns', nulls: 'NULLS FIRST/LAST index columns', collate: 'COLLATE' } as const;
/** Index methods that mean an ordinary index; Shoal picks its own structure. */
const PLAIN_METHODS: ReadonlySet<string> = new Set(['btree', 'hash']);

/**
 * CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON t (col, ...).
 * CONCURRENTLY only changes locking in PostgreSQL, and Shoal builds indexes
 * without blocking writes anyway, so it is accepted.
 */
export function convertCreateIndex(node: RawNode, ctx: ConvertContext): CreateIndex {
  refuseUnhandled(node, INDEX_KEYS, INDEX_FEATURES, 'CREATE INDEX');
  const method = nodeAt(node, 'index_using')?.type;
  if (method !== undefined && !PLAIN_METHODS.has(String(method).toLowerCase())) throw unsupported(`index method ${String(method)}`);
  const table = nodeAt(node, 'table');
  if (!table) throw unexpectedShape('CREATE INDEX table');
  if (table.db !== null && table.db !== undefined) throw unsupported('schema-qualified table names');
  const columns = listAt(node, 'index_columns').map((c) => indexColumn(c, ctx));
  requireDistinct(columns, (c) => `column "${c}" appears twice in the index`);
  const name = node.index === null || node.index === undefined ? undefined : ctx.ids.relation(node.index);
  return {
    kind: 'create-index',
    ...(name === undefined ? {} : { name }),
    table: ctx.ids.relation(table.table),
    columns,
    ifNotExists: Boolean(node.if_not_exists),
  };
}

function indexColumn(raw: unknown, ctx: ConvertContext): string {
  if (!isNode(raw) || typeOf(raw) !== 'column_ref') throw unsupported('expression indexes', 'index columns must be plain columns');
  refuseUnhandled(raw, INDEX_COLUMN_KEYS, INDEX_COLUMN_FEATURES, 'index column');
  if (raw.table !== null && raw.table !== undefined) throw unexpectedShape('index column');
  return ctx.ids.name(isNode(raw.column) ? nodeAt(raw.column, 'expr') : raw.column);
}

/**
 * DROP TABLE [IF EXISTS] t. The parser reads a trailing CASCADE or RESTRICT
 * as the table's alias; either is refused (Shoal has no dependent objects to
 * cascade to, and silently ignoring the word would misstate what happened).
 */
export function convertDropTable(node: RawNode, ctx: ConvertContext): DropTable {
  refuseUnhandled(node, new Set(['type', 'keyword', 'prefix', 'name']), { options: 'DROP TABLE options' }, 'DROP TABLE');
  const names = listAt(node, 'name');
  if (names.length !== 1) throw unsupported('dropping several tables in one statement');
  const table = names[0];
  if (!isNode(table)) throw unexpectedShape('DROP TABLE name');
  if (table.as !== null && table.as !== undefined) throw unsupported(`DROP TABLE ... ${String(table.as).toUpperCase()}`);
  if (table.db !== null && table.db !== undefined) throw unsupported('schema-qualified table names');
  return { kind: 'drop-table', name: ctx.ids.relation(table.table), ifExists: ifExists(node) };
}

/** DROP INDEX [IF EXISTS] name: the parser gives the name as a column reference, quoting kept. */
export function convertDropIndex(node: RawNode, ctx: ConvertContext): DropIndex {
  refuseUnhandled(node, new Set(['type', 'keyword', 'prefix', 'name']), { options: 'DROP INDEX options (CASCADE, ...)' }, 'DROP INDEX');
  const name = nodeAt(node, 'name');
  if (!name || typeOf(name) !== 'column_ref') throw unexpectedShape('DROP INDEX name');
  if (name.table !== null && name.table !== undefined) throw unsupported('schema-qualified index names');
  return { kind: 'drop-index', name: ctx.ids.name(isNode(name.column) ? nodeAt(name.column, 'expr') : name.column), ifExists: ifExists(node) };
}

function ifExists(node: RawNode): boolean {
  return typeof node.prefix === 'string' && node.prefix.toUpperCase() === 'IF EXISTS';
}
