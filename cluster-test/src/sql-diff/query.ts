import { type Expr, type ResultKind, resultKind } from './expr.js';
import { type Dialect, RenderContext, renderExpr } from './render-expr.js';
import type { Value, ValueType } from './world.js';

export interface SelectItem {
  readonly expr: Expr;
  readonly alias: string;
}

export interface OrderKey {
  /** An output column by its alias, or any expression of the FROM scope. */
  readonly key: { readonly alias: string } | { readonly expr: Expr };
  readonly direction: 'ASC' | 'DESC';
  readonly nulls: 'FIRST' | 'LAST';
}

export interface JoinClause {
  readonly kind: 'INNER' | 'LEFT';
  readonly table: string;
  readonly alias: string;
  readonly on: Expr;
}

/**
 * How the two answers must agree: `none` as multisets; `total` row by row
 * (the ORDER BY decides every position); `keys` when the ORDER BY names
 * output columns only and may tie: the key columns row by row, the rows
 * within a run of equal keys as multisets.
 */
export type OrderCheck = { readonly kind: 'none' } | { readonly kind: 'total' } | { readonly kind: 'keys'; readonly columns: readonly number[] };

export interface Query {
  readonly distinct: boolean;
  /** `star` with the table's columns in order (for normalising the answer). */
  readonly items: readonly SelectItem[] | { readonly star: readonly { readonly name: string; readonly type: ValueType }[] };
  readonly from: { readonly table: string; readonly alias?: string };
  readonly join?: JoinClause;
  readonly where?: Expr;
  readonly groupBy?: readonly Expr[];
  readonly having?: Expr;
  readonly orderBy?: readonly OrderKey[];
  readonly limit?: number;
  readonly offset?: number;
  readonly check: OrderCheck;
}

export interface RenderedStatement {
  readonly text: string;
  readonly params: readonly { readonly value: Value; readonly type: ValueType }[];
}

export function renderQuery(q: Query, dialect: Dialect, placeholder: '$' | '?' = '$'): RenderedStatement {
  const ctx = new RenderContext(dialect, placeholder);
  const r = (e: Expr) => renderExpr(e, ctx);
  const parts = [`SELECT ${q.distinct ? 'DISTINCT ' : ''}${'star' in q.items ? '*' : q.items.map((i) => `${r(i.expr)} AS ${i.alias}`).join(', ')}`];
  parts.push(`FROM ${q.from.table}${q.from.alias ? ` ${q.from.alias}` : ''}`);
  if (q.join) parts.push(`${q.join.kind} JOIN ${q.join.table} ${q.join.alias} ON ${r(q.join.on)}`);
  if (q.where) parts.push(`WHERE ${r(q.where)}`);
  if (q.groupBy) parts.push(`GROUP BY ${q.groupBy.map(r).join(', ')}`);
  if (q.having) parts.push(`HAVING ${r(q.having)}`);
  if (q.orderBy && q.orderBy.length > 0) {
    parts.push(`ORDER BY ${q.orderBy.map((o) => `${'alias' in o.key ? o.key.alias : r(o.key.expr)} ${o.direction} NULLS ${o.nulls}`).join(', ')}`);
  }
  // SQLite takes no OFFSET without a LIMIT; -1 is its "no limit".
  if (q.limit !== undefined || (q.offset !== undefined && dialect === 'sqlite')) parts.push(`LIMIT ${q.limit ?? -1}`);
  if (q.offset !== undefined) parts.push(`OFFSET ${q.offset}`);
  return { text: parts.join(' '), params: ctx.params };
}

/** How each output column is compared. */
export function resultKinds(q: Query): ResultKind[] {
  if ('star' in q.items) return q.items.star.map((c) => (c.type === 'bigint' ? 'int' : c.type));
  return q.items.map((i) => resultKind(i.expr));
}

/** The output column names, as both engines must answer them. */
export function outputNames(q: Query): string[] | undefined {
  return 'star' in q.items ? q.items.star.map((c) => c.name) : q.items.map((i) => i.alias);
}
