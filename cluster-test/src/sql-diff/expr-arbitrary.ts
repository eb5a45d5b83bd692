import fc from 'fast-check';
import { type Expr, col, lit } from './expr.js';
import { type Scope, type ScopeColumn, availableTypes, columnsOfType, hasType } from './scope.js';
import { subSelectArbitrary } from './subselect-arbitrary.js';
import { doubleValue, likePattern, nonZeroSmallInt, smallInt, textValue, valueOf } from './value-arbitrary.js';
import type { ValueType } from './world.js';

type Arb = fc.Arbitrary<Expr>;
type Weighted = fc.WeightedArbitrary<Expr>;
const w = (weight: number, arbitrary: Arb): Weighted => ({ weight, arbitrary });
const NUMERIC: readonly ValueType[] = ['int', 'bigint', 'double'];

/**
 * Typed scalar and predicate expressions over one scope. Arbitraries are
 * memoised by (type, depth): recursion only goes to a smaller depth, so each
 * is built once. Every expression is valid PostgreSQL and SQLite with the
 * same meaning: no division by a possible zero, no INT overflow (products
 * only by small literals), and no DOUBLE expression made of literals alone
 * (PostgreSQL would type it NUMERIC).
 */
export class ExprGen {
  private readonly memo = new Map<string, Arb>();

  constructor(readonly scope: Scope) {}

  /** An expression of `type`; `literalOk` false: never a bare literal at the top. */
  scalar(type: ValueType, depth: number, literalOk = true): Arb {
    // A BOOLEAN of depth 0 is a column or a literal, not a predicate: predicates of depth 0 compare such leaves.
    return this.cached(`${type}/${depth}/${literalOk}`, () => (type === 'bool' && depth > 0 ? this.predicate(depth) : this.buildScalar(type, depth, literalOk)));
  }

  /** Any expression of a type available here. */
  anyScalar(depth: number): Arb {
    return this.cached(`any/${depth}`, () => fc.oneof(...availableTypes(this.scope).map((t) => this.scalar(t, depth, t !== 'double'))));
  }

  /** A WHERE clause: shallow more often than deep, so that a good share of queries still return rows. */
  where(): Arb {
    return this.cached('where', () => fc.oneof({ weight: 2, arbitrary: this.predicate(1) }, { weight: 1, arbitrary: this.predicate(2) }));
  }

  predicate(depth: number): Arb {
    return this.cached(`pred/${depth}`, () => (depth <= 0 ? this.simplePredicate() : this.compoundPredicate(depth)));
  }

  /** A literal of `type`, often a value that occurs in the data; a bound parameter when the scope allows. */
  comparand(type: ValueType, nullable = false): Arb {
    return this.cached(`cmp/${type}/${nullable}`, () => {
      const samples = this.samplesOf(type);
      const value = samples.length > 0 ? fc.oneof(fc.constantFrom(...samples), valueOf(type)) : valueOf(type);
      const param = this.scope.params ? fc.boolean() : fc.constant(false);
      const present = fc.tuple(value, param).map(([v, p]) => lit(v, type, p));
      return nullable ? fc.oneof(w(8, present), w(1, fc.constant(lit(null, type)))) : present;
    });
  }

  private cached(key: string, build: () => Arb): Arb {
    let arb = this.memo.get(key);
    if (!arb) {
      arb = build();
      this.memo.set(key, arb);
    }
    return arb;
  }

  private samplesOf(type: ValueType) {
    // An INT context gets INT values only: PostgreSQL types a parameter compared with an INT column as INT, and refuses a BIGINT value in it.
    const family = type === 'bigint' ? ['int', 'bigint'] : [type];
    return [...new Set(this.scope.columns.filter((c) => family.includes(c.column.type)).flatMap((c) => c.samples))];
  }

