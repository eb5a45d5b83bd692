import type { Key } from '@shoal/client';
import { EncodedRow, type RowKey } from '../decode/index.js';
import { setKey } from '../decode/exact-json.js';
import { CdcEventError, CdcEventErrorCode } from '../errors.js';

/**
 * A grid key from a row's key columns. One column gives its value alone (so
 * `cache.get(1001)` finds the row whose `id` is 1001); several give a plain
 * object of them (`{order_id: 7, line: 2}`), whose canonical bytes sort its
 * fields, so any column order meets.
 *
 * Column values become key parts: strings and numbers as they are, integers
 * past 2^53 (bigint) as their decimal text, booleans as `"true"`/`"false"`,
 * bytes as base64 (as Debezium writes them in JSON), arrays and objects part
 * by part. A null or absent key column has no key: `UNUSABLE_KEY`.
 */
export function gridKeyOf(columns: RowKey, describe: string): Key {
  const entries = Object.entries(columns);
  if (entries.length === 0) throw new CdcEventError(CdcEventErrorCode.UnusableKey, `${describe} has no columns`);
  if (entries.length === 1) {
    const [name, value] = entries[0]!;
    return keyPart(value, `${describe} column ${name}`);
  }
  const key: Record<string, Key> = {};
  for (const [name, value] of entries) setKey(key, name, keyPart(value, `${describe} column ${name}`));
  return key;
}

function keyPart(value: unknown, where: string): Key {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      break;
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) throw new CdcEventError(CdcEventErrorCode.UnusableKey, `${where} is null`);
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
      if (Array.isArray(value)) return value.map((part, i) => keyPart(part, `${where}[${i}]`));
      if (Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keyPart(v, `${where}.${k}`)]));
      }
      break;
    case 'undefined':
      throw new CdcEventError(CdcEventErrorCode.UnusableKey, `${where} is missing`);
  }
  throw new CdcEventError(CdcEventErrorCode.UnusableKey, `${where} cannot be part of a key: ${String(value)}`);
}

/** The grid key of one named column, as `gridKeyOf(pickKeyColumns(row, [column], describe), keyDescribe)` gives it, without the object in between. */
export function keyOfColumn(row: Readonly<Record<string, unknown>> | EncodedRow, column: string, describe: string, keyDescribe: string): Key {
  return keyPart(columnOf(row, column, describe), `${keyDescribe} column ${column}`);
}

/** The named columns of a row (an object, or one still encoded), in the order named; a missing column is `UNUSABLE_KEY`. */
export function pickKeyColumns(row: Readonly<Record<string, unknown>> | EncodedRow, columns: readonly string[], describe: string): RowKey {
  const picked: Record<string, unknown> = {};
  for (const column of columns) setKey(picked, column, columnOf(row, column, describe));
  return picked;
}

/** A key column's value; `UNUSABLE_KEY` when the row lacks it (own columns only: `in` would find `toString` or `__proto__` on any row). */
function columnOf(row: Readonly<Record<string, unknown>> | EncodedRow, column: string, describe: string): unknown {
  const encoded = row instanceof EncodedRow;
  if (!(encoded ? row.has(column) : Object.hasOwn(row, column))) throw new CdcEventError(CdcEventErrorCode.UnusableKey, `${describe} has no key column ${column}`);
  return encoded ? row.column(column) : row[column];
}
