import type { Value, ValueType } from './world.js';

/**
 * The expressions the generator builds, one tree for both engines; the
 * renderer writes each dialect. Every node knows its SQL type so that the
 * comparison normalises results by type (SQLite answers booleans as 0/1).
 */
export type Expr =
  | { readonly k: 'col'; readonly qualifier?: string; readonly name: string; readonly type: ValueType }
  /** `param`: rendered as a placeholder with the value bound, where the generator knows the type from context. */
  | { readonly k: 'lit'; readonly value: Value; readonly type: ValueType; readonly param?: boolean }
  | { readonly k: 'arith'; readonly op: '+' | '-' | '*' | '/' | '%'; readonly left: Expr; readonly right: Expr; readonly type: ValueType }
  | { readonly k: 'concat'; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'neg'; readonly operand: Expr }
  | { readonly k: 'fn'; readonly name: ScalarFunction; readonly args: readonly Expr[]; readonly type: ValueType }
  | { readonly k: 'cast'; readonly operand: Expr; readonly to: 'int' | 'bigint' | 'text' }
  | { readonly k: 'case'; readonly whens: readonly (readonly [Expr, Expr])[]; readonly otherwise?: Expr; readonly type: ValueType }
  | { readonly k: 'coalesce'; readonly args: readonly Expr[]; readonly type: ValueType }
  | { readonly k: 'cmp'; readonly op: '=' | '<>' | '<' | '<=' | '>' | '>='; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'logic'; readonly op: 'AND' | 'OR'; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'not'; readonly operand: Expr }
  | { readonly k: 'isnull'; readonly operand: Expr; readonly negated: boolean }
  | { readonly k: 'inlist'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | { readonly k: 'insub'; readonly operand: Expr; readonly sub: SubSelect; readonly negated: boolean }
  | { readonly k: 'between'; readonly operand: Expr; readonly low: Expr; readonly high: Expr; readonly negated: boolean }
  | { readonly k: 'like'; readonly operand: Expr; readonly pattern: Expr; readonly negated: boolean; readonly caseInsensitive: boolean }
  | { readonly k: 'agg'; readonly fn: AggregateFunction; readonly arg?: Expr; readonly distinct: boolean };

export type ScalarFunction = 'abs' | 'upper' | 'lower' | 'length' | 'substr' | 'replace' | 'trim' | 'floor' | 'ceil' | 'nullif' | 'strpos' | 'concat';
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** An uncorrelated `IN (SELECT column FROM table WHERE ...)`. */
export interface SubSelect {
  readonly table: string;
  readonly alias: string;
  readonly column: Expr;
  readonly where?: Expr;
}

/** The SQL type of an expression, as PostgreSQL types it (COUNT and SUM of INT are BIGINT). */
export function typeOf(e: Expr): ValueType {
  switch (e.k) {
    case 'col':
    case 'lit':
    case 'arith':
    case 'fn':
    case 'case':
    case 'coalesce':
      return e.type;
    case 'concat':
      return 'text';
    case 'neg':
      return typeOf(e.operand);
    case 'cast':
      return e.to;
    case 'agg':
      return aggregateType(e);
    default:
      return 'bool';
  }
}

function aggregateType(e: Extract<Expr, { k: 'agg' }>): ValueType {
  if (e.fn === 'count') return 'bigint';
  const arg = e.arg ? typeOf(e.arg) : 'bigint';
  if (e.fn === 'avg') return 'double';
  if (e.fn === 'sum') return arg === 'int' ? 'bigint' : arg;
  return arg;
}

/**
 * How a result column is compared. `approx`: AVG, or SUM over DOUBLE, whose
 * last bits depend on the order of additions (a relative tolerance).
 * `numeric`: PostgreSQL answers NUMERIC (SUM of BIGINT can pass 2^53), which
 * may come back as exact decimal text as well as a number or bigint.
 */
export type ResultKind = 'int' | 'numeric' | 'double' | 'approx' | 'text' | 'bool';

export function resultKind(e: Expr): ResultKind {
  if (isApprox(e)) return 'approx';
  const type = typeOf(e);
  if (type === 'int' || type === 'bigint') return hasNumericSum(e) ? 'numeric' : 'int';
  return type === 'double' ? 'double' : type;
}

/** Whether the value goes through AVG or a SUM of DOUBLE (then it is compared with a tolerance). */
export function isApprox(e: Expr): boolean {
  if (e.k === 'agg') return e.fn === 'avg' || (e.fn === 'sum' && e.arg !== undefined && typeOf(e.arg) === 'double');
  return children(e).some(isApprox);
}

function hasNumericSum(e: Expr): boolean {
  if (e.k === 'agg') return e.fn === 'sum' && e.arg !== undefined && typeOf(e.arg) === 'bigint';
  return children(e).some(hasNumericSum);
}

/** Whether the expression reads a column: a constant GROUP BY or ORDER BY key means a position to SQLite (even `-5`). */
export function readsColumn(e: Expr): boolean {
  return e.k === 'col' || children(e).some(readsColumn);
}

export function hasAggregate(e: Expr): boolean {
  return e.k === 'agg' || children(e).some(hasAggregate);
}

/** The direct sub-expressions (a subquery's own expressions are not the outer query's). */
export function children(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'col':
    case 'lit':
      return [];
    case 'arith':
    case 'concat':
    case 'cmp':
    case 'logic':
      return [e.left, e.right];
    case 'neg':
    case 'not':
    case 'isnull':
    case 'cast':
    case 'insub':
      return [e.operand];
    case 'fn':
    case 'coalesce':
      return e.args;
    case 'case':
      return [...e.whens.flat(), ...(e.otherwise ? [e.otherwise] : [])];
    case 'inlist':
      return [e.operand, ...e.list];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'like':
      return [e.operand, e.pattern];
    case 'agg':
      return e.arg ? [e.arg] : [];
  }
}

export const col = (name: string, type: ValueType, qualifier?: string): Expr => ({ k: 'col', name, type, ...(qualifier ? { qualifier } : {}) });
export const lit = (value: Value, type: ValueType, param = false): Expr => ({ k: 'lit', value, type, ...(param ? { param } : {}) });
