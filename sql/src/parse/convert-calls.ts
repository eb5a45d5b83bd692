import type { CaseWhen, Expr } from '../ast.js';
import type { ExprReader } from './convert-operators.js';
import { isNode, listAt, nodeAt, refuseUnhandled, typeOf, unexpectedShape, unsupported, type RawNode } from './raw-ast.js';
import { sqlType } from './sql-types.js';

/** `over` is left out on purpose: a call with OVER (...) is a window function, refused by name. */
const CALL_KEYS: ReadonlySet<string> = new Set(['type', 'name', 'args']);
const AGGREGATE_ARG_KEYS: ReadonlySet<string> = new Set(['expr', 'distinct']);
const CASE_KEYS: ReadonlySet<string> = new Set(['type', 'expr', 'args']);
const CAST_KEYS: ReadonlySet<string> = new Set(['type', 'keyword', 'expr', 'symbol', 'target']);

const CALL_FEATURES = { over: 'window functions (OVER)', filter: 'aggregate FILTER (WHERE ...)' } as const;

/** Names the parser reads as calls that are really PostgreSQL constructs Shoal does not have. */
const CONSTRUCTS: Readonly<Record<string, string>> = {
  any: 'ANY (...) array comparisons',
  all: 'ALL (...) array comparisons',
  some: 'SOME (...) array comparisons',
  exists: 'EXISTS (subquery)',
  rollup: 'ROLLUP (grouping sets)',
  cube: 'CUBE (grouping sets)',
};

/** A function call; names fold to lower case unless quoted. `NOT (x)` also arrives as a call named "not". */
export function convertFunction(node: RawNode, read: ExprReader): Expr {
  refuseUnhandled(node, CALL_KEYS, CALL_FEATURES, 'function call');
  const parts = listAt(nodeAt(node, 'name') ?? {}, 'name');
  const part = parts.length === 1 && isNode(parts[0]) ? parts[0] : undefined;
  if (!part || typeof part.value !== 'string') throw unsupported('schema-qualified function names');
  const quoted = part.type === 'double_quote_string';
  const name = quoted ? part.value : part.value.toLowerCase();
  const args = listAt(nodeAt(node, 'args') ?? {}, 'value');
  if (!quoted && name === 'not' && args.length === 1) return { kind: 'unary', op: 'not', operand: read(args[0]) };
  const construct = quoted ? undefined : CONSTRUCTS[name];
  if (construct) throw unsupported(construct);
  return { kind: 'call', name, args: args.map(read), distinct: false, star: false };
}

/** COUNT/SUM/AVG/MIN/MAX and the like: the parser gives one argument, `*`, and DISTINCT. */
export function convertAggregate(node: RawNode, read: ExprReader): Expr {
  refuseUnhandled(node, CALL_KEYS, CALL_FEATURES, 'aggregate');
  const args = nodeAt(node, 'args');
  if (typeof node.name !== 'string' || !args) throw unexpectedShape('aggregate');
  refuseUnhandled(args, AGGREGATE_ARG_KEYS, { orderby: 'ORDER BY inside an aggregate', separator: 'aggregates with a separator' }, 'aggregate');
  const name = node.name.toLowerCase();
  const distinct = args.distinct === 'DISTINCT';
  if (typeOf(args.expr) === 'star') {
    if (distinct) throw unexpectedShape('aggregate');
    return { kind: 'call', name, args: [], distinct: false, star: true };
  }
  return { kind: 'call', name, args: [read(args.expr)], distinct, star: false };
}

/** Both CASE forms: `CASE x WHEN v THEN ...` carries the operand in `expr`. */
export function convertCase(node: RawNode, read: ExprReader): Expr {
  refuseUnhandled(node, CASE_KEYS, {}, 'CASE');
  const whens: CaseWhen[] = [];
  let otherwise: Expr | undefined;
  for (const arm of listAt(node, 'args')) {
    if (!isNode(arm)) throw unexpectedShape('CASE');
    if (arm.type === 'when') whens.push({ when: read(arm.cond), then: read(arm.result) });
    else if (arm.type === 'else') otherwise = read(arm.result);
    else throw unexpectedShape('CASE');
  }
  const operand = node.expr === null || node.expr === undefined ? undefined : read(node.expr);
  return {
    kind: 'case',
    ...(operand === undefined ? {} : { operand }),
    whens,
    ...(otherwise === undefined ? {} : { otherwise }),
  };
}

/** CAST(x AS T) and x::T; `x::int::text` comes as one node with two targets, applied left to right. */
export function convertCast(node: RawNode, read: ExprReader): Expr {
  refuseUnhandled(node, CAST_KEYS, {}, 'cast');
  const targets = listAt(node, 'target');
  if (targets.length === 0) throw unexpectedShape('cast');
  return targets.reduce<Expr>((operand, target) => ({ kind: 'cast', operand, type: sqlType(target) }), read(node.expr));
}

/** `DATE '2024-01-31'` and `TIMESTAMP '...'`: a typed literal is a cast of the string. */
export function convertTypedLiteral(node: RawNode): Expr {
  if (typeof node.value !== 'string') throw unexpectedShape('typed literal');
  return { kind: 'cast', operand: { kind: 'literal', value: node.value }, type: sqlType({ dataType: String(node.type).toUpperCase() }) };
}
