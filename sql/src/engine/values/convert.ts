import type { SqlType } from '../../ast.js';
import { toExact } from './decimal-math.js';
import { formatTimestamp, parseDate, parseTimestamp } from './temporal.js';

/**
 * Conversion of a value to a column type. `assign` is what INSERT and UPDATE
 * do (no silent rounding of a fraction into an integer); `explicit` is CAST,
 * which rounds like PostgreSQL does.
 */
export type ConversionMode = 'assign' | 'explicit';

/** Why a value does not convert; callers turn it into a SqlError that names the column or the type. */
export class ConversionError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

type Converter = (value: unknown, type: SqlType, mode: ConversionMode) => unknown;

const converters: Record<SqlType['kind'], Converter> = {
  int: (value, _type, mode) => checkIntRange(toInteger(value, mode), INT_MIN, INT_MAX, 'INT'),
  bigint: (value, _type, mode) => toBigint(toInteger(value, mode)),
  double: (value) => toDouble(value),
  decimal: (value, type) => toDecimal(value, type as Extract<SqlType, { kind: 'decimal' }>),
  text: (value, type) => toText(value, type as Extract<SqlType, { kind: 'text' }>),
  boolean: (value, _type, mode) => toBoolean(value, mode),
  date: (value) => toDate(value),
  timestamp: (value) => toTimestamp(value),
  json: (value) => toJson(value),
};

/** Converts a non-null value; throws ConversionError. */
export function convertValue(value: unknown, type: SqlType, mode: ConversionMode): unknown {
  if (value === null || value === undefined) return null;
  return converters[type.kind](value, type, mode);
}

function toInteger(value: unknown, mode: ConversionMode): number | bigint {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value;
    if (mode === 'assign' || !Number.isFinite(value)) throw new ConversionError('is not an integer');
    return roundHalfEven(value);
  }
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string') {
    if (INTEGER_TEXT.test(value)) return parseInteger(value.trim());
    throw new ConversionError('is not an integer');
  }
  if (typeof value === 'boolean' && mode === 'explicit') return value ? 1 : 0;
  throw new ConversionError('is not an integer');
}

/** A numeric CAST to an integer rounds decimals half away from zero, as PostgreSQL does. */
export function decimalToInteger(value: string): number | bigint {
  const rounded = toExact(value).toDecimalPlaces(0);
  return parseInteger(rounded.toFixed(0));
}

function parseInteger(text: string): number | bigint {
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : BigInt(text);
}

/** float8 → int4 in PostgreSQL rounds half to even (rint). */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function checkIntRange(value: number | bigint, min: number, max: number, name: string): number {
  if (typeof value === 'bigint' || value < min || value > max) throw new ConversionError(`is out of range for ${name}`);
  return value;
}

function toBigint(value: number | bigint): number | bigint {
  if (typeof value === 'number') return value;
  if (value < BIGINT_MIN || value > BIGINT_MAX) throw new ConversionError('is out of range for BIGINT');
  return Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const trimmed = value.trim().toLowerCase();
    if (NUMBER_TEXT.test(trimmed)) return Number(trimmed);
    if (trimmed === 'nan') return NaN;
    if (trimmed === 'infinity' || trimmed === '+infinity') return Infinity;
    if (trimmed === '-infinity') return -Infinity;
  }
  throw new ConversionError('is not a number');
}

function toDecimal(value: unknown, type: Extract<SqlType, { kind: 'decimal' }>): string {
  if (!(typeof value === 'number' || typeof value === 'bigint' || (typeof value === 'string' && NUMBER_TEXT.test(value)))) {
    throw new ConversionError('is not a number');
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ConversionError('is not a finite number');
  const exact = toExact(typeof value === 'string' ? value.trim() : value);
  if (type.precision <= 0) return exact.toFixed();
  const rounded = exact.toDecimalPlaces(type.scale);
  const integerDigits = rounded.abs().lt(1) ? 0 : rounded.abs().toFixed(0).length;
  if (integerDigits > type.precision - type.scale) {
    throw new ConversionError(`does not fit DECIMAL(${type.precision},${type.scale}) (numeric field overflow)`);
  }
  return rounded.toFixed(type.scale);
}

function toText(value: unknown, type: Extract<SqlType, { kind: 'text' }>): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = formatTimestamp(value);
  else throw new ConversionError('is not text');
  if (type.maxLength !== undefined && [...text].length > type.maxLength) {
    throw new ConversionError(`is too long for VARCHAR(${type.maxLength})`);
  }
  return text;
}

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', 'off', '0']);

function toBoolean(value: unknown, mode: ConversionMode): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (TRUE_TEXT.has(lowered)) return true;
    if (FALSE_TEXT.has(lowered)) return false;
  }
  if (typeof value === 'number' && mode === 'explicit' && Number.isInteger(value)) return value !== 0;
  throw new ConversionError('is not a boolean');
}

function toDate(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ConversionError('is not a valid date');
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'string') {
    const date = parseDate(value);
    if (date !== undefined) return date;
  }
  throw new ConversionError('is not a date (YYYY-MM-DD)');
}

function toTimestamp(value: unknown): Date {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ConversionError('is not a valid timestamp');
    return value;
  }
  if (typeof value === 'string') {
    const parsed = parseTimestamp(value);
    if (parsed !== undefined) return parsed;
  }
  throw new ConversionError('is not a timestamp');
}

function toJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ConversionError('is not valid JSON text');
  }
}
