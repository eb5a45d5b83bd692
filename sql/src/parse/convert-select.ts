import { SqlError } from '@shoal/client/protocol';
import type { Expr, Join, OrderItem, Select, SelectItem, TableRef } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { convertExpr } from './convert-expr.js';
import { isNode, listAt, nodeAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

const SELECT_KEYS: ReadonlySet<string> = new Set(['type', 'distinct', 'columns', 'from', 'where', 'groupby', 'having', 'orderby', 'limit', '_limit']);
const SELECT_FEATURES = {
  with: 'WITH (common table expressions)',
  window: 'WINDOW clauses',
  into: 'SELECT INTO',
  options: 'SELECT options',
  _next: 'UNION / INTERSECT / EXCEPT',
  set_op: 'UNION / INTERSECT / EXCEPT',
  for_update: 'FOR UPDATE',
  locking_read: 'FOR UPDATE / FOR SHARE',
  qualify: 'QUALIFY',
} as const;
const FROM_KEYS: ReadonlySet<string> = new Set(['db', 'table', 'as', 'join', 'on']);
const FROM_FEATURES = {
  expr: 'subqueries in FROM',
  prefix: 'LATERAL',
  tablesample: 'TABLESAMPLE',
  using: 'JOIN ... USING',
  schema: 'schema-qualified table names',
} as const;

const JOIN_KINDS: Readonly<Record<string, Join['kind']>> = { 'INNER JOIN': 'inner', JOIN: 'inner', 'LEFT JOIN': 'left', 'LEFT OUTER JOIN': 'left' };

/** A SELECT of the parser's output. WITH, set operations, window clauses and the like are refused by name. */
export function convertSelect(node: RawNode, ctx: ConvertContext): Select {
  refuseUnhandled(node, SELECT_KEYS, SELECT_FEATURES, 'SELECT');
  const where = optionalExpr(node.where, ctx);
  const having = optionalExpr(node.having, ctx);
  const { limit, offset } = limitAndOffset(node, ctx);
  const { from, joins } = fromClause(listAt(node, 'from'), ctx);
  return {
    kind: 'select',
    distinct: distinctOf(node.distinct),
    items: listAt(node, 'columns').map((item) => selectItem(item, ctx)),
    ...(from === undefined ? {} : { from }),
    joins,
    ...(where === undefined ? {} : { where }),
    groupBy: groupByItems(node.groupby).map((item) => convertExpr(item, ctx)),
    ...(having === undefined ? {} : { having }),
    orderBy: listAt(node, 'orderby').map((item) => orderItem(item, ctx)),
    ...(limit === undefined ? {} : { limit }),
    ...(offset === undefined ? {} : { offset }),
  };
}

function optionalExpr(raw: unknown, ctx: ConvertContext): Expr | undefined {
  return raw === null || raw === undefined ? undefined : convertExpr(raw, ctx);
}

function distinctOf(raw: unknown): boolean {
  if (raw === null || raw === undefined) return false;
  const type = isNode(raw) ? raw.type : raw;
  if (type === null || type === undefined) return false;
  if (type === 'DISTINCT') return true;
  if (type === 'DISTINCT ON') throw unsupported('DISTINCT ON');
  if (type === 'ALL') return false;
  throw unexpectedShape('DISTINCT');
}

/** `*`, `t.*`, or an expression with an optional alias. */
function selectItem(raw: unknown, ctx: ConvertContext): SelectItem {
  if (!isNode(raw)) throw unexpectedShape('select item');
  const expr = nodeAt(raw, 'expr');
  if (expr && typeOf(expr) === 'column_ref' && expr.column === '*') {
    if (raw.as) throw new SqlError('syntax error: * cannot have an alias');
    return expr.table === null || expr.table === undefined ? { kind: 'star' } : { kind: 'star', table: ctx.ids.relation(expr.table) };
  }
  const converted = convertExpr(expr, ctx);
  const alias = raw.as === null || raw.as === undefined ? undefined : ctx.ids.name(raw.as);
  return alias === undefined ? { kind: 'expr', expr: converted } : { kind: 'expr', expr: converted, alias };
}

/** A FROM list: the first table, then each JOIN with its ON condition. */
function fromClause(items: readonly unknown[], ctx: ConvertContext): { from?: TableRef; joins: readonly Join[] } {
  const [first, ...rest] = items.map((raw) => fromItem(raw, ctx));
  if (first === undefined) return { joins: [] };
  if (first.join !== undefined) throw unexpectedShape('FROM item');
  return { from: first.table, joins: rest.map((item) => join(item, ctx)) };
}

interface FromItem {
  readonly table: TableRef;
  readonly join?: unknown;
  readonly on?: unknown;
}

function fromItem(raw: unknown, ctx: ConvertContext): FromItem {
  if (!isNode(raw)) throw unexpectedShape('FROM item');
  if (typeOf(raw) === 'dual') throw unsupported('FROM DUAL');
  refuseUnhandled(raw, FROM_KEYS, FROM_FEATURES, 'FROM item');
  return { table: tableRef(raw, ctx), join: raw.join ?? undefined, on: raw.on };
}

function join(item: FromItem, ctx: ConvertContext): Join {
  if (item.join === undefined) throw unsupported('a comma-separated FROM list', 'use JOIN ... ON');
  const written = String(item.join).toUpperCase();
  const kind = JOIN_KINDS[written];
  if (!kind) throw unsupported(written, 'Shoal joins are INNER JOIN and LEFT JOIN');
  if (item.on === null || item.on === undefined) throw new SqlError('a JOIN needs an ON condition (CROSS and NATURAL joins are not supported)');
  return { kind, table: item.table, on: convertExpr(item.on, ctx) };
}

/** A table name with an optional alias; schema-qualified names are refused (Shoal has one namespace). */
export function tableRef(raw: RawNode, ctx: ConvertContext): TableRef {
  if (raw.db !== null && raw.db !== undefined) throw unsupported('schema-qualified table names');
  const name = ctx.ids.relation(raw.table);
  if (raw.as === null || raw.as === undefined) return { name };
  return { name, alias: ctx.ids.relation(raw.as) };
}

function groupByItems(raw: unknown): readonly unknown[] {
  if (raw === null || raw === undefined) return [];
  if (Array.isArray(raw)) return raw;
  if (!isNode(raw)) throw unexpectedShape('GROUP BY');
  refuseUnhandled(raw, new Set(['columns']), { modifiers: 'GROUP BY modifiers' }, 'GROUP BY');
  return listAt(raw, 'columns');
}

/** ASC unless DESC; NULLS FIRST/LAST only when written (the AST leaves PostgreSQL's default implicit). */
function orderItem(raw: unknown, ctx: ConvertContext): OrderItem {
  if (!isNode(raw)) throw unexpectedShape('ORDER BY item');
  const direction = String(raw.type ?? 'ASC').toUpperCase() === 'DESC' ? 'desc' : 'asc';
  const nulls = typeof raw.nulls === 'string' ? raw.nulls.toLowerCase() : undefined;
  const expr = convertExpr(raw.expr, ctx);
  if (nulls === undefined) return { expr, direction };
  if (nulls === 'nulls first') return { expr, direction, nulls: 'first' };
  if (nulls === 'nulls last') return { expr, direction, nulls: 'last' };
  throw unexpectedShape('NULLS ordering');
}

/**
 * The parser's LIMIT node: `{ seperator: '', value: [limit] }`,
 * `{ seperator: 'offset', value: [limit, offset] }`, or for a lone OFFSET
 * `{ seperator: 'offset', value: [offset] }` with a later LIMIT in `_limit`.
 * LIMIT ALL is no limit.
 */
function limitAndOffset(node: RawNode, ctx: ConvertContext): { limit?: Expr; offset?: Expr } {
  const main = nodeAt(node, 'limit');
  const values = main ? listAt(main, 'value') : [];
  const separator = main?.seperator ?? '';
  const trailing = listAt(nodeAt(node, '_limit') ?? {}, 'value');
  let limitRaw: unknown;
  let offsetRaw: unknown;
  if (separator === 'offset' && values.length === 1) [offsetRaw, limitRaw] = [values[0], trailing[0]];
  else if (separator === 'offset' && values.length === 2) [limitRaw, offsetRaw] = values;
  else if (separator === '' && values.length <= 1) limitRaw = values[0];
  else throw unsupported('this LIMIT form', 'use LIMIT n OFFSET m');
  const isAll = isNode(limitRaw) && typeOf(limitRaw) === 'origin' && String(limitRaw.value).toLowerCase() === 'all';
  return {
    ...(limitRaw === undefined || isAll ? {} : { limit: convertExpr(limitRaw, ctx) }),
    ...(offsetRaw === undefined ? {} : { offset: convertExpr(offsetRaw, ctx) }),
  };
}
