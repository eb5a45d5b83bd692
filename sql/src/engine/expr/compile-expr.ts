import { SqlError } from '@shoal/client/protocol';
import type { Expr } from '../../ast.js';
import { ValueKind } from '../values/value-kind.js';
import { compileArithmetic, compileNegate } from './arithmetic.js';
import { castValue, type Compiled, constant, type Evaluator, type ExprScope, foldIfConstant } from './compiled.js';
import { compileComparison, compileInList, compileInSet, compileLogic, compileNot } from './comparison.js';
import { compileBetween, compileCase, compileIsNull, compileLike } from './predicates.js';
import { fitsBigInt } from './integer-range.js';
import { scalarFunctions } from './scalar-functions.js';
import { compileConcatOperator } from './string-functions.js';

/** The aggregate functions; everywhere but over group rows a call of one is an error. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(['count', 'sum', 'avg', 'min', 'max']);

export function isAggregateCall(expr: Expr): expr is Extract<Expr, { kind: 'call' }> {
  return expr.kind === 'call' && AGGREGATE_FUNCTIONS.has(expr.name);
}

type Compilers = { readonly [K in Expr['kind']]: (expr: Extract<Expr, { kind: K }>, scope: ExprScope) => Compiled };

/** Compiles an expression into a closure over rows, once per plan. */
export function compileExpr(expr: Expr, scope: ExprScope): Compiled {
  if (scope.grouped) {
    const slot = scope.grouped(expr);
    if (slot) {
      const position = slot.position;
      return { evaluate: (row) => row[position] ?? null, kind: slot.kind, constant: false, column: position };
    }
  }
  const compile = compilers[expr.kind] as (expr: Expr, scope: ExprScope) => Compiled;
  return compile(expr, scope);
}

function literalOf(value: unknown): Compiled {
  // A fractional literal is NUMERIC in PostgreSQL, exact: 0.1 + 0.2 = 0.3.
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) return constant(String(value), ValueKind.Decimal);
  // So is an integer literal past BIGINT's range: 9223372036854775808 + 1 is a numeric sum, not a bigint overflow.
  if (typeof value === 'bigint' && !fitsBigInt(value)) return constant(value.toString(), ValueKind.Decimal);
  return constant(value);
}

const binaryCompilers: Record<Extract<Expr, { kind: 'binary' }>['op'], (left: Compiled, right: Compiled) => Compiled> = {
  '+': (l, r) => compileArithmetic('+', l, r),
  '-': (l, r) => compileArithmetic('-', l, r),
  '*': (l, r) => compileArithmetic('*', l, r),
  '/': (l, r) => compileArithmetic('/', l, r),
  '%': (l, r) => compileArithmetic('%', l, r),
  '||': compileConcatOperator,
  '=': (l, r) => compileComparison('=', l, r),
  '<>': (l, r) => compileComparison('<>', l, r),
  '<': (l, r) => compileComparison('<', l, r),
  '<=': (l, r) => compileComparison('<=', l, r),
  '>': (l, r) => compileComparison('>', l, r),
  '>=': (l, r) => compileComparison('>=', l, r),
  and: (l, r) => compileLogic('and', l, r),
  or: (l, r) => compileLogic('or', l, r),
};

const compilers: Compilers = {
  literal: (expr) => (expr.decimal === undefined ? literalOf(expr.value) : constant(expr.decimal, ValueKind.Decimal)),
  param: (expr, scope) => {
    if (expr.index < 0 || expr.index >= scope.params.length) throw new SqlError(`there is no parameter $${expr.index + 1}`);
    return constant(scope.params[expr.index]);
  },
  column: (expr, scope) => {
    const { position, type } = scope.column(expr.table, expr.name);
    return { evaluate: (row) => row[position] ?? null, kind: type.kind, constant: false, type, column: position };
  },
  unary: (expr, scope) => {
    const operand = compileExpr(expr.operand, scope);
    if (expr.op === 'not') return compileNot(operand);
    return expr.op === '-' ? compileNegate(operand) : operand;
  },
  binary: (expr, scope) => binaryCompilers[expr.op](compileExpr(expr.left, scope), compileExpr(expr.right, scope)),
  like: (expr, scope) => compileLike(compileExpr(expr.operand, scope), compileExpr(expr.pattern, scope), expr.caseInsensitive, expr.negated),
  between: (expr, scope) =>
    compileBetween(compileExpr(expr.operand, scope), compileExpr(expr.low, scope), compileExpr(expr.high, scope), expr.negated),
  'in-list': (expr, scope) =>
    compileInList(compileExpr(expr.operand, scope), expr.list.map((item) => compileExpr(item, scope)), expr.negated),
  'in-subquery': (expr, scope) => {
    const result = scope.subquery(expr.query);
    return compileInSet(compileExpr(expr.operand, scope), result.values, result.kind, expr.negated);
  },
  'is-null': (expr, scope) => compileIsNull(compileExpr(expr.operand, scope), expr.negated),
  case: (expr, scope) =>
    compileCase(
      expr.operand ? compileExpr(expr.operand, scope) : undefined,
      expr.whens.map((when) => ({ when: compileExpr(when.when, scope), then: compileExpr(when.then, scope) })),
      expr.otherwise ? compileExpr(expr.otherwise, scope) : undefined,
    ),
  cast: (expr, scope) => {
    const operand = compileExpr(expr.operand, scope);
    const inner = operand.evaluate;
    const from = operand.kind;
    const type = expr.type;
    const evaluate: Evaluator = (row) => castValue(inner(row), from, type);
    return foldIfConstant([operand], { evaluate, kind: type.kind, constant: false, type });
  },
  call: (expr, scope) => {
    if (AGGREGATE_FUNCTIONS.has(expr.name)) throw new SqlError(`aggregate functions are not allowed in ${scope.clause}`);
    const fn = scalarFunctions[expr.name];
    if (!fn || expr.star) throw new SqlError(`function ${expr.name}(${expr.star ? '*' : expr.args.length === 0 ? '' : '...'}) does not exist`);
    if (expr.distinct) throw new SqlError(`DISTINCT specified, but ${expr.name} is not an aggregate function`);
    if (expr.args.length < fn.minArgs || expr.args.length > fn.maxArgs) {
      throw new SqlError(`function ${expr.name} takes ${fn.minArgs === fn.maxArgs ? fn.minArgs : `${fn.minArgs} to ${fn.maxArgs}`} arguments, not ${expr.args.length}`);
    }
    return fn.compile(expr.args.map((arg) => compileExpr(arg, scope)), expr.name);
  },
};

/** A WHERE/ON/HAVING condition: only TRUE keeps a row. */
export function compilePredicate(expr: Expr, scope: ExprScope): Compiled {
  const compiled = compileExpr(expr, scope);
  if (compiled.kind !== ValueKind.Boolean && !(compiled.constant && compiled.value === null)) {
    throw new SqlError(`argument of ${scope.clause} must be type boolean, not type ${compiled.kind}`);
  }
  return compiled;
}
