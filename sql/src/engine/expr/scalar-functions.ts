import { ValueKind } from '../values/value-kind.js';
import { coerceTo, commonKind, type Compiled, type Evaluator, foldIfConstant } from './compiled.js';
import { compileComparison } from './comparison.js';
import type { ScalarFunction } from './function-support.js';
import { mathFunctions } from './math-functions.js';
import { stringFunctions } from './string-functions.js';

function coalesce(args: readonly Compiled[]): Compiled {
  const kind = commonKind(args.map((arg) => arg.kind), 'COALESCE');
  const inputs = args.map((arg) => coerceTo(arg, kind));
  const evaluators = inputs.map((input) => input.evaluate);
  const evaluate: Evaluator = (row) => {
    for (const evaluator of evaluators) {
      const value = evaluator(row);
      if (value !== null) return value;
    }
    return null;
  };
  return foldIfConstant(inputs, { evaluate, kind, constant: false });
}

function nullif(args: readonly Compiled[]): Compiled {
  const [first, second] = args as [Compiled, Compiled];
  const equal = compileComparison('=', first, second).evaluate;
  const value = coerceTo(first, second.kind === ValueKind.Unknown ? first.kind : commonKind([first.kind, second.kind], 'NULLIF')).evaluate;
  const evaluate: Evaluator = (row) => (equal(row) === true ? null : value(row));
  return foldIfConstant(args, { evaluate, kind: first.kind, constant: false });
}

/** Every scalar function by lower-case name. */
export const scalarFunctions: Readonly<Record<string, ScalarFunction>> = {
  ...stringFunctions,
  ...mathFunctions,
  coalesce: { minArgs: 1, maxArgs: 100, compile: coalesce },
  nullif: { minArgs: 2, maxArgs: 2, compile: nullif },
};
