import { BadRequestError, SqlError } from '@shoal/client/protocol';
import type { Expr, Select, Statement } from '../ast.js';
import type { SubqueryValues } from './expr/compiled.js';
import { planFetch, type PlanContext, planSelect } from './plan/select-planner.js';
import type { SelectPlan } from './plan/select-plan.js';
import { childrenOf } from './plan/sources.js';
import type { SqlHost } from '../sql-host.js';

/** Every `IN (SELECT ...)` of a statement in pre-order: a subquery's id is its index + 1. */
export function collectSubqueries(statement: Statement): Select[] {
  const found: Select[] = [];
  const visitExpr = (expr: Expr | undefined): void => {
    if (!expr) return;
    if (expr.kind === 'in-subquery') {
      visitExpr(expr.operand);
      found.push(expr.query);
      visitSelect(expr.query);
      return;
    }
    for (const child of childrenOf(expr)) visitExpr(child);
  };
  const visitSelect = (select: Select): void => {
    for (const item of select.items) if (item.kind === 'expr') visitExpr(item.expr);
    for (const join of select.joins) visitExpr(join.on);
    [select.where, ...select.groupBy, select.having, ...select.orderBy.map((item) => item.expr), select.limit, select.offset].forEach(visitExpr);
  };
  const visitStatement = (node: Statement): void => {
    switch (node.kind) {
      case 'select':
        return visitSelect(node);
      case 'insert':
        node.rows.flat().forEach(visitExpr);
        if (node.onConflict?.action.kind === 'update') {
          node.onConflict.action.set.forEach((assignment) => visitExpr(assignment.value));
          visitExpr(node.onConflict.action.where);
        }
        return;
      case 'update':
        node.set.forEach((assignment) => visitExpr(assignment.value));
        return visitExpr(node.where);
      case 'delete':
        return visitExpr(node.where);
      case 'explain':
        return visitStatement(node.statement);
      default:
        return;
    }
  };
  visitStatement(statement);
  return found;
}

/** A statement's reads: its own (target 0) and its subqueries' (targets 1..n), planned with the values known so far. */
export class StatementTargets {
  readonly subqueries: readonly Select[];
  readonly values: (SubqueryValues | null)[];

  constructor(
    readonly statement: Statement,
    private readonly host: SqlHost,
    readonly params: readonly unknown[],
    values?: readonly (SubqueryValues | null)[],
  ) {
    this.subqueries = collectSubqueries(statement);
    if (values && values.length !== this.subqueries.length) {
      throw new BadRequestError(`malformed SQL map request: the statement has ${this.subqueries.length} subqueries, not ${values.length}`);
    }
    this.values = values ? [...values] : this.subqueries.map(() => null);
  }

  /** The values of a subquery of this statement, computed before anything that reads them is planned. */
  readonly subquery = (query: Select): SubqueryValues => {
    const index = this.subqueries.indexOf(query);
    const values = index < 0 ? undefined : this.values[index];
    if (!values) throw new BadRequestError('malformed SQL map request: a subquery the plan needs has no values');
    return values;
  };

  private context(): PlanContext {
    return { host: this.host, params: this.params, subquery: this.subquery };
  }

  plan(target: number): SelectPlan {
    if (target > 0) {
      const query = this.subqueries[target - 1];
      if (!query) throw new BadRequestError(`malformed SQL map request: the statement has no subquery ${target}`);
      return planSelect(query, this.context());
    }
    const statement = this.statement.kind === 'explain' ? this.statement.statement : this.statement;
    switch (statement.kind) {
      case 'select':
        return planSelect(statement, this.context());
      case 'update':
      case 'delete':
        return planFetch(statement.table, statement.where, this.context());
      default:
        throw new SqlError(`${statement.kind.toUpperCase()} has no map phase of its own`);
    }
  }
}
