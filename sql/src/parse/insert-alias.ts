import { SqlError } from '@shoal/client/protocol';
import type { ConvertContext } from './convert-context.js';
import { isNode, typeOf, type RawNode } from './raw-ast.js';

/** `INSERT INTO t AS i`: the alias, the table's name, and the table as the parser reported it. */
export interface InsertAlias {
  readonly name: string;
  readonly table: string;
  readonly rawTable: unknown;
}

/**
 * ON CONFLICT's clause with `i.c` read as `t.c`, the name the engine knows
 * the target by. As in PostgreSQL, the alias hides the table's own name.
 * Subqueries are left alone: they have their own names, and a reference
 * from one to the target would be a correlated subquery, refused anyway.
 */
export function aliasResolved(node: RawNode, alias: InsertAlias, ctx: ConvertContext): RawNode {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!isNode(value) || typeOf(value) === 'select') return value;
    if (typeOf(value) === 'column_ref' && value.table !== null && value.table !== undefined) return qualified(value, alias, ctx);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, visit(inner)]));
  };
  return visit(node) as RawNode;
}

function qualified(ref: RawNode, alias: InsertAlias, ctx: ConvertContext): RawNode {
  const table = ctx.ids.relation(ref.table);
  if (table === alias.name) return { ...ref, table: alias.rawTable };
  if (table === alias.table) throw new SqlError(`invalid reference to FROM-clause entry for table "${alias.table}"`);
  return ref;
}