  private column(type: ValueType): Arb | undefined {
    const columns = columnsOfType(this.scope, type);
    return columns.length === 0 ? undefined : fc.constantFrom(...columns).map((c: ScopeColumn) => col(c.column.name, type, c.qualifier));
  }

  /** A literal inside a scalar expression: never a parameter (a GROUP BY key and its select item must read the same text). */
  private literal(type: ValueType): Arb {
    const values: Record<ValueType, fc.Arbitrary<unknown>> = { int: smallInt, bigint: smallInt, double: doubleValue, text: textValue(3), bool: fc.boolean() };
    const samples = this.samplesOf(type);
    const fromData = samples.length > 0 ? [w(2, fc.constantFrom(...samples).map((v) => lit(v, type)))] : [];
    return fc.oneof(...fromData, w(1, values[type].map((v) => lit(v as never, type))));
  }

  private leaf(type: ValueType, literalOk: boolean): Arb {
    const column = this.column(type);
    if (!column) return this.literal(type);
    return literalOk && type !== 'bigint' ? fc.oneof(w(3, column), w(1, this.literal(type))) : column;
  }

  private buildScalar(type: ValueType, depth: number, literalOk: boolean): Arb {
    if (depth <= 0 || type === 'bool') return this.leaf(type, literalOk);
    const leaf = w(4, this.leaf(type, literalOk));
    switch (type) {
      case 'int':
        return fc.oneof(leaf, ...this.intOptions(depth));
      case 'bigint':
        return fc.oneof(leaf, ...this.bigintOptions(depth));
      case 'double':
        return fc.oneof(leaf, ...this.doubleOptions(depth));
      default:
        return fc.oneof(leaf, ...this.textOptions(depth));
    }
  }

  private intOptions(depth: number): Weighted[] {
    const sub = this.scalar('int', depth - 1);
    return [
      w(2, fc.tuple(fc.constantFrom('+', '-'), sub, sub).map(([op, left, right]) => ({ k: 'arith', op, left, right, type: 'int' }) as Expr)),
      w(1, fc.tuple(sub, smallInt).map(([left, n]) => ({ k: 'arith', op: '*', left, right: lit(n, 'int'), type: 'int' }) as Expr)),
      w(1, fc.tuple(fc.constantFrom('/', '%'), sub, nonZeroSmallInt).map(([op, left, n]) => ({ k: 'arith', op, left, right: lit(n, 'int'), type: 'int' }) as Expr)),
      w(1, sub.map((operand): Expr => ({ k: 'neg', operand }))),
      w(1, sub.map((a): Expr => ({ k: 'fn', name: 'abs', args: [a], type: 'int' }))),
      w(1, this.scalar('text', depth - 1).map((a): Expr => ({ k: 'fn', name: 'length', args: [a], type: 'int' }))),
      w(1, fc.tuple(this.scalar('text', depth - 1), this.scalar('text', depth - 1)).map(([a, b]): Expr => ({ k: 'fn', name: 'strpos', args: [a, b], type: 'int' }))),
      w(1, this.predicate(depth - 1).map((operand): Expr => ({ k: 'cast', operand, to: 'int' }))),
      ...this.branching('int', depth),
    ];
  }

  private bigintOptions(depth: number): Weighted[] {
    const sub = this.scalar('bigint', depth - 1, false);
    const int = this.scalar('int', depth - 1);
    const operand = fc.oneof(sub, int);
    return [
      w(2, fc.tuple(fc.constantFrom('+', '-'), sub, operand).map(([op, left, right]) => ({ k: 'arith', op, left, right, type: 'bigint' }) as Expr)),
      w(1, fc.tuple(fc.constantFrom('/', '%'), sub, nonZeroSmallInt).map(([op, left, n]) => ({ k: 'arith', op, left, right: lit(n, 'int'), type: 'bigint' }) as Expr)),
      w(1, sub.map((operand): Expr => ({ k: 'neg', operand }))),
      w(1, sub.map((a): Expr => ({ k: 'fn', name: 'abs', args: [a], type: 'bigint' }))),
      w(1, int.map((operand): Expr => ({ k: 'cast', operand, to: 'bigint' }))),
      ...this.branching('bigint', depth),
    ];
  }

