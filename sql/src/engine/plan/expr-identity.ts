import type { Expr } from '../../ast.js';
import { childrenOf } from './sources.js';

/**
 * A structural identity of an expression with its columns resolved to row
 * positions, so `t.a + 1` in GROUP BY matches `a + 1` in the select list.
 */
export function exprIdentity(expr: Expr, positionOf: (table: string | undefined, name: string) => number | undefined): string {
  return JSON.stringify(expr, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'column') {
      const column = value as Extract<Expr, { kind: 'column' }>;
      const position = positionOf(column.table, column.name);
      return position === undefined ? { column: column.name, table: column.table ?? null } : { position };
    }
    return value;
  });
}

/** Every aggregate call in an expression, outermost first; subqueries are their own scope. */
export function aggregateCalls(expr: Expr, isAggregate: (expr: Expr) => boolean): Expr[] {
  if (isAggregate(expr)) return [expr];
  return childrenOf(expr).flatMap((child) => aggregateCalls(child, isAggregate));
}
