import { SqlError } from '@shoal/client/protocol';
import type { Expr, OrderItem, Select } from '../../ast.js';
import { aggregateFunction, type AggregateName } from '../aggregate/aggregate-functions.js';
import { compileExpr, compilePredicate, isAggregateCall } from '../expr/compile-expr.js';
import type { Compiled, ExprScope, GroupSlot } from '../expr/compiled.js';
import { comparatorFor, keyFunctionFor } from '../values/compare.js';
import { ValueKind } from '../values/value-kind.js';
import { aggregateCalls, exprIdentity } from './expr-identity.js';
import type { Finish, PlannedAggregate, RowOrder, Sink } from './select-plan.js';
import { resolveColumn, type Source } from './sources.js';

export interface PlannedOutput {
  readonly sink: Sink;
  readonly finish: Omit<Finish, 'offset' | 'limit'>;
  readonly columns: readonly string[];
  readonly kinds: readonly ValueKind[];
}

interface OutputItem {
  readonly expr: Expr;
  readonly name: string;
}

/** An ORDER BY item resolved to an output column or an extra sort-key expression. */
type SortTarget = { readonly output: number } | { readonly expr: Expr };

export function planOutput(select: Select, sources: readonly Source[], scope: (clause: string) => ExprScope, limit: number | undefined, offset: number): PlannedOutput {
  const items = expandItems(select, sources);
  const targets = select.orderBy.map((item) => sortTarget(item, items, sources));
  const junk = targets.flatMap((target) => ('expr' in target ? [target.expr] : []));
  if (select.distinct && junk.length > 0) throw new SqlError('for SELECT DISTINCT, ORDER BY expressions must appear in select list');
  const aggregated =
    select.groupBy.length > 0 || select.having !== undefined || [...items.map((item) => item.expr), ...junk].some((expr) => aggregateCalls(expr, isAggregateCall).length > 0);
  const planned = aggregated ? planAggregated(select, items, junk, sources, scope) : planProjected(select, items, junk, scope, limit, offset);
  const positions = positionsOf(targets, items.length);
  const order: RowOrder = select.orderBy.map((item, i) => sortKey(item, positions[i]!, planned.kinds[positions[i]!]!));
  return { sink: planned.sink(order), finish: { ...planned.finish, order, distinct: select.distinct, visible: items.length }, columns: items.map((item) => item.name), kinds: planned.kinds.slice(0, items.length) };
}

function positionsOf(targets: readonly SortTarget[], visible: number): number[] {
  let next = visible;
  return targets.map((target) => ('output' in target ? target.output : next++));
}

function sortKey(item: OrderItem, position: number, kind: ValueKind): RowOrder[number] {
  const descending = item.direction === 'desc';
  // PostgreSQL sorts NULL as larger than any value: last ascending, first descending.
  const nullsFirst = item.nulls === undefined ? descending : item.nulls === 'first';
  return { position, compare: comparatorFor(kind), descending, nullsFirst };
}

function expandItems(select: Select, sources: readonly Source[]): OutputItem[] {
  return select.items.flatMap((item): OutputItem[] => {
    if (item.kind === 'expr') return [{ expr: item.expr, name: item.alias ?? outputName(item.expr) }];
    if (sources.length === 0) throw new SqlError('SELECT * with no tables specified is not valid');
    const chosen = item.table === undefined ? sources : sources.filter((source) => source.name === item.table);
    if (chosen.length === 0) throw new SqlError(`missing FROM-clause entry for table "${item.table}"`);
    return chosen.flatMap((source) => source.layout.names.map((name) => ({ expr: { kind: 'column', table: source.name, name } as Expr, name })));
  });
}

/** PostgreSQL's FigureColname: a column's name, a function's name, else "?column?". */
export function outputName(expr: Expr): string {
  switch (expr.kind) {
    case 'column':
      return expr.name;
    case 'call':
      return expr.name;
    case 'case':
      return 'case';
    case 'cast': {
      const inner = outputName(expr.operand);
      return inner === '?column?' ? expr.type.kind : inner;
    }
    default:
      return '?column?';
  }
}

function sortTarget(item: OrderItem, items: readonly OutputItem[], sources: readonly Source[]): SortTarget {
  const expr = item.expr;
  if (expr.kind === 'literal' && typeof expr.value === 'number') {
    if (!Number.isInteger(expr.value) || expr.value < 1 || expr.value > items.length) throw new SqlError(`ORDER BY position ${expr.value} is not in select list`);
    return { output: expr.value - 1 };
  }
  if (expr.kind === 'column' && expr.table === undefined) {
    const named = items.findIndex((output) => output.name === expr.name);
    if (named >= 0) return { output: named };
  }
  const identity = exprIdentity(expr, positionResolver(sources));
  const same = items.findIndex((output) => exprIdentity(output.expr, positionResolver(sources)) === identity);
  return same >= 0 ? { output: same } : { expr };
}

function positionResolver(sources: readonly Source[]) {
  return (table: string | undefined, name: string): number | undefined => {
    try {
      return resolveColumn(sources, table, name).position;
    } catch {
      return undefined;
    }
  };
}

interface PlannedShape {
  readonly sink: (order: RowOrder) => Sink;
  readonly finish: Omit<Finish, 'offset' | 'limit' | 'order' | 'distinct' | 'visible'>;
  readonly kinds: readonly ValueKind[];
}