  private doubleOptions(depth: number): Weighted[] {
    const sub = this.scalar('double', depth - 1, false);
    const any = fc.oneof(this.scalar('double', depth - 1, true), this.scalar('int', depth - 1));
    const divisor = fc.oneof(nonZeroSmallInt.map((n) => lit(n, 'int')), doubleValue.filter((v) => v !== 0).map((v) => lit(v, 'double')));
    return [
      w(3, fc.tuple(fc.constantFrom('+', '-', '*'), sub, any).map(([op, left, right]) => ({ k: 'arith', op, left, right, type: 'double' }) as Expr)),
      w(1, fc.tuple(this.scalar('int', depth - 1), sub).map(([left, right]) => ({ k: 'arith', op: '*', left, right, type: 'double' }) as Expr)),
      w(1, fc.tuple(sub, divisor).map(([left, right]) => ({ k: 'arith', op: '/', left, right, type: 'double' }) as Expr)),
      w(1, sub.map((operand): Expr => ({ k: 'neg', operand }))),
      w(2, fc.tuple(fc.constantFrom('abs', 'floor', 'ceil') as fc.Arbitrary<'abs' | 'floor' | 'ceil'>, sub).map(([name, a]): Expr => ({ k: 'fn', name, args: [a], type: 'double' }))),
      ...this.branching('double', depth),
    ];
  }

  private textOptions(depth: number): Weighted[] {
    const sub = this.scalar('text', depth - 1);
    const position = fc.integer({ min: 1, max: 3 }).map((n) => lit(n, 'int'));
    const search = fc.string({ unit: fc.constantFrom('a', 'b', 'B'), minLength: 1, maxLength: 2 }).map((s) => lit(s, 'text'));
    return [
      w(2, fc.tuple(sub, sub).map(([left, right]): Expr => ({ k: 'concat', left, right }))),
      w(1, fc.tuple(sub, sub).map(([a, b]): Expr => ({ k: 'fn', name: 'concat', args: [a, b], type: 'text' }))),
      w(2, fc.tuple(fc.constantFrom('upper', 'lower', 'trim') as fc.Arbitrary<'upper' | 'lower' | 'trim'>, sub).map(([name, a]): Expr => ({ k: 'fn', name, args: [a], type: 'text' }))),
      w(1, fc.tuple(sub, position, position).map(([a, from, n]): Expr => ({ k: 'fn', name: 'substr', args: [a, from, n], type: 'text' }))),
      w(1, fc.tuple(sub, search, textValue(2).map((s) => lit(s, 'text'))).map(([a, s, r]): Expr => ({ k: 'fn', name: 'replace', args: [a, s, r], type: 'text' }))),
      w(1, this.scalar('int', depth - 1).map((operand): Expr => ({ k: 'cast', operand, to: 'text' }))),
      ...this.branching('text', depth),
    ];
  }

  /** CASE, COALESCE and NULLIF; for DOUBLE the first branch is not a literal, so PostgreSQL types the whole as DOUBLE. */
  private branching(type: ValueType, depth: number): Weighted[] {
    const first = this.scalar(type, depth - 1, type !== 'double' && type !== 'bigint');
    const other = this.scalar(type, depth - 1, type !== 'bigint');
    const condition = this.predicate(depth - 1);
    return [
      w(1, fc.tuple(condition, first, fc.option(other, { nil: undefined })).map(([c, then, otherwise]): Expr => ({ k: 'case', whens: [[c, then]], type, ...(otherwise ? { otherwise } : {}) }))),
      w(1, fc.tuple(first, other).map(([a, b]): Expr => ({ k: 'coalesce', args: [a, b], type }))),
      w(1, fc.tuple(first, other).map(([a, b]): Expr => ({ k: 'fn', name: 'nullif', args: [a, b], type }))),
    ];
  }

