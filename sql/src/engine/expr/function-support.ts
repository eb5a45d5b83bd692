import { SqlError } from '@shoal/client/protocol';
import { isNumericKind, ValueKind } from '../values/value-kind.js';
import { coerceTo, type Compiled, type Evaluator, foldIfConstant } from './compiled.js';

/** A scalar function: how many arguments it takes and how it compiles over compiled arguments. */
export interface ScalarFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  compile(args: readonly Compiled[], name: string): Compiled;
}

/** A function that returns NULL when any argument is NULL (most of them). */
export function strict(kind: ValueKind, args: readonly Compiled[], body: (values: readonly unknown[]) => unknown): Compiled {
  const evaluators = args.map((arg) => arg.evaluate);
  const values = new Array<unknown>(evaluators.length);
  const evaluate: Evaluator = (row) => {
    for (let i = 0; i < evaluators.length; i++) {
      const value = evaluators[i]!(row);
      if (value === null) return null;
      values[i] = value;
    }
    return body(values);
  };
  return foldIfConstant(args, { evaluate, kind, constant: false });
}

export function textArgument(arg: Compiled, name: string): Compiled {
  const coerced = coerceTo(arg, ValueKind.Text);
  if (coerced.kind !== ValueKind.Text && coerced.kind !== ValueKind.Unknown) {
    throw new SqlError(`function ${name}(${arg.kind}) does not exist: it takes text`);
  }
  return coerced;
}

export function integerArgument(arg: Compiled, name: string): Compiled {
  const coerced = coerceTo(arg, ValueKind.Int);
  if (coerced.kind !== ValueKind.Int && coerced.kind !== ValueKind.BigInt && !(coerced.constant && coerced.value === null)) {
    throw new SqlError(`function ${name} takes an integer argument, not ${coerced.kind}`);
  }
  return coerced;
}

export function numericArgument(arg: Compiled, name: string): Compiled {
  const coerced = arg.kind === ValueKind.Unknown ? coerceTo(arg, ValueKind.Double) : arg;
  if (!isNumericKind(coerced.kind) && !(coerced.constant && coerced.value === null)) {
    throw new SqlError(`function ${name}(${arg.kind}) does not exist: it takes a number`);
  }
  return coerced;
}
