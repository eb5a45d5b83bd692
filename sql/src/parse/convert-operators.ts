import { SqlError } from '@shoal/client/protocol';
import type { BinaryOperator, Expr } from '../ast.js';
import type { ConvertContext } from './convert-context.js';
import { isNode, listAt, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';

/** Reads a nested expression (the caller's `convertExpr`, bound to its context). */
export type ExprReader = (raw: unknown) => Expr;

type OperatorHandler = (node: RawNode, read: ExprReader, ctx: ConvertContext) => Expr;

/** Operators that map one to one; the parser upper-cases AND/OR and keeps `!=` apart from `<>`. */
const PLAIN: Readonly<Record<string, BinaryOperator>> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '||': '||',
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  AND: 'and', OR: 'or',
};

const plain =
  (op: BinaryOperator): OperatorHandler =>
  (node, read) => ({ kind: 'binary', op, left: read(node.left), right: read(node.right) });

const like =
  (caseInsensitive: boolean, negated: boolean): OperatorHandler =>
  (node, read) => {
    if (isNode(node.right) && node.right.escape) throw unsupported('LIKE ... ESCAPE');
    return { kind: 'like', operand: read(node.left), pattern: read(node.right), caseInsensitive, negated };
  };

const between =
  (negated: boolean): OperatorHandler =>
  (node, read) => {
    const bounds = isNode(node.right) ? listAt(node.right, 'value') : [];
    if (bounds.length !== 2) throw unexpectedShape('BETWEEN');
    return { kind: 'between', operand: read(node.left), low: read(bounds[0]), high: read(bounds[1]), negated };
  };

/** `x IN (list)` or `x IN (SELECT ...)`: the parser gives a subquery as the list's one element, carrying `ast`. */
const inList =
  (negated: boolean): OperatorHandler =>
  (node, read, ctx) => {
    if (typeOf(node.left) === 'expr_list') throw unsupported('row values in IN, e.g. (a, b) IN (...)');
    const items = isNode(node.right) ? listAt(node.right, 'value') : [];
    const operand = read(node.left);
    const only = items.length === 1 ? items[0] : undefined;
    if (isNode(only) && isNode(only.ast)) return { kind: 'in-subquery', operand, query: ctx.subquery(only.ast), negated };
    if (items.length === 0) throw new SqlError('syntax error: IN needs at least one value');
    if (items.some((item) => typeOf(item) === 'expr_list')) throw unsupported('row values in IN, e.g. (a, b) IN (...)');
    return { kind: 'in-list', operand, list: items.map(read), negated };
  };

/** IS [NOT] NULL; the parser reads IS TRUE and IS DISTINCT FROM through the same operator. */
const isNull =
  (negated: boolean): OperatorHandler =>
  (node, read) => {
    const right = typeOf(node.right);
    if (right === 'null') return { kind: 'is-null', operand: read(node.left), negated };
    if (right === 'bool' || right === 'boolean') throw unsupported('IS [NOT] TRUE / FALSE', 'compare with = instead');
    throw unsupported('IS [NOT] DISTINCT FROM');
  };

const handlers: Readonly<Record<string, OperatorHandler>> = {
  ...Object.fromEntries(Object.entries(PLAIN).map(([raw, op]) => [raw, plain(op)])),
  LIKE: like(false, false),
  'NOT LIKE': like(false, true),
  ILIKE: like(true, false),
  'NOT ILIKE': like(true, true),
  BETWEEN: between(false),
  'NOT BETWEEN': between(true),
  IN: inList(false),
  'NOT IN': inList(true),
  IS: isNull(false),
  'IS NOT': isNull(true),
};

export function convertBinary(node: RawNode, read: ExprReader, ctx: ConvertContext): Expr {
  const operator = typeof node.operator === 'string' ? node.operator.toUpperCase() : '';
  const handler = handlers[operator];
  if (!handler) throw unsupported(`the operator ${String(node.operator)}`);
  return handler(node, read, ctx);
}
