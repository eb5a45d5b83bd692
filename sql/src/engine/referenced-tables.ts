import type { Select, Statement } from '../ast.js';
import { collectSubqueries } from './statement-targets.js';

/** Every table a statement names (FROM, JOIN, subqueries, the target of DML and DDL). */
export function referencedTables(statement: Statement): string[] {
  const names = new Set<string>();
  const fromSelect = (select: Select): void => {
    if (select.from) names.add(select.from.name);
    for (const join of select.joins) names.add(join.table.name);
  };
  const inner = statement.kind === 'explain' ? statement.statement : statement;
  switch (inner.kind) {
    case 'select':
      fromSelect(inner);
      break;
    case 'insert':
    case 'update':
    case 'delete':
    case 'create-index':
      names.add(inner.table);
      break;
    case 'create-table':
    case 'drop-table':
      names.add(inner.name);
      break;
    case 'drop-index':
      break;
  }
  for (const subquery of collectSubqueries(inner)) fromSelect(subquery);
  return [...names];
}
