import fc from 'fast-check';
import type { Value, ValueType } from './world.js';

/** Largest BIGINT magnitude generated: the safe-integer range, so a JavaScript number holds every stored value exactly. */
export const BIGINT_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * Few letters, so that equality, IN and LIKE often hit; upper case for
 * ILIKE/upper/lower; `%` and `_` so LIKE's wildcards also meet themselves; a
 * space for trim. No backslash: PostgreSQL's LIKE escapes with it, SQLite's does not.
 * A few characters past ASCII without case (so upper/lower/ILIKE mean the
 * same everywhere): '😀' is two UTF-16 units but one character (length,
 * substr, LIKE's `_`), and '￥' (U+FFE5) sorts before it by code point, as
 * PostgreSQL and SQLite compare, but after it by UTF-16 unit, as JavaScript does.
 */
const TEXT_UNITS = ['a', 'a', 'b', 'b', 'c', 'B', 'A', '_', '%', ' ', '€', '￥', '😀'] as const;

export const textUnit = fc.constantFrom(...TEXT_UNITS);

/** Mostly small (so joins to small dimension keys and equalities hit), some wide. */
export const intValue = fc.oneof({ weight: 7, arbitrary: fc.integer({ min: -5, max: 30 }) }, { weight: 3, arbitrary: fc.integer({ min: -10_000, max: 10_000 }) });

export const bigintValue = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -5, max: 30 }) },
  { weight: 5, arbitrary: fc.integer({ min: -BIGINT_LIMIT, max: BIGINT_LIMIT }) },
  { weight: 1, arbitrary: fc.constantFrom(BIGINT_LIMIT, -BIGINT_LIMIT, BIGINT_LIMIT - 1) },
);

/** Multiples of 1/4: exact in binary, so sums and products of a few hundred of them are exact in both engines. */
export const doubleValue = fc.integer({ min: -400, max: 400 }).map((k) => k / 4);

export function textValue(maxLength = 4): fc.Arbitrary<string> {
  return fc.string({ unit: textUnit, maxLength: Math.min(maxLength, 4) });
}

export function valueOf(type: ValueType, maxLength?: number): fc.Arbitrary<Value> {
  switch (type) {
    case 'int':
      return intValue;
    case 'bigint':
      return bigintValue;
    case 'double':
      return doubleValue;
    case 'text':
      return textValue(maxLength);
    case 'bool':
      return fc.boolean();
  }
}

/** A value of the column, NULL one time in five when it is nullable. */
export function cellOf(type: ValueType, nullable: boolean, maxLength?: number): fc.Arbitrary<Value> {
  const value = valueOf(type, maxLength);
  return nullable ? fc.option(value, { freq: 5, nil: null }) : value;
}

/** A small literal for arithmetic: never zero, so it is also a safe divisor (PostgreSQL fails on division by zero, SQLite answers NULL). */
export const nonZeroSmallInt = fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: -4, max: -1 }));

export const smallInt = fc.integer({ min: -5, max: 10 });

/** A LIKE pattern: the data's letters and the two wildcards. */
export const likePattern = fc.string({ unit: fc.constantFrom('a', 'b', 'B', 'c', '%', '%', '_'), minLength: 1, maxLength: 4 });

/** `arbitrary` in about `share` of the cases, else undefined (`fc.option`'s `freq` counts the other way round). */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, share: number): fc.Arbitrary<T | undefined> {
  const weight = Math.round(share * 10);
  return fc.oneof({ weight, arbitrary }, { weight: 10 - weight, arbitrary: fc.constant(undefined) });
}
