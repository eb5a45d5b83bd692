import { SqlError } from '@shoal/client/protocol';
import type { Expr, Select } from '../../ast.js';
import type { SqlHost } from '../../sql-host.js';
import { compileExpr } from '../expr/compile-expr.js';
import type { ExprScope, SubqueryValues } from '../expr/compiled.js';
import { planOutput } from './output-planner.js';
import { planRows } from './row-source-planner.js';
import type { SelectPlan } from './select-plan.js';
import { inputScope, resolveSources, type Source, widthOf } from './sources.js';

/** What planning needs besides the statement: the catalog, the parameters, the subqueries' values. */
export interface PlanContext {
  readonly host: SqlHost;
  readonly params: readonly unknown[];
  readonly subquery: (query: Select) => SubqueryValues;
}

/**
 * Plans a SELECT. Deterministic for a statement, its parameters and the
 * catalog, so the map phase re-plans on each owner and reaches the same plan.
 */
export function planSelect(select: Select, context: PlanContext): SelectPlan {
  const sources = resolveSources(context.host, select);
  const scope = (clause: string): ExprScope => inputScope(sources, context.params, clause, context.subquery);
  const limit = select.limit ? rowCount(select.limit, 'LIMIT', scope('LIMIT')) : undefined;
  const offset = select.offset ? (rowCount(select.offset, 'OFFSET', scope('OFFSET')) ?? 0) : 0;
  const output = planOutput(select, sources, scope, limit, offset);
  const rows = sources.length === 0 ? singleRow(select.where, scope) : planRows(sources, select.where, scope);
  return {
    sources,
    width: widthOf(sources),
    rowSource: rows.rowSource,
    ...(rows.filter ? { filter: rows.filter } : {}),
    sink: output.sink,
    finish: { ...output.finish, offset, ...(limit === undefined ? {} : { limit }) },
    columns: output.columns,
    kinds: output.kinds,
  };
}

/** The read of an UPDATE or DELETE: the stored key and cells of every row the WHERE keeps. */
export function planFetch(table: string, where: Expr | undefined, context: PlanContext): SelectPlan {
  const select: Select = { kind: 'select', distinct: false, items: [{ kind: 'star' }], from: { name: table }, joins: [], groupBy: [], orderBy: [], ...(where ? { where } : {}) };
  const plan = planSelect(select, context);
  return { ...plan, sink: { kind: 'fetch' } };
}

function singleRow(where: Expr | undefined, scope: (clause: string) => ExprScope) {
  const rowSource = { kind: 'single-row' as const };
  if (!where) return { rowSource };
  const filter = compileExpr(where, scope('WHERE'));
  return { rowSource, filter: filter.evaluate };
}

/** LIMIT and OFFSET take constants or parameters; LIMIT NULL means no limit, as in PostgreSQL. */
function rowCount(expr: Expr, clause: string, scope: ExprScope): number | undefined {
  const compiled = compileExpr(expr, scope);
  if (!compiled.constant) throw new SqlError(`argument of ${clause} must not contain variables`);
  const value = typeof compiled.value === 'string' && /^\s*\d+\s*$/.test(compiled.value) ? Number(compiled.value) : compiled.value;
  if (value === null) return undefined;
  const count = typeof value === 'bigint' ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count)) throw new SqlError(`argument of ${clause} must be an integer`);
  if (count < 0) throw new SqlError(`${clause} must not be negative`);
  return count;
}

export type { Source };
