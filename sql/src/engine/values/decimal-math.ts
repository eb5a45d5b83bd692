import { Decimal } from 'decimal.js';

/**
 * Exact DECIMAL arithmetic over plain decimal strings ("12.50"), with
 * PostgreSQL's result scales: a sum keeps the larger scale, a product the sum
 * of scales, a quotient at least 16 significant digits.
 */

const Exact = Decimal.clone({ precision: 1000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -1000, toExpPos: 1000 });
export type Exact = Decimal;

/** Significant digits PostgreSQL gives a quotient at least (NUMERIC_MIN_SIG_DIGITS). */
const MIN_SIGNIFICANT_DIGITS = 16;

export function toExact(value: unknown): Decimal {
  if (typeof value === 'bigint') return new Exact(value.toString());
  return new Exact(value as string | number);
}

/** Digits after the point in a decimal's text. */
export function scaleOf(value: unknown): number {
  if (typeof value !== 'string') {
    if (typeof value === 'number' && !Number.isInteger(value)) return toExact(value).decimalPlaces();
    return 0;
  }
  const point = value.indexOf('.');
  if (point < 0) return value.includes('e') || value.includes('E') ? toExact(value).decimalPlaces() : 0;
  if (value.search(/[eE]/) >= 0) return toExact(value).decimalPlaces();
  return value.length - point - 1;
}

export function formatExact(value: Decimal, scale: number): string {
  return value.toFixed(Math.max(0, scale));
}

export function addExact(a: unknown, b: unknown): string {
  return formatExact(toExact(a).plus(toExact(b)), Math.max(scaleOf(a), scaleOf(b)));
}

export function subtractExact(a: unknown, b: unknown): string {
  return formatExact(toExact(a).minus(toExact(b)), Math.max(scaleOf(a), scaleOf(b)));
}

export function multiplyExact(a: unknown, b: unknown): string {
  return formatExact(toExact(a).times(toExact(b)), scaleOf(a) + scaleOf(b));
}

/** The caller has ruled out a zero divisor. */
export function divideExact(a: unknown, b: unknown): string {
  const quotient = toExact(a).div(toExact(b));
  return formatExact(quotient, quotientScale(quotient, Math.max(scaleOf(a), scaleOf(b))));
}

/** PostgreSQL's select_div_scale: 16 significant digits counted in base-10000 groups, never fewer places than the operands. */
export function quotientScale(quotient: Decimal, operandScale: number): number {
  const groupWeight = quotient.isZero() ? 0 : Math.floor(Math.floor(Math.log10(Math.abs(quotient.toNumber()))) / 4);
  return Math.min(1000, Math.max(operandScale, MIN_SIGNIFICANT_DIGITS - groupWeight * 4, 0));
}

export function remainderExact(a: unknown, b: unknown): string {
  return formatExact(toExact(a).mod(toExact(b)), Math.max(scaleOf(a), scaleOf(b)));
}

/** Compares two numbers given as number, bigint or decimal text; exact where a double would not be. */
export function compareNumeric(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : compareNaN(a, b);
  if (typeof a === 'string' && typeof b === 'string' && a.length <= 15 && b.length <= 15) {
    // Distinct decimals of at most 15 digits stay distinct and ordered as doubles.
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'number' && Number.isNaN(a)) return typeof b === 'number' && Number.isNaN(b) ? 0 : 1;
  if (typeof b === 'number' && Number.isNaN(b)) return -1;
  return toExact(a).comparedTo(toExact(b));
}

/** PostgreSQL sorts NaN above every other number and equal to itself. */
function compareNaN(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN && bNaN) return 0;
  return aNaN ? 1 : -1;
}

/** A decimal's canonical text: equal values give equal text ("1.50" and "1.5" both "1.5"). */
export function canonicalDecimal(value: unknown): string {
  return toExact(value).toString();
}