function kindOf(compiled: Compiled): ValueKind {
  return compiled.kind === ValueKind.Unknown ? ValueKind.Text : compiled.kind;
}

function planProjected(select: Select, items: readonly OutputItem[], junk: readonly Expr[], scope: (clause: string) => ExprScope, limit: number | undefined, offset: number): PlannedShape {
  const outputs = [...items.map((item) => item.expr), ...junk].map((expr) => compileExpr(expr, scope('SELECT')));
  const kinds = outputs.map(kindOf);
  const sink = (order: RowOrder): Sink => {
    const base = { kind: 'project' as const, outputs: outputs.map((output) => output.evaluate), distinct: select.distinct };
    // Each owner keeps only what could be among the first OFFSET + LIMIT rows.
    if (limit === undefined) return base;
    return { ...base, keep: order.length > 0 ? { count: offset + limit, order } : { count: offset + limit } };
  };
  return { sink, finish: { groupKeyKinds: [] }, kinds };
}

function planAggregated(select: Select, items: readonly OutputItem[], junk: readonly Expr[], sources: readonly Source[], scope: (clause: string) => ExprScope): PlannedShape {
  const resolve = positionResolver(sources);
  const groupExprs = select.groupBy.map((expr) => groupTarget(expr, items, sources));
  const keys = groupExprs.map((expr) => compileExpr(expr, scope('GROUP BY')));
  const groupIdentities = groupExprs.map((expr) => exprIdentity(expr, resolve));
  const calls = [...items.map((item) => item.expr), ...(select.having ? [select.having] : []), ...junk].flatMap((expr) => aggregateCalls(expr, isAggregateCall));
  const aggregateIdentities: string[] = [];
  const aggregates: PlannedAggregate[] = [];
  const aggregateKinds: ValueKind[] = [];
  for (const call of calls) {
    const identity = exprIdentity(call, resolve);
    if (aggregateIdentities.includes(identity)) continue;
    const planned = planAggregate(call as Extract<Expr, { kind: 'call' }>, scope('aggregate function calls'));
    aggregateIdentities.push(identity);
    aggregates.push(planned.aggregate);
    aggregateKinds.push(planned.kind);
  }
  const keyKinds = keys.map(kindOf);
  const grouped = (expr: Expr): GroupSlot | undefined => {
    const identity = exprIdentity(expr, resolve);
    const key = groupIdentities.indexOf(identity);
    if (key >= 0) return { position: key, kind: keyKinds[key]! };
    const aggregate = isAggregateCall(expr) ? aggregateIdentities.indexOf(identity) : -1;
    return aggregate >= 0 ? { position: keys.length + aggregate, kind: aggregateKinds[aggregate]! } : undefined;
  };
  const groupScope = (clause: string): ExprScope => ({
    ...scope(clause),
    grouped,
    column: (_table, name) => {
      throw new SqlError(`column "${name}" must appear in the GROUP BY clause or be used in an aggregate function`);
    },
  });
  const outputs = [...items.map((item) => item.expr), ...junk].map((expr) => compileExpr(expr, groupScope('SELECT')));
  const having = select.having ? compilePredicate(select.having, groupScope('HAVING')).evaluate : undefined;
  const sink: Sink = { kind: 'aggregate', keys: keys.map((key) => key.evaluate), keyFunctions: keyKinds.map(keyFunctionFor), aggregates };
  const finish = { outputs: outputs.map((output) => output.evaluate), groupKeyKinds: keyKinds, ...(having ? { having } : {}) };
  return { sink: () => sink, finish, kinds: outputs.map(kindOf) };
}

/** GROUP BY 2 and GROUP BY alias mean select-list items; an input column of that name wins, as in PostgreSQL. */
function groupTarget(expr: Expr, items: readonly OutputItem[], sources: readonly Source[]): Expr {
  if (expr.kind === 'literal' && typeof expr.value === 'number') {
    if (!Number.isInteger(expr.value) || expr.value < 1 || expr.value > items.length) throw new SqlError(`GROUP BY position ${expr.value} is not in select list`);
    return items[expr.value - 1]!.expr;
  }
  if (expr.kind === 'column' && expr.table === undefined && positionResolver(sources)(undefined, expr.name) === undefined) {
    const named = items.find((item) => item.name === expr.name);
    if (named) return named.expr;
  }
  return expr;
}

function planAggregate(call: Extract<Expr, { kind: 'call' }>, scope: ExprScope): { aggregate: PlannedAggregate; kind: ValueKind } {
  const name = call.name as AggregateName;
  if (call.star) {
    if (name !== 'count') throw new SqlError(`${name}(*) is not valid; only count(*) is`);
    return { aggregate: { fn: aggregateFunction('count', ValueKind.Int, false) }, kind: ValueKind.BigInt };
  }
  if (call.args.length !== 1) throw new SqlError(`function ${name} takes exactly one argument`);
  const nested = aggregateCalls(call.args[0]!, isAggregateCall);
  if (nested.length > 0) throw new SqlError('aggregate function calls cannot be nested');
  const argument = compileExpr(call.args[0]!, scope);
  const argKind = argument.kind === ValueKind.Unknown ? ValueKind.Text : argument.kind;
  const fn = aggregateFunction(name, argKind, call.distinct);
  return { aggregate: { fn, argument: argument.evaluate }, kind: fn.resultKind };
}
