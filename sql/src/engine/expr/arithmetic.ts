import { SqlError } from '@shoal/client/protocol';
import { addExact, divideExact, multiplyExact, remainderExact, subtractExact, toExact } from '../values/decimal-math.js';
import { isNumericKind, ValueKind, widerNumericKind } from '../values/value-kind.js';
import { coerceTo, type Compiled, type Evaluator, foldIfConstant } from './compiled.js';
import { rangeChecked } from './integer-range.js';

/**
 * Arithmetic with PostgreSQL's promotions: integer division truncates, any
 * division by zero is an error, and INT/BIGINT results outside their type's
 * range are errors (integer-range.ts).
 */
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
type Operation = (a: unknown, b: unknown) => unknown;
type NumericFamily = 'integer' | 'double' | 'decimal';

function divisionByZero(): never {
  throw new SqlError('division by zero');
}

function isZero(value: unknown): boolean {
  if (typeof value === 'number') return value === 0;
  if (typeof value === 'bigint') return value === 0n;
  return toExact(value).isZero();
}

function bigOf(value: unknown): bigint {
  return typeof value === 'bigint' ? value : BigInt(value as number);
}

/** Integer results leave doubles for bigints past 2^53 rather than lose digits. */
function integerResult(value: bigint): number | bigint {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value;
}

function integerOperation(fast: (a: number, b: number) => number, exact: (a: bigint, b: bigint) => bigint): Operation {
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') {
      const result = fast(a, b);
      if (Number.isSafeInteger(result)) return result;
    }
    return integerResult(exact(bigOf(a), bigOf(b)));
  };
}

const integerOperations: Record<ArithmeticOperator, Operation> = {
  '+': integerOperation((a, b) => a + b, (a, b) => a + b),
  '-': integerOperation((a, b) => a - b, (a, b) => a - b),
  '*': integerOperation((a, b) => a * b, (a, b) => a * b),
  '/': (a, b) => (isZero(b) ? divisionByZero() : integerOperation((x, y) => Math.trunc(x / y), (x, y) => x / y)(a, b)),
  // `+ 0`: JS gives -0 for a negative dividend's exact multiple (-4 % 2), which must not reach the client as a float.
  '%': (a, b) => (isZero(b) ? divisionByZero() : integerOperation((x, y) => (x % y) + 0, (x, y) => x % y)(a, b)),
};

const doubleOperations: Record<ArithmeticOperator, Operation> = {
  '+': (a, b) => Number(a) + Number(b),
  '-': (a, b) => Number(a) - Number(b),
  '*': (a, b) => Number(a) * Number(b),
  '/': (a, b) => (isZero(b) ? divisionByZero() : Number(a) / Number(b)),
  '%': (a, b) => (isZero(b) ? divisionByZero() : Number(a) % Number(b)),
};

const decimalOperations: Record<ArithmeticOperator, Operation> = {
  '+': addExact,
  '-': subtractExact,
  '*': multiplyExact,
  '/': (a, b) => (isZero(b) ? divisionByZero() : divideExact(a, b)),
  '%': (a, b) => (isZero(b) ? divisionByZero() : remainderExact(a, b)),
};

const families: Record<NumericFamily, Record<ArithmeticOperator, Operation>> = {
  integer: integerOperations,
  double: doubleOperations,
  decimal: decimalOperations,
};

function familyOf(kind: ValueKind): NumericFamily {
  if (kind === ValueKind.Double) return 'double';
  if (kind === ValueKind.Decimal) return 'decimal';
  return 'integer';
}

export function compileArithmetic(operator: ArithmeticOperator, leftInput: Compiled, rightInput: Compiled): Compiled {
  const dateResult = compileDateArithmetic(operator, leftInput, rightInput);
  if (dateResult) return dateResult;
  const left = coerceTo(leftInput, rightInput.kind === ValueKind.Unknown ? ValueKind.Int : rightInput.kind);
  const right = coerceTo(rightInput, left.kind);
  const kindOf = (input: Compiled): ValueKind => (input.kind === ValueKind.Unknown && input.constant && input.value === null ? ValueKind.Int : input.kind);
  const leftKind = kindOf(left);
  const rightKind = kindOf(right);
  if (!isNumericKind(leftKind) || !isNumericKind(rightKind)) {
    throw new SqlError(`operator does not exist: ${leftKind} ${operator} ${rightKind}`);
  }
  const kind = widerNumericKind(leftKind, rightKind);
  const operation = rangeChecked(kind, families[familyOf(kind)][operator]);
  const l = left.evaluate;
  const r = right.evaluate;
  const evaluate: Evaluator = (row) => {
    const a = l(row);
    if (a === null) return null;
    const b = r(row);
    return b === null ? null : operation(a, b);
  };
  return foldIfConstant([left, right], { evaluate, kind, constant: false });
}

const DAY_MS = 86_400_000;

/** date ± integer days, and date − date in days, as PostgreSQL allows. */
function compileDateArithmetic(operator: ArithmeticOperator, left: Compiled, right: Compiled): Compiled | undefined {
  if (left.kind !== ValueKind.Date) return undefined;
  const l = left.evaluate;
  if (operator === '-' && (right.kind === ValueKind.Date || (right.kind === ValueKind.Unknown && typeof right.value === 'string'))) {
    const r = coerceTo(right, ValueKind.Date).evaluate;
    const evaluate: Evaluator = (row) => {
      const a = l(row);
      const b = r(row);
      return a === null || b === null ? null : Math.round((Date.parse(`${a as string}T00:00:00Z`) - Date.parse(`${b as string}T00:00:00Z`)) / DAY_MS);
    };
    return foldIfConstant([left, right], { evaluate, kind: ValueKind.Int, constant: false });
  }
  if ((operator === '+' || operator === '-') && (right.kind === ValueKind.Int || right.kind === ValueKind.BigInt)) {
    const r = right.evaluate;
    const sign = operator === '+' ? 1 : -1;
    const evaluate: Evaluator = (row) => {
      const a = l(row);
      const b = r(row);
      if (a === null || b === null) return null;
      return new Date(Date.parse(`${a as string}T00:00:00Z`) + sign * Number(b) * DAY_MS).toISOString().slice(0, 10);
    };
    return foldIfConstant([left, right], { evaluate, kind: ValueKind.Date, constant: false });
  }
  return undefined;
}

export function compileNegate(operand: Compiled): Compiled {
  const input = coerceTo(operand, ValueKind.Int);
  if (!isNumericKind(input.kind) && !(input.constant && input.value === null)) {
    throw new SqlError(`operator does not exist: - ${input.kind}`);
  }
  const negate = rangeChecked(input.kind, families[familyOf(input.kind)]['-']);
  const zero = input.kind === ValueKind.Decimal ? '0' : 0;
  const inner = input.evaluate;
  const evaluate: Evaluator = (row) => {
    const value = inner(row);
    return value === null ? null : negate(zero, value);
  };
  return foldIfConstant([input], { evaluate, kind: input.kind, constant: false });
}
