import fc from 'fast-check';
import { type AggregateFunction, type Expr, lit, typeOf } from './expr.js';
import type { ExprGen } from './expr-arbitrary.js';
import { hasType } from './scope.js';
import { smallInt } from './value-arbitrary.js';
import type { ValueType } from './world.js';

const agg = (fn: AggregateFunction, arg?: Expr, distinct = false): Expr => ({ k: 'agg', fn, distinct, ...(arg ? { arg } : {}) });

function numericTypes(gen: ExprGen): ValueType[] {
  return (['int', 'bigint', 'double'] as const).filter((t) => t === 'int' || hasType(gen.scope, t));
}

/** One aggregate call over a scalar of depth ≤ 1 (MIN/MAX not over BOOLEAN: PostgreSQL has none). */
export function aggregateCall(gen: ExprGen): fc.Arbitrary<Expr> {
  const numeric = fc.oneof(...numericTypes(gen).map((t) => gen.scalar(t, 1, false)));
  const ordered = fc.oneof(numeric, gen.scalar('text', 1, false));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(agg('count')) },
    { weight: 2, arbitrary: fc.tuple(gen.anyScalar(1), fc.boolean()).map(([arg, distinct]) => agg('count', arg, distinct)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom<AggregateFunction>('sum', 'avg'), numeric).map(([fn, arg]) => agg(fn, arg)) },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom<AggregateFunction>('min', 'max'), ordered).map(([fn, arg]) => agg(fn, arg)) },
  );
}

const isExactInteger = (e: Expr) => {
  const t = typeOf(e);
  return (t === 'int' || t === 'bigint') && !(e.k === 'agg' && e.fn === 'avg');
};

/** A select item of a grouped query: an aggregate, or integer aggregates combined (re-aggregation must keep them exact). */
export function aggregateItem(gen: ExprGen): fc.Arbitrary<Expr> {
  const call = aggregateCall(gen);
  const integer = call.filter(isExactInteger);
  return fc.oneof(
    { weight: 4, arbitrary: call },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<'+' | '-'>('+', '-'), integer, integer).map(([op, left, right]): Expr => ({ k: 'arith', op, left, right, type: 'bigint' })) },
    { weight: 1, arbitrary: fc.tuple(integer, smallInt).map(([left, n]): Expr => ({ k: 'arith', op: '*', left, right: lit(n, 'int'), type: 'bigint' })) },
  );
}

/** HAVING: aggregates compared with literals, combined with AND/OR/NOT. */
export function havingPredicate(gen: ExprGen): fc.Arbitrary<Expr> {
  const comparison = aggregateCall(gen).chain((call) => {
    const type = typeOf(call);
    const literal = type === 'text' ? gen.comparand('text') : fc.oneof(gen.comparand(type === 'double' ? 'double' : 'int'), smallInt.map((n) => lit(n, 'int')));
    return fc.tuple(fc.constantFrom<'=' | '<>' | '<' | '<=' | '>' | '>='>('=', '<>', '<', '<=', '>', '>='), literal).map(([op, right]): Expr => ({ k: 'cmp', op, left: call, right }));
  });
  return fc.oneof(
    { weight: 3, arbitrary: comparison },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom<'AND' | 'OR'>('AND', 'OR'), comparison, comparison).map(([op, left, right]): Expr => ({ k: 'logic', op, left, right })) },
    { weight: 1, arbitrary: comparison.map((operand): Expr => ({ k: 'not', operand })) },
  );
}
