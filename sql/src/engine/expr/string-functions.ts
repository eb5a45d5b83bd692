import { SqlError } from '@shoal/client/protocol';
import { ValueKind } from '../values/value-kind.js';
import { formatTimestamp } from '../values/temporal.js';
import type { Compiled, Evaluator } from './compiled.js';
import { integerArgument, type ScalarFunction, strict, textArgument } from './function-support.js';

/** Strings are measured and cut in code points, as PostgreSQL counts characters. */
const SURROGATE = /[\uD800-\uDFFF]/;

function characters(text: string): readonly string[] | string {
  return SURROGATE.test(text) ? Array.from(text) : text;
}

function slice(text: string, start: number, end?: number): string {
  const chars = characters(text);
  if (typeof chars === 'string') return chars.slice(start, end);
  return chars.slice(start, end).join('');
}

function lengthOf(text: string): number {
  const chars = characters(text);
  return chars.length;
}

function substring(text: string, start: number, length?: number): string {
  if (length !== undefined && length < 0) throw new SqlError('negative substring length not allowed');
  const end = length === undefined ? undefined : start + length;
  const from = Math.max(start, 1);
  if (end !== undefined && end <= from) return '';
  return slice(text, from - 1, end === undefined ? undefined : end - 1);
}

function trimSet(chars: string): RegExp[] {
  const escaped = [...chars].map((char) => char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')).join('');
  return [new RegExp(`^[${escaped}]+`, 'u'), new RegExp(`[${escaped}]+$`, 'u')];
}

function trimmer(sides: 'both' | 'leading' | 'trailing'): ScalarFunction {
  return {
    minArgs: 1,
    maxArgs: 2,
    compile: (args, name) => {
      const texts = args.map((arg) => textArgument(arg, name));
      return strict(ValueKind.Text, texts, (values) => {
        const [start, end] = trimSet(values.length > 1 ? (values[1] as string) : ' ');
        let text = values[0] as string;
        if (sides !== 'trailing') text = text.replace(start!, '');
        if (sides !== 'leading') text = text.replace(end!, '');
        return text;
      });
    },
  };
}

function textOf(value: unknown): string {
  if (value instanceof Date) return formatTimestamp(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function concat(args: readonly Compiled[]): Compiled {
  const evaluators = args.map((arg) => arg.evaluate);
  const evaluate: Evaluator = (row) => {
    let text = '';
    for (const evaluator of evaluators) {
      const value = evaluator(row);
      if (value !== null) text += textOf(value);
    }
    return text;
  };
  return { evaluate, kind: ValueKind.Text, constant: false };
}

/** `a || b`: NULL if either is NULL; non-text operands in their text form. */
export function compileConcatOperator(left: Compiled, right: Compiled): Compiled {
  return strict(ValueKind.Text, [left, right], (values) => textOf(values[0]) + textOf(values[1]));
}

function position(substringText: string, text: string): number {
  const index = text.indexOf(substringText);
  return index < 0 ? 0 : lengthOf(text.slice(0, index)) + 1;
}

export const stringFunctions: Record<string, ScalarFunction> = {
  lower: { minArgs: 1, maxArgs: 1, compile: (args, name) => strict(ValueKind.Text, [textArgument(args[0]!, name)], (v) => (v[0] as string).toLowerCase()) },
  upper: { minArgs: 1, maxArgs: 1, compile: (args, name) => strict(ValueKind.Text, [textArgument(args[0]!, name)], (v) => (v[0] as string).toUpperCase()) },
  length: { minArgs: 1, maxArgs: 1, compile: (args, name) => strict(ValueKind.Int, [textArgument(args[0]!, name)], (v) => lengthOf(v[0] as string)) },
  char_length: { minArgs: 1, maxArgs: 1, compile: (args, name) => strict(ValueKind.Int, [textArgument(args[0]!, name)], (v) => lengthOf(v[0] as string)) },
  character_length: { minArgs: 1, maxArgs: 1, compile: (args, name) => strict(ValueKind.Int, [textArgument(args[0]!, name)], (v) => lengthOf(v[0] as string)) },
  substring: {
    minArgs: 2,
    maxArgs: 3,
    compile: (args, name) =>
      strict(ValueKind.Text, [textArgument(args[0]!, name), ...args.slice(1).map((arg) => integerArgument(arg, name))], (v) =>
        substring(v[0] as string, Number(v[1]), v.length > 2 ? Number(v[2]) : undefined),
      ),
  },
  trim: trimmer('both'),
  btrim: trimmer('both'),
  ltrim: trimmer('leading'),
  rtrim: trimmer('trailing'),
  replace: {
    minArgs: 3,
    maxArgs: 3,
    compile: (args, name) =>
      strict(ValueKind.Text, args.map((arg) => textArgument(arg, name)), (v) => {
        const from = v[1] as string;
        return from === '' ? v[0] : (v[0] as string).split(from).join(v[2] as string);
      }),
  },
  concat: { minArgs: 1, maxArgs: 100, compile: (args) => concat(args) },
  strpos: {
    minArgs: 2,
    maxArgs: 2,
    compile: (args, name) => strict(ValueKind.Int, args.map((arg) => textArgument(arg, name)), (v) => position(v[1] as string, v[0] as string)),
  },
  /** position(sub IN text) arrives with the substring first. */
  position: {
    minArgs: 2,
    maxArgs: 2,
    compile: (args, name) => strict(ValueKind.Int, args.map((arg) => textArgument(arg, name)), (v) => position(v[0] as string, v[1] as string)),
  },
  left: {
    minArgs: 2,
    maxArgs: 2,
    compile: (args, name) =>
      strict(ValueKind.Text, [textArgument(args[0]!, name), integerArgument(args[1]!, name)], (v) => {
        const count = Number(v[1]);
        const text = v[0] as string;
        return count >= 0 ? slice(text, 0, count) : slice(text, 0, Math.max(0, lengthOf(text) + count));
      }),
  },
  right: {
    minArgs: 2,
    maxArgs: 2,
    compile: (args, name) =>
      strict(ValueKind.Text, [textArgument(args[0]!, name), integerArgument(args[1]!, name)], (v) => {
        const count = Number(v[1]);
        const text = v[0] as string;
        const length = lengthOf(text);
        return count >= 0 ? slice(text, Math.max(0, length - count)) : slice(text, Math.min(length, -count));
      }),
  },
};
stringFunctions['substr'] = stringFunctions['substring']!;
