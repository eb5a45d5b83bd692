import { SqlError } from '@shoal/client/protocol';
import { comparatorFor, keyFunctionFor } from '../values/compare.js';
import { compareNumeric } from '../values/decimal-math.js';
import { isNumericKind, ValueKind } from '../values/value-kind.js';
import { coerceTo, commonKind, type Compiled, comparisonKind, type Evaluator, foldIfConstant } from './compiled.js';

export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

const verdicts: Record<ComparisonOperator, (order: number) => boolean> = {
  '=': (order) => order === 0,
  '<>': (order) => order !== 0,
  '<': (order) => order < 0,
  '<=': (order) => order <= 0,
  '>': (order) => order > 0,
  '>=': (order) => order >= 0,
};

/** Equality of two non-null values of one kind; the fast paths skip the comparator for plain numbers and text. */
export function equalityFor(kind: ValueKind): (a: unknown, b: unknown) => boolean {
  if (isNumericKind(kind)) return (a, b) => (typeof a === 'number' && typeof b === 'number' ? a === b : compareNumeric(a, b) === 0);
  if (kind === ValueKind.Text || kind === ValueKind.Date || kind === ValueKind.Boolean || kind === ValueKind.Unknown) return (a, b) => a === b;
  const compare = comparatorFor(kind);
  return (a, b) => compare(a, b) === 0;
}

/** Both sides brought to the kind they compare as (an untyped literal takes the other side's kind). */
export function alignForComparison(leftInput: Compiled, rightInput: Compiled, operator: string): [Compiled, Compiled, ValueKind] {
  const kind = comparisonKind(leftInput.kind, rightInput.kind, operator);
  const target = kind === ValueKind.Unknown ? ValueKind.Text : kind;
  return [coerceTo(leftInput, target), coerceTo(rightInput, target), target];
}

export function compileComparison(operator: ComparisonOperator, leftInput: Compiled, rightInput: Compiled): Compiled {
  const [left, right, kind] = alignForComparison(leftInput, rightInput, operator);
  if (kind === ValueKind.Json && operator !== '=' && operator !== '<>') throw new SqlError(`operator does not exist: json ${operator} json`);
  const l = left.evaluate;
  const r = right.evaluate;
  let evaluate: Evaluator;
  if (operator === '=' || operator === '<>') {
    const equal = equalityFor(kind);
    const wanted = operator === '=';
    evaluate = (row) => {
      const a = l(row);
      if (a === null) return null;
      const b = r(row);
      return b === null ? null : equal(a, b) === wanted;
    };
  } else {
    const compare = comparatorFor(kind);
    const verdict = verdicts[operator];
    evaluate = (row) => {
      const a = l(row);
      if (a === null) return null;
      const b = r(row);
      return b === null ? null : verdict(compare(a, b));
    };
  }
  return foldIfConstant([left, right], { evaluate, kind: ValueKind.Boolean, constant: false });
}

function checkBoolean(input: Compiled, what: string): Compiled {
  const coerced = coerceTo(input, ValueKind.Boolean);
  if (coerced.kind !== ValueKind.Boolean && !(coerced.constant && coerced.value === null)) {
    throw new SqlError(`argument of ${what} must be type boolean, not type ${coerced.kind}`);
  }
  return coerced;
}

/** AND/OR with three-valued logic: FALSE AND NULL is FALSE, TRUE OR NULL is TRUE. */
export function compileLogic(operator: 'and' | 'or', leftInput: Compiled, rightInput: Compiled): Compiled {
  const left = checkBoolean(leftInput, operator.toUpperCase());
  const right = checkBoolean(rightInput, operator.toUpperCase());
  const l = left.evaluate;
  const r = right.evaluate;
  const evaluate: Evaluator =
    operator === 'and'
      ? (row) => {
          const a = l(row);
          if (a === false) return false;
          const b = r(row);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        }
      : (row) => {
          const a = l(row);
          if (a === true) return true;
          const b = r(row);
          if (b === true) return true;
          return a === null || b === null ? null : false;
        };
  return foldIfConstant([left, right], { evaluate, kind: ValueKind.Boolean, constant: false });
}

export function compileNot(input: Compiled): Compiled {
  const operand = checkBoolean(input, 'NOT');
  const inner = operand.evaluate;
  const evaluate: Evaluator = (row) => {
    const value = inner(row);
    return value === null ? null : !value;
  };
  return foldIfConstant([operand], { evaluate, kind: ValueKind.Boolean, constant: false });
}

/** `x IN (...)` over constant values: a hash set; TRUE if found, else NULL if the list holds a NULL, else FALSE. */
export function compileInSet(operandInput: Compiled, values: readonly unknown[], valueKind: ValueKind, negated: boolean): Compiled {
  const kind = comparisonKind(operandInput.kind, valueKind, 'IN');
  const operand = coerceTo(operandInput, kind === ValueKind.Unknown ? ValueKind.Text : kind);
  const keyOf = keyFunctionFor(kind);
  const members = new Set<unknown>();
  let hasNull = false;
  for (const value of values) {
    if (value === null || value === undefined) hasNull = true;
    else members.add(keyOf(value));
  }
  const inner = operand.evaluate;
  const evaluate: Evaluator = (row) => {
    const value = inner(row);
    // Against an empty set IN is false and NOT IN true, even for NULL (as PostgreSQL answers).
    if (members.size === 0 && !hasNull) return negated;
    if (value === null) return null;
    if (members.has(keyOf(value))) return !negated;
    return hasNull ? null : negated;
  };
  return foldIfConstant([operand], { evaluate, kind: ValueKind.Boolean, constant: false });
}

/** `x IN (a, b, ...)` where some items read the row: each compared in turn with three-valued logic. */
export function compileInList(operandInput: Compiled, items: readonly Compiled[], negated: boolean): Compiled {
  const kind = commonKind([operandInput.kind, ...items.map((item) => item.kind)], 'IN');
  const values = items.map((item) => coerceTo(item, kind));
  if (values.every((item) => item.constant)) {
    return compileInSet(operandInput, values.map((item) => item.value), kind, negated);
  }
  const operand = coerceTo(operandInput, kind);
  const equal = equalityFor(kind);
  const inner = operand.evaluate;
  const evaluators = values.map((item) => item.evaluate);
  const evaluate: Evaluator = (row) => {
    const value = inner(row);
    if (value === null) return null;
    let sawNull = false;
    for (const item of evaluators) {
      const candidate = item(row);
      if (candidate === null) sawNull = true;
      else if (equal(value, candidate)) return !negated;
    }
    return sawNull ? null : negated;
  };
  return { evaluate, kind: ValueKind.Boolean, constant: false };
}
