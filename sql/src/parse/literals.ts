import { SqlError } from '@shoal/client/protocol';
import type { SqlValue } from '../ast.js';
import { unexpectedShape, type RawNode } from './raw-ast.js';

const INTEGER = /^[+-]?\d+$/;

/** A whole number: a JS number when it is exact as one, else a bigint (BIGINT's range and beyond). */
function integer(digits: string): number | bigint {
  const big = BigInt(digits);
  const small = Number(big);
  return Number.isSafeInteger(small) ? small : big;
}

function finite(value: number, written: unknown): number {
  if (!Number.isFinite(value)) throw new SqlError(`numeric literal ${String(written)} is out of range`);
  return value;
}

/**
 * A numeric literal. node-sql-parser gives integers from 2^53 up as
 * `{ type: 'bigint', value: digits }` (exponent forms such as 1e3 too), and
 * everything else as `{ type: 'number' }`, a JS number or the decimal text.
 * A minus sign written against the digits is part of the literal there, and
 * such an integer below -2^53 arrives already rounded: its exact digits are
 * recovered from the statement.
 */
export function numericLiteral(node: RawNode, source: string): number | bigint {
  const value = node.value;
  if (node.type === 'bigint' && typeof value === 'string') return INTEGER.test(value) ? integer(value) : finite(Number(value), value);
  if (typeof value === 'string') return INTEGER.test(value) ? integer(value) : finite(Number(value), value);
  if (typeof value !== 'number') throw unexpectedShape('number');
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return exactNegative(value, source);
  return finite(value, value);
}

/**
 * The exact value of a large negative integer literal the parser rounded:
 * the one `-digits` run in the statement that rounds to it. Two different
 * such runs rounding to the same double (only possible with digits inside a
 * string) cannot be told apart, and are refused rather than guessed.
 */
function exactNegative(rounded: number, source: string): bigint {
  const candidates = new Set<bigint>();
  for (const match of source.matchAll(/-(\d+)/g)) {
    const exact = -BigInt(match[1]!);
    if (Number(exact) === rounded) candidates.add(exact);
  }
  if (candidates.size !== 1) {
    throw new SqlError(`integer literal near ${rounded} is beyond 2^53 and could not be read exactly: pass it as a parameter`);
  }
  return [...candidates][0]!;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)\.(\d*)$/;

/** The plain decimal text of a literal written with a decimal point ("1.50", ".5", "-2."), or undefined for any other number. */
export function decimalLiteral(node: RawNode): string | undefined {
  if (typeof node.value !== 'string') return undefined;
  const match = DECIMAL_TEXT.exec(node.value);
  if (match === null || match[2]! + match[3]! === '') return undefined;
  const [, sign, whole, fraction] = match;
  return `${sign === '-' ? '-' : ''}${whole === '' ? '0' : whole}${fraction === '' ? '' : `.${fraction}`}`;
}

export function negateDecimalText(text: string): string {
  return text.startsWith('-') ? text.slice(1) : `-${text}`;
}

/** A standard string constant: the parser keeps a doubled quote doubled; backslashes are ordinary characters, as in PostgreSQL. */
export function stringLiteral(node: RawNode): string {
  if (typeof node.value !== 'string') throw unexpectedShape('string literal');
  return node.value.replaceAll("''", "'");
}

export function booleanLiteral(node: RawNode): boolean {
  if (typeof node.value !== 'boolean') throw unexpectedShape('boolean literal');
  return node.value;
}

/** Negation folded into a numeric literal, as PostgreSQL folds `- 5` into the constant -5. */
export function negate(value: SqlValue): SqlValue | undefined {
  if (typeof value === 'number') return -value;
  if (typeof value === 'bigint') {
    const negated = -value;
    return Number.isSafeInteger(Number(negated)) ? Number(negated) : negated;
  }
  return undefined;
}
