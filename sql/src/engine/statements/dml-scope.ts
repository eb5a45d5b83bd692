import { SqlError } from '@shoal/client/protocol';
import type { Assignment, Select } from '../../ast.js';
import { compileExpr } from '../expr/compile-expr.js';
import type { Evaluator, ExprScope, SubqueryValues } from '../expr/compiled.js';
import { resolveColumn, type Source } from '../plan/sources.js';
import type { TableLayout } from '../table-layout.js';
import { valueForColumn } from './row-values.js';

/** A compiled `SET col = expr`: the column's position and how to compute its new value from the row. */
export interface CompiledAssignment {
  readonly position: number;
  readonly value: Evaluator;
}

export function tableScope(sources: readonly Source[], params: readonly unknown[], clause: string, subquery: (query: Select) => SubqueryValues): ExprScope {
  return { params, clause, subquery, column: (table, name) => resolveColumn(sources, table, name) };
}

export function compileAssignments(layout: TableLayout, set: readonly Assignment[], scope: ExprScope): CompiledAssignment[] {
  const seen = new Set<string>();
  return set.map((assignment) => {
    const position = layout.positionOf(assignment.column);
    if (position === undefined) throw new SqlError(`column "${assignment.column}" of relation "${layout.name}" does not exist`);
    if (seen.has(assignment.column)) throw new SqlError(`multiple assignments to same column "${assignment.column}"`);
    seen.add(assignment.column);
    return { position, value: compileExpr(assignment.value, scope).evaluate };
  });
}

/** The row after the assignments, every value checked against its column; computed from the old row (`input`). */
export function applyAssignments(layout: TableLayout, assignments: readonly CompiledAssignment[], old: readonly unknown[], input: readonly unknown[]): unknown[] {
  const cells = old.slice(0, layout.width);
  for (const assignment of assignments) {
    cells[assignment.position] = valueForColumn(assignment.value(input), layout.columns[assignment.position]!);
  }
  return cells;
}
