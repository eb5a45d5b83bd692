import type { SqlType } from '../../ast.js';

/**
 * The static kind of an expression's values. `unknown` is PostgreSQL's
 * "unknown" literal type: a string literal, a parameter or NULL, whose kind the
 * context decides (compared with a DATE column, '2024-01-01' is a date).
 */
export const ValueKind = {
  Int: 'int',
  BigInt: 'bigint',
  Double: 'double',
  Decimal: 'decimal',
  Text: 'text',
  Boolean: 'boolean',
  Date: 'date',
  Timestamp: 'timestamp',
  Json: 'json',
  Unknown: 'unknown',
} as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

const numericRank: Partial<Record<ValueKind, number>> = { int: 1, bigint: 2, decimal: 3, double: 4 };

export function isNumericKind(kind: ValueKind): boolean {
  return numericRank[kind] !== undefined;
}

export function isIntegerKind(kind: ValueKind): boolean {
  return kind === 'int' || kind === 'bigint';
}

/** The common numeric kind of two operands, as PostgreSQL promotes them (int → bigint → numeric → double). */
export function widerNumericKind(a: ValueKind, b: ValueKind): ValueKind {
  return (numericRank[a] ?? 0) >= (numericRank[b] ?? 0) ? a : b;
}

export function kindOfType(type: SqlType): ValueKind {
  return type.kind;
}

/** The kind of a constant as PostgreSQL types a literal: whole numbers are integers, strings stay unknown until context decides. */
export function kindOfConstant(value: unknown): ValueKind {
  if (value === null || value === undefined) return ValueKind.Unknown;
  switch (typeof value) {
    case 'number':
      // int4's range is asymmetric: -2147483648 is an INT literal in PostgreSQL, 2147483648 a BIGINT.
      return Number.isInteger(value) ? (value >= -2147483648 && value <= 2147483647 ? ValueKind.Int : ValueKind.BigInt) : ValueKind.Double;
    case 'bigint':
      return ValueKind.BigInt;
    case 'string':
      return ValueKind.Unknown;
    case 'boolean':
      return ValueKind.Boolean;
    default:
      return value instanceof Date ? ValueKind.Timestamp : ValueKind.Json;
  }
}

/** The type name PostgreSQL users read in messages. */
export function typeName(type: SqlType): string {
  switch (type.kind) {
    case 'decimal':
      return type.precision > 0 ? `DECIMAL(${type.precision},${type.scale})` : 'DECIMAL';
    case 'text':
      return type.maxLength === undefined ? 'TEXT' : `VARCHAR(${type.maxLength})`;
    default:
      return type.kind.toUpperCase();
  }
}

/** The SqlType standing for a kind where an expression has no declared type. */
export function typeOfKind(kind: ValueKind): SqlType {
  switch (kind) {
    case 'decimal':
      return { kind: 'decimal', precision: 0, scale: 0 };
    case 'unknown':
      return { kind: 'text' };
    default:
      return { kind };
  }
}
