import { SqlError } from '@shoal/client/protocol';
import { ValueKind } from '../values/value-kind.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const BIGINT_MIN = -(2n ** 63n);
const BIGINT_MAX = 2n ** 63n - 1n;

/** Whether a whole number fits PostgreSQL's int4. */
export function fitsInt(value: number): boolean {
  return value >= INT_MIN && value <= INT_MAX;
}

/** Whether a bigint fits PostgreSQL's int8 (a safe JS number always does). */
export function fitsBigInt(value: bigint): boolean {
  return value >= BIGINT_MIN && value <= BIGINT_MAX;
}

function outOfInt(value: unknown): unknown {
  if (typeof value === 'number' && fitsInt(value)) return value;
  throw new SqlError('integer out of range');
}

function outOfBigInt(value: unknown): unknown {
  if (typeof value !== 'bigint' || fitsBigInt(value)) return value;
  throw new SqlError('bigint out of range');
}

/**
 * The check an integer result of `kind` must pass. PostgreSQL's int4 and
 * int8 operators fail on overflow instead of widening the type, so INT
 * arithmetic that leaves 32 bits is an error, not a BIGINT; the engine's
 * exact integer operations would otherwise answer the wide value.
 */
export function integerRangeCheck(kind: ValueKind): ((value: unknown) => unknown) | undefined {
  if (kind === ValueKind.Int) return outOfInt;
  if (kind === ValueKind.BigInt) return outOfBigInt;
  return undefined;
}

/** `operation` with its results checked against `kind`'s range (unchanged for other kinds). */
export function rangeChecked<A extends unknown[]>(kind: ValueKind, operation: (...args: A) => unknown): (...args: A) => unknown {
  const check = integerRangeCheck(kind);
  if (!check) return operation;
  return (...args) => check(operation(...args));
}
