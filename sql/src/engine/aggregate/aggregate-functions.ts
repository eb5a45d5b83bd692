import { SqlError } from '@shoal/client/protocol';
import type { Decimal } from 'decimal.js';
import { comparatorFor, keyFunctionFor } from '../values/compare.js';
import { divideExact, formatExact, scaleOf, toExact } from '../values/decimal-math.js';
import { isNumericKind, ValueKind } from '../values/value-kind.js';

/**
 * Aggregates split in two: the map phase folds rows into a partial state per
 * group; the reducer merges the partial states from every owner (SUM of
 * SUMs, AVG from SUM and COUNT, union of DISTINCT sets) and finishes them.
 * States are replaced, not mutated, where they are plain numbers.
 */
export interface AggregateFunction {
  readonly resultKind: ValueKind;
  initial(): unknown;
  /** Folds one non-null input value (COUNT(*) is given `true` per row). */
  add(state: unknown, value: unknown): unknown;
  /** The state as plain msgpack-able data. */
  toWire(state: unknown): unknown;
  /** Folds a partial state from another owner, as `toWire` produced it. */
  merge(state: unknown, wire: unknown): unknown;
  finish(state: unknown): unknown;
}

export type AggregateName = 'count' | 'sum' | 'avg' | 'min' | 'max';

function badState(): never {
  throw new SqlError('a map phase answered with a malformed aggregate state');
}

const count: AggregateFunction = {
  resultKind: ValueKind.BigInt,
  initial: () => 0,
  add: (state) => (state as number) + 1,
  toWire: (state) => state,
  merge: (state, wire) => (typeof wire === 'number' ? (state as number) + wire : badState()),
  finish: (state) => state,
};

/** Integer sums stay doubles until they pass 2^53, then go on as bigints. */
function addIntegers(state: unknown, value: unknown): unknown {
  if (state === null) return typeof value === 'bigint' && Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (typeof state === 'number' && typeof value === 'number') {
    const sum = state + value;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(state as number | bigint) + BigInt(value as number | bigint);
  return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
}

interface DecimalSum {
  readonly total: Decimal;
  readonly scale: number;
}

function addDecimal(state: unknown, value: unknown): unknown {
  const scale = scaleOf(value);
  if (state === null) return { total: toExact(value), scale };
  const sum = state as DecimalSum;
  return { total: sum.total.plus(toExact(value)), scale: Math.max(sum.scale, scale) };
}

type SumFamily = { add(state: unknown, value: unknown): unknown; toWire(state: unknown): unknown; fromWire(wire: unknown): unknown };

const sumFamilies: Record<'integer' | 'double' | 'decimal', SumFamily> = {
  integer: { add: addIntegers, toWire: (state) => state, fromWire: (wire) => (typeof wire === 'number' || typeof wire === 'bigint' ? wire : badState()) },
  double: { add: (state, value) => (state === null ? Number(value) : (state as number) + Number(value)), toWire: (state) => state, fromWire: (wire) => (typeof wire === 'number' ? wire : badState()) },
  decimal: {
    add: addDecimal,
    toWire: (state) => (state === null ? null : formatExact((state as DecimalSum).total, (state as DecimalSum).scale)),
    fromWire: (wire) => (typeof wire === 'string' ? wire : badState()),
  },
};

function sumFamilyOf(kind: ValueKind): keyof typeof sumFamilies {
  if (kind === ValueKind.Double) return 'double';
  if (kind === ValueKind.Decimal) return 'decimal';
  return 'integer';
}

function sum(kind: ValueKind): AggregateFunction {
  const family = sumFamilies[sumFamilyOf(kind)];
  return {
    resultKind: kind === ValueKind.Int ? ValueKind.BigInt : kind,
    initial: () => null,
    add: family.add,
    toWire: family.toWire,
    merge: (state, wire) => (wire === null ? state : family.add(state, family.fromWire(wire))),
    finish: (state) => (kind === ValueKind.Decimal ? family.toWire(state) : state),
  };
}

/** AVG carries [sum, count]; the reducer divides once. */
function avg(kind: ValueKind): AggregateFunction {
  const total = sum(kind);
  return {
    resultKind: kind === ValueKind.Decimal ? ValueKind.Decimal : ValueKind.Double,
    initial: () => [null, 0],
    add: (state, value) => [total.add((state as unknown[])[0], value), ((state as unknown[])[1] as number) + 1],
    toWire: (state) => [total.toWire((state as unknown[])[0]), (state as unknown[])[1]],
    merge: (state, wire) => {
      if (!Array.isArray(wire) || typeof wire[1] !== 'number') badState();
      const [partialSum, partialCount] = wire as [unknown, number];
      return [total.merge((state as unknown[])[0], partialSum), ((state as unknown[])[1] as number) + partialCount];
    },
    finish: (state) => {
      const [sumState, rows] = state as [unknown, number];
      if (rows === 0 || sumState === null) return null;
      const sumValue = total.finish(sumState);
      return kind === ValueKind.Decimal ? divideExact(sumValue, rows) : Number(sumValue) / rows;
    },
  };
}

function extreme(kind: ValueKind, wanted: 1 | -1): AggregateFunction {
  const compare = comparatorFor(kind);
  const add = (state: unknown, value: unknown): unknown => (state === null || compare(value, state) * wanted > 0 ? value : state);
  return {
    resultKind: kind,
    initial: () => null,
    add,
    toWire: (state) => state,
    merge: (state, wire) => (wire === null ? state : add(state, wire)),
    finish: (state) => state,
  };
}

/** DISTINCT aggregates carry the set of distinct values and aggregate it when finishing. */
function distinct(inner: AggregateFunction, kind: ValueKind): AggregateFunction {
  const keyOf = keyFunctionFor(kind);
  const add = (state: unknown, value: unknown): unknown => {
    (state as Map<unknown, unknown>).set(keyOf(value), value);
    return state;
  };
  return {
    resultKind: inner.resultKind,
    initial: () => new Map<unknown, unknown>(),
    add,
    toWire: (state) => [...(state as Map<unknown, unknown>).values()],
    merge: (state, wire) => {
      if (!Array.isArray(wire)) badState();
      for (const value of wire) if (value !== null) add(state, value);
      return state;
    },
    finish: (state) => {
      let result = inner.initial();
      for (const value of (state as Map<unknown, unknown>).values()) result = inner.add(result, value);
      return inner.finish(result);
    },
  };
}

export function aggregateFunction(name: AggregateName, argKind: ValueKind, isDistinct: boolean): AggregateFunction {
  if ((name === 'sum' || name === 'avg') && !isNumericKind(argKind)) {
    throw new SqlError(`function ${name}(${argKind}) does not exist`);
  }
  if ((name === 'min' || name === 'max') && argKind === ValueKind.Json) throw new SqlError(`function ${name}(json) does not exist`);
  const makers: Record<AggregateName, () => AggregateFunction> = {
    count: () => count,
    sum: () => sum(argKind),
    avg: () => avg(argKind),
    min: () => extreme(argKind, -1),
    max: () => extreme(argKind, 1),
  };
  const inner = makers[name]();
  return isDistinct ? distinct(inner, argKind) : inner;
}
