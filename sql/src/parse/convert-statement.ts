import type { Statement } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { convertCreateTable } from './convert-create-table.js';
import { convertCreateIndex, convertDropIndex, convertDropTable } from './convert-ddl.js';
import { convertDelete, convertInsert, convertUpdate } from './convert-dml.js';
import { convertSelect } from './convert-select.js';
import { typeOf, unsupported, type RawNode } from './raw-ast.js';

type StatementConverter = (node: RawNode, ctx: ConvertContext) => Statement;

/** By `type`, followed by `keyword` where the parser gives one ("create table", "drop index", ...). */
const converters: Readonly<Record<string, StatementConverter>> = {
  select: convertSelect,
  insert: convertInsert,
  update: convertUpdate,
  delete: convertDelete,
  'create table': convertCreateTable,
  'create index': convertCreateIndex,
  'drop table': convertDropTable,
  'drop index': convertDropIndex,
};

/** One statement of the parser's output as Shoal's AST; any other statement is refused by name. */
export function convertStatement(node: RawNode, ctx: ConvertContext): Statement {
  const type = typeOf(node).toLowerCase();
  const keyword = typeof node.keyword === 'string' ? node.keyword.toLowerCase() : '';
  const name = keyword === '' ? type : `${type} ${keyword}`;
  const converter = converters[name];
  if (!converter) throw unsupported(name.toUpperCase() || 'this statement', 'Shoal runs SELECT, INSERT, UPDATE, DELETE, CREATE/DROP TABLE, CREATE/DROP INDEX and EXPLAIN');
  return converter(node, ctx);
}
