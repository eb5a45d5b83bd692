import { SqlError } from '@shoal/client/protocol';
import type { Expr, Join, Select, SqlType, TableRef } from '../../ast.js';
import type { SqlHost } from '../../sql-host.js';
import type { ExprScope, SubqueryValues } from '../expr/compiled.js';
import { TableLayout } from '../table-layout.js';

/** A table of FROM or JOIN and where its columns sit in the combined row. */
export interface Source {
  readonly layout: TableLayout;
  /** The alias, else the table name: what `x.col` refers to. */
  readonly name: string;
  readonly offset: number;
  readonly join?: Join;
}

export function lookupTable(host: SqlHost, name: string): TableLayout {
  const info = host.table(name);
  if (!info) throw new SqlError(`relation "${name}" does not exist`);
  return new TableLayout(info);
}

export function resolveSources(host: SqlHost, select: Pick<Select, 'from' | 'joins'>): Source[] {
  if (!select.from) return [];
  const refs: { ref: TableRef; join?: Join }[] = [{ ref: select.from }, ...select.joins.map((join) => ({ ref: join.table, join }))];
  const sources: Source[] = [];
  let offset = 0;
  for (const { ref, join } of refs) {
    const layout = lookupTable(host, ref.name);
    const name = ref.alias ?? ref.name;
    if (sources.some((source) => source.name === name)) throw new SqlError(`table name "${name}" specified more than once`);
    sources.push(join ? { layout, name, offset, join } : { layout, name, offset });
    offset += layout.width;
  }
  return sources;
}

export function widthOf(sources: readonly Source[]): number {
  return sources.reduce((width, source) => width + source.layout.width, 0);
}

export interface ResolvedColumn {
  readonly position: number;
  readonly type: SqlType;
  readonly source: number;
}

/** Resolves a column as PostgreSQL does: qualified by alias or table name, or unqualified and unique. */
export function resolveColumn(sources: readonly Source[], table: string | undefined, name: string): ResolvedColumn {
  if (table !== undefined) {
    const index = sources.findIndex((source) => source.name === table);
    if (index < 0) throw new SqlError(`missing FROM-clause entry for table "${table}"`);
    const found = columnIn(sources, index, name);
    if (!found) throw new SqlError(`column ${table}.${name} does not exist in table "${sources[index]!.layout.name}"`);
    return found;
  }
  let result: ResolvedColumn | undefined;
  for (let index = 0; index < sources.length; index++) {
    const found = columnIn(sources, index, name);
    if (!found) continue;
    if (result) throw new SqlError(`column reference "${name}" is ambiguous`);
    result = found;
  }
  if (result) return result;
  if (sources.length === 1) throw new SqlError(`column "${name}" does not exist in table "${sources[0]!.layout.name}"`);
  throw new SqlError(`column "${name}" does not exist`);
}

function columnIn(sources: readonly Source[], index: number, name: string): ResolvedColumn | undefined {
  const source = sources[index]!;
  const position = source.layout.positionOf(name);
  if (position === undefined) return undefined;
  return { position: source.offset + position, type: source.layout.columns[position]!.type, source: index };
}

/** The scope of expressions over the combined input row. */
export function inputScope(
  sources: readonly Source[],
  params: readonly unknown[],
  clause: string,
  subquery: (query: Select) => SubqueryValues,
): ExprScope {
  return {
    params,
    clause,
    subquery,
    column: (table, name) => resolveColumn(sources, table, name),
  };
}

/** The sources an expression reads (not counting uncorrelated subqueries). */
export function sourcesOf(expr: Expr, sources: readonly Source[]): Set<number> {
  const found = new Set<number>();
  visitColumns(expr, (table, name) => found.add(resolveColumn(sources, table, name).source));
  return found;
}

/** Calls `visit` for every column reference outside subqueries. */
export function visitColumns(expr: Expr, visit: (table: string | undefined, name: string) => void): void {
  for (const child of childrenOf(expr)) visitColumns(child, visit);
  if (expr.kind === 'column') visit(expr.table, expr.name);
}

/** The direct sub-expressions of an expression (a subquery's own expressions are not among them). */
export function childrenOf(expr: Expr): readonly Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'param':
    case 'column':
      return [];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'like':
      return [expr.operand, expr.pattern];
    case 'between':
      return [expr.operand, expr.low, expr.high];
    case 'in-list':
      return [expr.operand, ...expr.list];
    case 'in-subquery':
    case 'is-null':
    case 'cast':
      return [expr.operand];
    case 'case':
      return [...(expr.operand ? [expr.operand] : []), ...expr.whens.flatMap((when) => [when.when, when.then]), ...(expr.otherwise ? [expr.otherwise] : [])];
    case 'call':
      return expr.args;
  }
}

/** Splits a condition at its top-level ANDs. */
export function conjunctsOf(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  if (expr.kind === 'binary' && expr.op === 'and') return [...conjunctsOf(expr.left), ...conjunctsOf(expr.right)];
  return [expr];
}

export function conjoin(exprs: readonly Expr[]): Expr | undefined {
  if (exprs.length === 0) return undefined;
  return exprs.reduce((left, right) => ({ kind: 'binary', op: 'and', left, right }));
}
