import { SqlError } from '@shoal/client/protocol';
import type { Assignment, ConflictAction, Delete, Expr, Insert, Update } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { convertExpr } from './convert-expr.js';
import { requireDistinct } from './identifiers.js';
import { aliasResolved, type InsertAlias } from './insert-alias.js';
import { isNode, listAt, nodeAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

const RETURNING = { returning: 'RETURNING', with: 'WITH (common table expressions)' } as const;
const INSERT_KEYS: ReadonlySet<string> = new Set(['type', 'table', 'columns', 'values', 'conflict', 'prefix']);
const UPDATE_KEYS: ReadonlySet<string> = new Set(['type', 'table', 'set', 'where']);
const DELETE_KEYS: ReadonlySet<string> = new Set(['type', 'table', 'from', 'where']);
const TARGET_KEYS: ReadonlySet<string> = new Set(['db', 'table', 'as', 'addition']);

/** INSERT INTO t [(cols)] VALUES (...), (...) [ON CONFLICT ...]. */
export function convertInsert(node: RawNode, ctx: ConvertContext): Insert {
  refuseUnhandled(node, INSERT_KEYS, { ...RETURNING, partition: 'PARTITION', on_duplicate_update: 'ON DUPLICATE KEY' }, 'INSERT');
  const { table, alias } = insertTarget(node.table, ctx);
  const columns = Array.isArray(node.columns) ? node.columns.map((c) => ctx.ids.name(c)) : undefined;
  if (columns) requireDistinct(columns, (c) => `column "${c}" specified more than once`);
  const rows = valuesRows(node.values, ctx);
  const width = columns?.length ?? rows[0]!.length;
  for (const row of rows) {
    if (row.length !== width) {
      throw new SqlError(columns ? `INSERT has ${row.length > width ? 'more' : 'fewer'} expressions than target columns` : 'VALUES lists must all be the same length');
    }
  }
  const conflict = nodeAt(node, 'conflict');
  return {
    kind: 'insert',
    table,
    ...(columns === undefined ? {} : { columns }),
    rows,
    ...(conflict === undefined ? {} : { onConflict: onConflict(alias ? aliasResolved(conflict, alias, ctx) : conflict, ctx) }),
  };
}

/** INSERT's target, which may carry an alias (`INSERT INTO t AS i`, put there by insert-head.ts). */
function insertTarget(raw: unknown, ctx: ConvertContext): { readonly table: string; readonly alias?: InsertAlias } {
  const first = Array.isArray(raw) && raw.length === 1 && isNode(raw[0]) ? raw[0] : undefined;
  if (!first || first.as === null || first.as === undefined) return { table: targetTable(raw, ctx, 'INSERT') };
  const table = targetTable([{ ...first, as: null }], ctx, 'INSERT');
  const alias = ctx.ids.relation(first.as);
  if (alias === 'excluded') throw new SqlError('table name "excluded" specified more than once');
  return { table, alias: { name: alias, table, rawTable: first.table } };
}

/** UPDATE t SET c = v, ... [WHERE ...]. */
export function convertUpdate(node: RawNode, ctx: ConvertContext): Update {
  refuseUnhandled(node, UPDATE_KEYS, { ...RETURNING, from: 'UPDATE ... FROM' }, 'UPDATE');
  const table = targetTable(node.table, ctx, 'UPDATE');
  const where = node.where === null || node.where === undefined ? undefined : convertExpr(node.where, ctx);
  return { kind: 'update', table, set: assignments(listAt(node, 'set'), ctx), ...(where === undefined ? {} : { where }) };
}

/** DELETE FROM t [WHERE ...]. The parser lists the table under both `table` and `from`. */
export function convertDelete(node: RawNode, ctx: ConvertContext): Delete {
  refuseUnhandled(node, DELETE_KEYS, { ...RETURNING, using: 'DELETE ... USING' }, 'DELETE');
  const table = targetTable(node.from, ctx, 'DELETE');
  const where = node.where === null || node.where === undefined ? undefined : convertExpr(node.where, ctx);
  return { kind: 'delete', table, ...(where === undefined ? {} : { where }) };
}

/** The one table a DML statement writes: no schema, no alias (the AST has none to carry). */
function targetTable(raw: unknown, ctx: ConvertContext, statement: string): string {
  const tables = Array.isArray(raw) ? raw : [];
  if (tables.length !== 1) throw unsupported(`${statement} on more than one table`);
  const table = tables[0];
  if (!isNode(table)) throw unexpectedShape(`${statement} table`);
  refuseUnhandled(table, TARGET_KEYS, { join: `${statement} with a JOIN` }, `${statement} table`);
  if (table.db !== null && table.db !== undefined) throw unsupported('schema-qualified table names');
  if (table.as !== null && table.as !== undefined) throw unsupported(`${statement} with a table alias`);
  return ctx.ids.relation(table.table);
}

function valuesRows(raw: unknown, ctx: ConvertContext): readonly (readonly Expr[])[] {
  if (!isNode(raw)) throw unexpectedShape('INSERT values');
  if (typeOf(raw) === 'select') throw unsupported('INSERT ... SELECT');
  if (typeOf(raw) !== 'values') throw unexpectedShape('INSERT values');
  const rows = listAt(raw, 'values').map((row) => {
    if (!isNode(row) || typeOf(row) !== 'expr_list') throw unexpectedShape('VALUES row');
    return listAt(row, 'value').map((value) => convertExpr(value, ctx));
  });
  if (rows.length === 0) throw unexpectedShape('INSERT values');
  return rows;
}

/** `SET a = 1, b = excluded.b`: unqualified target columns, each at most once. */
function assignments(items: readonly unknown[], ctx: ConvertContext): readonly Assignment[] {
  const set = items.map((item): Assignment => {
    if (!isNode(item) || typeOf(item) !== 'column_ref') throw unexpectedShape('SET item');
    if (item.table !== null && item.table !== undefined) throw unsupported('a qualified column in SET');
    const column = isNode(item.column) ? nodeAt(item.column, 'expr') : item.column;
    return { column: ctx.ids.name(column), value: convertExpr(item.value, ctx) };
  });
  if (set.length === 0) throw unexpectedShape('SET');
  requireDistinct(set.map((a) => a.column), (c) => `multiple assignments to same column "${c}"`);
  return set;
}

/**
 * ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ... [WHERE ...]. Without
 * columns the target is empty (any key conflict); PostgreSQL requires them
 * for DO UPDATE.
 */
function onConflict(node: RawNode, ctx: ConvertContext): NonNullable<Insert['onConflict']> {
  const targetNode = nodeAt(node, 'target');
  if (targetNode && targetNode.type !== 'column') throw unsupported('ON CONFLICT ON CONSTRAINT');
  if (targetNode) refuseUnhandled(targetNode, new Set(['type', 'expr']), { where: 'ON CONFLICT (...) WHERE' }, 'ON CONFLICT target');
  const target = targetNode ? listAt(targetNode, 'expr').map((c) => conflictColumn(c, ctx)) : [];
  const action = nodeAt(nodeAt(node, 'action') ?? {}, 'expr');
  return { target, action: conflictAction(action, target, ctx) };
}

function conflictColumn(raw: unknown, ctx: ConvertContext): string {
  if (!isNode(raw) || typeOf(raw) !== 'column_ref' || (raw.table !== null && raw.table !== undefined)) throw unsupported('expressions as an ON CONFLICT target');
  return ctx.ids.name(isNode(raw.column) ? nodeAt(raw.column, 'expr') : raw.column);
}

function conflictAction(action: RawNode | undefined, target: readonly string[], ctx: ConvertContext): ConflictAction {
  if (action && typeOf(action) === 'origin' && String(action.value).toLowerCase() === 'nothing') return { kind: 'nothing' };
  if (!action || typeOf(action) !== 'update') throw unexpectedShape('ON CONFLICT action');
  if (target.length === 0) throw new SqlError('ON CONFLICT DO UPDATE requires the conflict columns, e.g. ON CONFLICT (id)');
  const where = action.where === null || action.where === undefined ? undefined : convertExpr(action.where, ctx);
  return { kind: 'update', set: assignments(listAt(action, 'set'), ctx), ...(where === undefined ? {} : { where }) };
}