  private simplePredicate(): Arb {
    const options: Weighted[] = [w(3, this.comparison(0)), w(1, this.isNull(0))];
    const bool = this.column('bool');
    if (bool) options.push(w(1, bool));
    options.push(w(1, fc.constantFrom(lit(true, 'bool'), lit(false, 'bool'))));
    return fc.oneof(...options);
  }

  private compoundPredicate(depth: number): Arb {
    const sub = this.predicate(depth - 1);
    const options: Weighted[] = [
      w(4, this.comparison(depth)),
      w(3, fc.tuple(fc.constantFrom('AND', 'OR') as fc.Arbitrary<'AND' | 'OR'>, sub, sub).map(([op, left, right]): Expr => ({ k: 'logic', op, left, right }))),
      w(1, sub.map((operand): Expr => ({ k: 'not', operand }))),
      w(1, this.isNull(depth)),
      w(2, this.inList(depth)),
      w(1, this.between(depth)),
      w(2, this.like(depth)),
    ];
    if (this.scope.subqueries) options.push(w(1, subSelectArbitrary(this, depth)));
    return fc.oneof(...options);
  }

  /** Types that can be compared here: the numeric ones present, TEXT, BOOLEAN. */
  comparableTypes(): ValueType[] {
    return availableTypes(this.scope);
  }

  private comparison(depth: number): Arb {
    const sides = this.comparableTypes().map((type) => {
      const left = this.scalar(type, Math.max(0, depth - 1), false);
      const peers = type === 'bool' ? [left] : NUMERIC.includes(type) ? NUMERIC.filter((t) => hasType(this.scope, t) || t === 'int').map((t) => this.scalar(t, Math.max(0, depth - 1), false)) : [left];
      const right = fc.oneof(w(3, this.comparand(type, true)), ...peers.map((p) => w(1, p)));
      const ops = type === 'bool' ? fc.constantFrom('=', '<>') : fc.constantFrom('=', '=', '<>', '<', '<=', '>', '>=');
      return fc.tuple(ops, left, right).map(([op, l, r]) => ({ k: 'cmp', op, left: l, right: r }) as Expr);
    });
    return fc.oneof(...sides);
  }

  private isNull(depth: number): Arb {
    return fc.tuple(this.anyScalar(Math.max(0, depth - 1)), fc.boolean()).map(([operand, negated]): Expr => ({ k: 'isnull', operand, negated }));
  }

  private inList(depth: number): Arb {
    const forType = (type: ValueType) =>
      fc.tuple(this.scalar(type, depth - 1, false), fc.array(this.comparand(type, true), { minLength: 1, maxLength: 4 }), fc.boolean()).map(([operand, list, negated]): Expr => ({ k: 'inlist', operand, list, negated }));
    return fc.oneof(...this.comparableTypes().filter((t) => t !== 'bool').map(forType));
  }

  private between(depth: number): Arb {
    const forType = (type: ValueType) =>
      fc.tuple(this.scalar(type, depth - 1, false), this.comparand(type), this.comparand(type), fc.boolean()).map(([operand, low, high, negated]): Expr => ({ k: 'between', operand, low, high, negated }));
    return fc.oneof(...this.comparableTypes().filter((t) => t !== 'bool').map(forType));
  }

  private like(depth: number): Arb {
    const param = this.scope.params ? fc.boolean() : fc.constant(false);
    const pattern = fc.tuple(likePattern, param).map(([p, asParam]) => lit(p, 'text', asParam));
    return fc.tuple(this.scalar('text', depth - 1, false), pattern, fc.boolean(), fc.boolean()).map(([operand, pat, negated, ci]): Expr => ({ k: 'like', operand, pattern: pat, negated, caseInsensitive: ci }));
  }
}
