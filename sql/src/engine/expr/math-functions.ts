import { SqlError } from '@shoal/client/protocol';
import { comparatorFor } from '../values/compare.js';
import { formatExact, scaleOf, toExact } from '../values/decimal-math.js';
import { ValueKind } from '../values/value-kind.js';
import { compileArithmetic } from './arithmetic.js';
import { coerceTo, commonKind, type Compiled, type Evaluator, foldIfConstant } from './compiled.js';
import { integerRangeCheck } from './integer-range.js';
import { integerArgument, numericArgument, type ScalarFunction, strict } from './function-support.js';

type NumericBody = (value: unknown, kind: ValueKind) => unknown;

/** A one-argument function keeping its argument's numeric kind. */
function sameKind(body: NumericBody): ScalarFunction {
  return {
    minArgs: 1,
    maxArgs: 1,
    compile: (args, name) => {
      const arg = numericArgument(args[0]!, name);
      return strict(arg.kind, [arg], (values) => body(values[0], arg.kind));
    },
  };
}

/** abs of the type's most negative value does not fit the type: PostgreSQL fails there too. */
function abs(value: unknown, kind: ValueKind): unknown {
  if (kind === ValueKind.Decimal) return toExact(value).abs().toFixed(scaleOf(value));
  const check = integerRangeCheck(kind) ?? ((result: unknown) => result);
  if (typeof value === 'bigint') return check(value < 0n ? -value : value);
  return check(Math.abs(value as number));
}

/** Integral rounding: doubles keep IEEE behavior, decimals go through decimal.js exactly. */
function integral(mode: 'ceil' | 'floor'): NumericBody {
  return (value, kind) => {
    if (kind === ValueKind.Decimal) return toExact(value)[mode]().toFixed(0);
    if (typeof value === 'bigint') return value;
    return Math[mode](value as number);
  };
}

/** round(double) rounds half to even like rint; round(numeric[, n]) half away from zero. */
function round(args: readonly Compiled[], name: string): Compiled {
  const value = numericArgument(args[0]!, name);
  if (args.length === 1) {
    return strict(value.kind, [value], ([x]) => {
      if (value.kind === ValueKind.Decimal) return toExact(x).toDecimalPlaces(0).toFixed(0);
      if (typeof x === 'bigint') return x;
      return roundHalfEven(x as number);
    });
  }
  const places = integerArgument(args[1]!, name);
  return strict(ValueKind.Decimal, [value, places], ([x, n]) => {
    if (typeof x === 'number' && !Number.isFinite(x)) throw new SqlError(`cannot round ${x} to a decimal`);
    const digits = Number(n);
    if (digits >= 0) return formatExact(toExact(x).toDecimalPlaces(digits), digits);
    const unit = toExact(10).pow(-digits);
    return toExact(x).div(unit).toDecimalPlaces(0).times(unit).toFixed(0);
  });
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function sign(value: unknown): unknown {
  if (typeof value === 'bigint') return value > 0n ? 1 : value < 0n ? -1 : 0;
  if (typeof value === 'string') return toExact(value).comparedTo(0);
  return Math.sign(value as number);
}

function doubleFunction(arity: number, body: (values: readonly number[]) => number): ScalarFunction {
  return {
    minArgs: arity,
    maxArgs: arity,
    compile: (args, name) => strict(ValueKind.Double, args.map((arg) => numericArgument(arg, name)), (values) => body(values.map(Number))),
  };
}

function extreme(pick: 'greatest' | 'least'): ScalarFunction {
  return {
    minArgs: 1,
    maxArgs: 100,
    compile: (args, name) => {
      const kind = commonKind(args.map((arg) => arg.kind), name.toUpperCase());
      const inputs = args.map((arg) => coerceTo(arg, kind));
      const evaluators = inputs.map((input) => input.evaluate);
      const compare = comparatorFor(kind);
      const better = pick === 'greatest' ? (order: number) => order > 0 : (order: number) => order < 0;
      const evaluate: Evaluator = (row) => {
        let best: unknown = null;
        for (const evaluator of evaluators) {
          const value = evaluator(row);
          if (value !== null && (best === null || better(compare(value, best)))) best = value;
        }
        return best;
      };
      return foldIfConstant(inputs, { evaluate, kind, constant: false });
    },
  };
}

export const mathFunctions: Record<string, ScalarFunction> = {
  abs: sameKind(abs),
  ceil: sameKind(integral('ceil')),
  ceiling: sameKind(integral('ceil')),
  floor: sameKind(integral('floor')),
  sign: sameKind(sign),
  round: { minArgs: 1, maxArgs: 2, compile: round },
  mod: {
    minArgs: 2,
    maxArgs: 2,
    compile: (args, name) => compileArithmetic('%', numericArgument(args[0]!, name), numericArgument(args[1]!, name)),
  },
  power: doubleFunction(2, ([base, exponent]) => {
    if (base === 0 && exponent! < 0) throw new SqlError('zero raised to a negative power is undefined');
    const result = base! ** exponent!;
    if (Number.isNaN(result) && !Number.isNaN(base) && !Number.isNaN(exponent)) {
      throw new SqlError('a negative number raised to a non-integer power yields a complex result');
    }
    return result;
  }),
  sqrt: doubleFunction(1, ([value]) => {
    if (value! < 0) throw new SqlError('cannot take square root of a negative number');
    return Math.sqrt(value!);
  }),
  greatest: extreme('greatest'),
  least: extreme('least'),
};
mathFunctions['pow'] = mathFunctions['power']!;
