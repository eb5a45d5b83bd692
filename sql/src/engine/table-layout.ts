import type { Key } from '@shoal/client/protocol';
import type { ColumnDefinition } from '../ast.js';
import type { StoredRow, TableInfo } from '../sql-host.js';
import { parseTimestamp } from './values/temporal.js';
import type { ValueKind } from './values/value-kind.js';

/**
 * How a table's rows map to grid entries (see sql-host.ts): the key is the
 * single key column's value or an object of the key columns, the value an
 * object of every column. A row inside the engine is an array by column position.
 */
export class TableLayout {
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly names: readonly string[];
  readonly kinds: readonly ValueKind[];
  readonly keyPositions: readonly number[];
  private readonly positions: ReadonlyMap<string, number>;
  private readonly normalizers: readonly (((value: unknown) => unknown) | undefined)[];
  private readonly keyNames: readonly string[];
  /** Columns named like Object.prototype members ("constructor"): read only as own fields. */
  private readonly inherited: readonly boolean[];

  constructor(readonly info: TableInfo) {
    this.name = info.name;
    this.columns = info.schema.columns;
    this.names = this.columns.map((column) => column.name);
    this.kinds = this.columns.map((column) => column.type.kind);
    this.positions = new Map(this.names.map((name, position) => [name, position]));
    this.keyNames = info.schema.primaryKey;
    this.keyPositions = this.keyNames.map((name) => this.positions.get(name) ?? -1);
    this.normalizers = this.kinds.map((kind) => normalizers[kind]);
    this.inherited = this.names.map((name) => name in Object.prototype);
  }

  positionOf(column: string): number | undefined {
    return this.positions.get(column);
  }

  get width(): number {
    return this.names.length;
  }

  /** Writes the stored row's columns into `target` from `offset`; the hot path of every scan. */
  decodeInto(stored: StoredRow, target: unknown[], offset: number): void {
    if (stored.readColumns !== undefined) {
      const names = this.names;
      for (let i = 0; i < names.length; i++) target[offset + i] = undefined;
      if (stored.readColumns(this.positions, target, offset)) return this.settleCells(stored, target, offset);
    }
    const value = stored.value;
    const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    const names = this.names;
    const normalizers = this.normalizers;
    for (let i = 0; i < names.length; i++) {
      let cell = object === undefined || (this.inherited[i] && !Object.hasOwn(object, names[i]!)) ? undefined : object[names[i]!];
      if (cell === undefined) cell = this.keyFallback(stored.key, i);
      else if (cell !== null) {
        const normalize = normalizers[i];
        if (normalize !== undefined) cell = normalize(cell);
      }
      target[offset + i] = cell;
    }
  }

  /** After `readColumns`: absent columns read from the key (or NULL), present ones in the engine's runtime form. */
  private settleCells(stored: StoredRow, target: unknown[], offset: number): void {
    const normalizers = this.normalizers;
    for (let i = 0; i < normalizers.length; i++) {
      const cell = target[offset + i];
      if (cell === undefined) target[offset + i] = this.keyFallback(stored.key, i);
      else if (cell !== null) {
        const normalize = normalizers[i];
        if (normalize !== undefined) target[offset + i] = normalize(cell);
      }
    }
  }

  decode(stored: StoredRow): unknown[] {
    const row = new Array<unknown>(this.names.length);
    this.decodeInto(stored, row, 0);
    return row;
  }

  /** A key column missing from the value reads from the key, as the CDC ingester may store it. */
  private keyFallback(key: Key, position: number): unknown {
    const keyIndex = this.keyPositions.indexOf(position);
    if (keyIndex < 0) return null;
    if (this.keyPositions.length === 1) return key ?? null;
    if (key !== null && typeof key === 'object' && !Array.isArray(key) && Object.hasOwn(key, this.names[position]!)) {
      return (key as Record<string, unknown>)[this.names[position]!] ?? null;
    }
    return null;
  }

  keyOf(row: readonly unknown[]): Key {
    if (this.keyPositions.length === 1) return row[this.keyPositions[0]!] as Key;
    // fromEntries defines fields, so a column named "__proto__" is data, not the prototype.
    return Object.fromEntries(this.keyNames.map((name, i) => [name, row[this.keyPositions[i]!] as Key]));
  }

  valueOf(row: readonly unknown[]): Record<string, unknown> {
    return Object.fromEntries(this.names.map((name, i) => [name, row[i] ?? null]));
  }
}

function integerValue(value: unknown): unknown {
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  return value;
}

function timestampValue(value: unknown): unknown {
  if (typeof value === 'string') return parseTimestamp(value) ?? value;
  if (typeof value === 'number') return new Date(value);
  return value;
}

/** Values as other writers store them, read as the engine's runtime form. */
const normalizers: Partial<Record<ValueKind, (value: unknown) => unknown>> = {
  int: integerValue,
  bigint: integerValue,
  double: (value) => (typeof value === 'bigint' ? Number(value) : value),
  timestamp: timestampValue,
};
