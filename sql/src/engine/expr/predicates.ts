import { SqlError } from '@shoal/client/protocol';
import { ValueKind } from '../values/value-kind.js';
import { coerceTo, commonKind, type Compiled, type Evaluator, foldIfConstant } from './compiled.js';
import { compileComparison, compileLogic, compileNot, equalityFor } from './comparison.js';
import { likeRegExp } from './like-pattern.js';

export function compileLike(operandInput: Compiled, patternInput: Compiled, caseInsensitive: boolean, negated: boolean): Compiled {
  const operand = coerceTo(operandInput, ValueKind.Text);
  const pattern = coerceTo(patternInput, ValueKind.Text);
  for (const side of [operand, pattern]) {
    if (side.kind !== ValueKind.Text && side.kind !== ValueKind.Unknown) {
      throw new SqlError(`operator does not exist: ${operand.kind} ${caseInsensitive ? 'ILIKE' : 'LIKE'} ${pattern.kind}`);
    }
  }
  const inner = operand.evaluate;
  const patternOf = pattern.evaluate;
  const fixed = pattern.constant && typeof pattern.value === 'string' ? likeRegExp(pattern.value, caseInsensitive) : undefined;
  let lastPattern: string | undefined;
  let lastRegExp: RegExp | undefined;
  const regExpFor = (text: string): RegExp => {
    if (text !== lastPattern) {
      lastRegExp = likeRegExp(text, caseInsensitive);
      lastPattern = text;
    }
    return lastRegExp!;
  };
  const evaluate: Evaluator = fixed
    ? (row) => {
        const value = inner(row);
        return value === null ? null : fixed.test(value as string) !== negated;
      }
    : (row) => {
        const value = inner(row);
        const text = value === null ? null : patternOf(row);
        return text === null ? null : regExpFor(text as string).test(value as string) !== negated;
      };
  return foldIfConstant([operand, pattern], { evaluate, kind: ValueKind.Boolean, constant: false });
}

export function compileBetween(operand: Compiled, low: Compiled, high: Compiled, negated: boolean): Compiled {
  const within = compileLogic('and', compileComparison('>=', operand, low), compileComparison('<=', operand, high));
  return negated ? compileNot(within) : within;
}

export function compileIsNull(operand: Compiled, negated: boolean): Compiled {
  const inner = operand.evaluate;
  const evaluate: Evaluator = negated ? (row) => inner(row) !== null : (row) => inner(row) === null;
  return foldIfConstant([operand], { evaluate, kind: ValueKind.Boolean, constant: false });
}

export interface CompiledWhen {
  readonly when: Compiled;
  readonly then: Compiled;
}

/** CASE: the first WHEN that holds (a simple CASE compares the operand with `=`), else ELSE or NULL. */
export function compileCase(operand: Compiled | undefined, whens: readonly CompiledWhen[], otherwise: Compiled | undefined): Compiled {
  const results = [...whens.map((when) => when.then), ...(otherwise ? [otherwise] : [])];
  const kind = commonKind(results.map((result) => result.kind), 'CASE');
  const thens = whens.map((when) => coerceTo(when.then, kind).evaluate);
  const elseValue = otherwise ? coerceTo(otherwise, kind).evaluate : () => null;
  const tests = operand ? simpleTests(operand, whens) : whens.map((when) => booleanTest(when.when));
  const evaluate: Evaluator = (row) => {
    for (let i = 0; i < tests.length; i++) {
      if (tests[i]!(row) === true) return thens[i]!(row);
    }
    return elseValue(row);
  };
  return { evaluate, kind, constant: false };
}

function booleanTest(when: Compiled): Evaluator {
  const test = coerceTo(when, ValueKind.Boolean);
  if (test.kind !== ValueKind.Boolean && !(test.constant && test.value === null)) {
    throw new SqlError(`argument of CASE/WHEN must be type boolean, not type ${test.kind}`);
  }
  return test.evaluate;
}

function simpleTests(operand: Compiled, whens: readonly CompiledWhen[]): Evaluator[] {
  const kind = commonKind([operand.kind, ...whens.map((when) => when.when.kind)], 'CASE/WHEN');
  const subject = coerceTo(operand, kind).evaluate;
  const equal = equalityFor(kind);
  return whens.map((when) => {
    const candidate = coerceTo(when.when, kind).evaluate;
    return (row) => {
      const a = subject(row);
      const b = candidate(row);
      return a !== null && b !== null && equal(a, b);
    };
  });
}
