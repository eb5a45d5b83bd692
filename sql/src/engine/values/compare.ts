import { canonicalDecimal, compareNumeric } from './decimal-math.js';
import { dateToTimestamp } from './temporal.js';
import type { ValueKind } from './value-kind.js';

/** Orders two non-null values of one kind (numbers across int/bigint/double/decimal). */
export type Comparator = (a: unknown, b: unknown) => number;

/** Text orders by code point, as PostgreSQL's C collation does; UTF-16 order differs above U+E000. */
export function compareText(a: unknown, b: unknown): number {
  const x = a as string;
  const y = b as string;
  if (x === y) return 0;
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const cx = x.charCodeAt(i);
    const cy = y.charCodeAt(i);
    if (cx !== cy) return codePointRank(cx) - codePointRank(cy);
  }
  return x.length - y.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

function compareBoolean(a: unknown, b: unknown): number {
  return Number(a) - Number(b);
}

function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return dateToTimestamp(value as string).getTime();
}

function compareTimestamp(a: unknown, b: unknown): number {
  return timeOf(a) - timeOf(b);
}

function compareJson(a: unknown, b: unknown): number {
  return compareText(stableJson(a), stableJson(b));
}

const comparators: Record<ValueKind, Comparator> = {
  int: compareNumeric,
  bigint: compareNumeric,
  double: compareNumeric,
  decimal: compareNumeric,
  text: compareText,
  unknown: compareText,
  boolean: compareBoolean,
  date: compareText,
  timestamp: compareTimestamp,
  json: compareJson,
};

export function comparatorFor(kind: ValueKind): Comparator {
  return comparators[kind];
}

/** Orders any two values, NULL last; the fallback where kinds are mixed (index keys, group keys). */
export function compareAny(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  const rankA = dynamicRank(a);
  const rankB = dynamicRank(b);
  if (rankA !== rankB) return rankA - rankB;
  return dynamicComparators[rankA]!(a, b);
}

function dynamicRank(value: unknown): number {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 0;
    case 'string':
      return 1;
    case 'boolean':
      return 2;
    default:
      return value instanceof Date ? 3 : 4;
  }
}

const dynamicComparators: readonly Comparator[] = [compareNumeric, compareText, compareBoolean, compareTimestamp, compareJson];

/** JSON text with sorted object fields, bigints and Dates spelled out, so equal values give equal text. */
export function stableJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object') {
    const fields = Object.keys(value).sort();
    return `{${fields.map((field) => `${JSON.stringify(field)}:${stableJson((value as Record<string, unknown>)[field])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A Map key standing for a value: equal SQL values give the same key across
 * kinds (5, 5n, "5.0" as a decimal), so GROUP BY, DISTINCT and IN agree.
 */
export type KeyOf = (value: unknown) => unknown;

const identityKey: KeyOf = (value) => value;

function numericKey(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? 0 : value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : `n${value}`;
  if (typeof value === 'string') {
    const canonical = canonicalDecimal(value);
    const asNumber = Number(canonical);
    return String(asNumber) === canonical ? asNumber : `n${canonical}`;
  }
  return value;
}

function timestampKey(value: unknown): unknown {
  return value === null ? null : timeOf(value);
}

function jsonKey(value: unknown): unknown {
  return value === null ? null : `j${stableJson(value)}`;
}

const keyFunctions: Record<ValueKind, KeyOf> = {
  int: numericKey,
  bigint: numericKey,
  double: numericKey,
  decimal: numericKey,
  text: identityKey,
  unknown: identityKey,
  boolean: identityKey,
  date: identityKey,
  timestamp: timestampKey,
  json: jsonKey,
};

export function keyFunctionFor(kind: ValueKind): KeyOf {
  return keyFunctions[kind];
}

/** A Map key for a tuple of values: one string joining each part's typed key. */
export function tupleKey(parts: readonly unknown[]): string {
  let key = '';
  for (const part of parts) {
    // Length-prefixed so that no text part can fake a boundary.
    key += part === null ? 'N;' : typeof part === 'string' ? `s${part.length}:${part}` : `${typeof part}:${String(part)};`;
  }
  return key;
}
