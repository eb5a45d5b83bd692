import { SqlError } from '@shoal/client/protocol';
import type { Expr } from '../ast.js';
import { convertAggregate, convertCase, convertCast, convertFunction, convertTypedLiteral } from './convert-calls.js';
import type { ConvertContext } from './convert-context.js';
import { convertBinary, type ExprReader } from './convert-operators.js';
import { booleanLiteral, decimalLiteral, negate, negateDecimalText, numericLiteral, stringLiteral } from './literals.js';
import { isNode, nodeAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

type ExprHandler = (node: RawNode, ctx: ConvertContext, read: ExprReader) => Expr;

const COLUMN_KEYS: ReadonlySet<string> = new Set(['type', 'table', 'column', 'collate']);
const STRING_KEYS: ReadonlySet<string> = new Set(['type', 'value']);

/** By the parser's node `type`. */
const handlers: Readonly<Record<string, ExprHandler>> = {
  column_ref: (node, ctx) => columnRef(node, ctx),
  number: (node, ctx) => {
    const decimal = decimalLiteral(node);
    const value = numericLiteral(node, ctx.source);
    return decimal === undefined ? { kind: 'literal', value } : { kind: 'literal', value, decimal };
  },
  bigint: (node, ctx) => ({ kind: 'literal', value: numericLiteral(node, ctx.source) }),
  single_quote_string: (node) => {
    refuseUnhandled(node, STRING_KEYS, { escape: 'LIKE ... ESCAPE' }, 'string');
    return { kind: 'literal', value: stringLiteral(node) };
  },
  bool: (node) => ({ kind: 'literal', value: booleanLiteral(node) }),
  boolean: (node) => ({ kind: 'literal', value: booleanLiteral(node) }),
  null: () => ({ kind: 'literal', value: null }),
  var: (node, ctx) => variable(node, ctx),
  unary_expr: (node, _ctx, read) => unary(node, read),
  binary_expr: (node, ctx, read) => convertBinary(node, read, ctx),
  function: (node, _ctx, read) => convertFunction(node, read),
  aggr_func: (node, _ctx, read) => convertAggregate(node, read),
  case: (node, _ctx, read) => convertCase(node, read),
  cast: (node, _ctx, read) => convertCast(node, read),
  date: (node) => convertTypedLiteral(node),
  timestamp: (node) => convertTypedLiteral(node),
};

/** Node types the parser knows that Shoal's SQL does not have, with how to say so. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  window_func: 'window functions',
  interval: 'INTERVAL',
  extract: 'EXTRACT',
  expr_list: 'row values, e.g. (a, b)',
  array: 'arrays',
  origin: 'this keyword in an expression',
  default: 'this constant form (E\'...\' strings and the like)',
  time: 'TIME',
};

/** One expression of the parser's output as Shoal's `Expr`. */
export function convertExpr(raw: unknown, ctx: ConvertContext): Expr {
  if (!isNode(raw)) throw unexpectedShape('expression');
  if (isNode(raw.ast)) throw unsupported('a subquery here', 'subqueries are supported only in IN (SELECT ...)');
  const type = typeOf(raw);
  const handler = handlers[type];
  if (handler) return handler(raw, ctx, (inner) => convertExpr(inner, ctx));
  throw unsupported(UNSUPPORTED[type] ?? `the expression type "${type}"`);
}

/** A column reference, `t.c` or `c`. The parser writes an unquoted DEFAULT (as in VALUES (DEFAULT)) as a column named so. */
function columnRef(node: RawNode, ctx: ConvertContext): Expr {
  refuseUnhandled(node, COLUMN_KEYS, { collate: 'COLLATE' }, 'column reference');
  if (node.column === '*') throw new SqlError('syntax error: * is allowed only in a select list and in count(*)');
  const column = isNode(node.column) ? nodeAt(node.column, 'expr') : node.column;
  if (typeOf(column) === 'default' && isNode(column) && String(column.value).toLowerCase() === 'default' && node.table === null) {
    throw unsupported('DEFAULT', 'Shoal columns have no defaults');
  }
  const name = ctx.ids.name(column);
  if (node.table === null || node.table === undefined) return { kind: 'column', name };
  return { kind: 'column', table: ctx.ids.relation(node.table), name };
}

/**
 * `$n` and rewritten `?` parameters; the parser also reads dollar-quoted
 * strings (`$$text$$`, `$tag$text$tag$`) as variables with the quote as
 * prefix and suffix.
 */
function variable(node: RawNode, ctx: ConvertContext): Expr {
  const prefix = node.prefix;
  if (prefix === '$') return ctx.params.param(node.name);
  if (typeof prefix === 'string' && prefix.length >= 2 && prefix.startsWith('$') && prefix.endsWith('$') && node.suffix === prefix) {
    return { kind: 'literal', value: String(node.name) };
  }
  throw unsupported(`the variable ${String(prefix ?? '')}${String(node.name)}`);
}

/** Unary minus on a numeric literal folds into the constant, as PostgreSQL's parser does. */
function unary(node: RawNode, read: ExprReader): Expr {
  const operator = typeof node.operator === 'string' ? node.operator.toUpperCase() : '';
  const operand = read(node.expr);
  if (operator === 'NOT') return { kind: 'unary', op: 'not', operand };
  if (operator === '+') return { kind: 'unary', op: '+', operand };
  if (operator !== '-') throw unsupported(`the operator ${String(node.operator)}`);
  const folded = operand.kind === 'literal' ? negate(operand.value) : undefined;
  if (folded === undefined || operand.kind !== 'literal') return { kind: 'unary', op: '-', operand };
  return operand.decimal === undefined ? { kind: 'literal', value: folded } : { kind: 'literal', value: folded, decimal: negateDecimalText(operand.decimal) };
}
