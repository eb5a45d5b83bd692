import type { ColumnTypes } from './declared-columns.js';
import type { DecodedKey } from './key.js';
import type { TableRef } from './source-info.js';

/** What the decoders of one record's value share. */
export interface DecodeContext {
  readonly topic: string | null;
  /** Where the payload sits in the value's JSON: `payload` under a converter envelope, the root otherwise. */
  readonly base: string;
  readonly unwrapFieldPrefix: string;
  /** The declared column types for a table, for values without a schema. */
  columnTypesFor(table: TableRef | null): ColumnTypes | undefined;
  /** The record's key, decoded with the table's declared types once the table is known. */
  keyFor(table: TableRef | null): DecodedKey;
}
