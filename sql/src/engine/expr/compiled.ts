import { SqlError } from '@shoal/client/protocol';
import type { Expr, Select, SqlType } from '../../ast.js';
import { ConversionError, convertValue } from '../values/convert.js';
import { decimalToInteger } from '../values/convert.js';
import { isNumericKind, kindOfConstant, typeOfKind, ValueKind, widerNumericKind } from '../values/value-kind.js';
import { describeValue } from '../values/describe-value.js';

/** A row as the engine evaluates it: cells by position (a join's rows side by side). */
export type Row = readonly unknown[];
export type Evaluator = (row: Row) => unknown;

/** An expression compiled once per plan into a closure, with its static kind. */
export interface Compiled {
  readonly evaluate: Evaluator;
  readonly kind: ValueKind;
  /** Depends on no row: folded at compile time, `value` holds the result. */
  readonly constant: boolean;
  readonly value?: unknown;
  /** A column's declared type, for casts and index matching. */
  readonly type?: SqlType;
  /** The column position when the expression is a bare column read. */
  readonly column?: number;
}

/** A grouped expression or aggregate, read from a slot of the group row. */
export interface GroupSlot {
  readonly position: number;
  readonly kind: ValueKind;
}

/** The values of an uncorrelated subquery, computed before the statement's own map phase. */
export interface SubqueryValues {
  readonly values: readonly unknown[];
  readonly kind: ValueKind;
}

/** What an expression's names resolve against. */
export interface ExprScope {
  readonly params: readonly unknown[];
  /** Resolves `t.c` or `c` to a row position; throws SqlError for an unknown or ambiguous column. */
  column(table: string | undefined, name: string): { readonly position: number; readonly type: SqlType };
  /** Over group rows: the slot of an expression that is grouped or an aggregate; undefined otherwise. */
  grouped?(expr: Expr): GroupSlot | undefined;
  /** The clause being compiled, for messages ("WHERE", "JOIN/ON", ...). */
  readonly clause: string;
  subquery(query: Select): SubqueryValues;
}

export function constant(value: unknown, kind: ValueKind = kindOfConstant(value)): Compiled {
  const folded = value === undefined ? null : value;
  return { evaluate: () => folded, kind, constant: true, value: folded };
}

/** Folds an expression whose inputs are all constant into one constant. */
export function foldIfConstant(inputs: readonly Compiled[], compiled: Compiled): Compiled {
  if (inputs.length === 0 || !inputs.every((input) => input.constant)) return compiled;
  return constant(compiled.evaluate([]), compiled.kind);
}

/** Casts a value for an explicit CAST or a context's implicit one; throws SqlError naming the type. */
export function castValue(value: unknown, from: ValueKind, to: SqlType): unknown {
  if (value === null || value === undefined) return null;
  try {
    if ((to.kind === 'int' || to.kind === 'bigint') && from === ValueKind.Decimal && typeof value === 'string') {
      return convertValue(decimalToInteger(value), to, 'explicit');
    }
    return convertValue(value, to, 'explicit');
  } catch (err) {
    if (err instanceof ConversionError) throw new SqlError(`invalid input for type ${to.kind.toUpperCase()}: ${describeValue(value)} ${err.reason}`);
    throw err;
  }
}

/**
 * Gives an untyped constant (a string literal, a parameter, NULL) the kind its
 * context wants, as PostgreSQL resolves "unknown" literals.
 */
export function coerceTo(compiled: Compiled, kind: ValueKind): Compiled {
  if (compiled.kind === kind || kind === ValueKind.Unknown) return compiled;
  if (compiled.constant && (compiled.kind === ValueKind.Unknown || (isNumericKind(compiled.kind) && isNumericKind(kind)))) {
    if (compiled.kind !== ValueKind.Unknown && widerNumericKind(compiled.kind, kind) === compiled.kind) return compiled;
    return constant(castValue(compiled.value, compiled.kind, typeOfKind(kind)), kind);
  }
  return compiled;
}

/** The kind values of several expressions share (CASE branches, COALESCE, IN lists); throws when they cannot mix. */
export function commonKind(kinds: readonly ValueKind[], what: string): ValueKind {
  let result: ValueKind = ValueKind.Unknown;
  for (const kind of kinds) {
    if (kind === ValueKind.Unknown || kind === result) continue;
    if (result === ValueKind.Unknown) result = kind;
    else if (isNumericKind(result) && isNumericKind(kind)) result = widerNumericKind(result, kind);
    else if ((result === 'date' && kind === 'timestamp') || (result === 'timestamp' && kind === 'date')) result = ValueKind.Timestamp;
    else throw new SqlError(`${what} types ${result} and ${kind} cannot be matched`);
  }
  return result;
}

/** Checks that two kinds can be compared, giving the kind to compare them as. */
export function comparisonKind(left: ValueKind, right: ValueKind, operator: string): ValueKind {
  if (left === ValueKind.Unknown) return right;
  if (right === ValueKind.Unknown) return left;
  if (left === right) return left;
  if (isNumericKind(left) && isNumericKind(right)) return widerNumericKind(left, right);
  if ((left === 'date' || left === 'timestamp') && (right === 'date' || right === 'timestamp')) return ValueKind.Timestamp;
  throw new SqlError(`operator does not exist: ${left} ${operator} ${right}`);
}
