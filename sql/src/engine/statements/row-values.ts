import { encodeKey, type Key, SqlError } from '@shoal/client/protocol';
import type { ColumnDefinition } from '../../ast.js';
import type { TableLayout } from '../table-layout.js';
import { ConversionError, convertValue } from '../values/convert.js';
import { describeValue } from '../values/describe-value.js';
import { typeName } from '../values/value-kind.js';

/** A value as the column stores it; a SqlError naming the column when it does not fit. */
export function valueForColumn(value: unknown, column: ColumnDefinition): unknown {
  try {
    return convertValue(value, column.type, 'assign');
  } catch (err) {
    if (err instanceof ConversionError) {
      throw new SqlError(`value ${describeValue(value)} for column "${column.name}" (${typeName(column.type)}) ${err.reason}`);
    }
    throw err;
  }
}

/** NOT NULL and key columns must hold a value; the key must be one the grid can store. */
export function checkRow(layout: TableLayout, cells: readonly unknown[]): Key {
  layout.columns.forEach((column, position) => {
    const keyColumn = layout.keyPositions.includes(position);
    if ((column.notNull || keyColumn) && (cells[position] === null || cells[position] === undefined)) {
      throw new SqlError(`null value in column "${column.name}" of relation "${layout.name}" violates not-null constraint`);
    }
  });
  const key = layout.keyOf(cells);
  try {
    encodeKey(key);
  } catch (err) {
    throw new SqlError(`the primary key of relation "${layout.name}" cannot be stored: ${(err as Error).message}`, { cause: err });
  }
  return key;
}

/** The key's identity for dedup: its canonical bytes. */
export function keyIdentity(key: Key): string {
  return Buffer.from(encodeKey(key)).toString('latin1');
}

/** PostgreSQL's wording, e.g. `duplicate key value violates primary key of "t": (id)=(1)`. */
export function duplicateKeyError(layout: TableLayout, cells: readonly unknown[]): SqlError {
  const names = layout.keyPositions.map((position) => layout.names[position]).join(', ');
  const values = layout.keyPositions.map((position) => String(cells[position])).join(', ');
  return new SqlError(`duplicate key value violates primary key of "${layout.name}": (${names})=(${values})`);
}
