import { undecodable } from './decode-error.js';
import { child, optionalObject, optionalString, requireSafeInteger, requireString, type JsonObject } from './raw-access.js';

/** Where a change came from: MySQL has no schema, PostgreSQL and SQL Server have both. */
export interface TableRef {
  readonly db: string | null;
  readonly schema: string | null;
  readonly table: string;
}

/**
 * `source.snapshot` as Debezium sends it: a string ("true", "first",
 * "first_in_data_collection", "last_in_data_collection", "last",
 * "incremental", "false"), not a boolean. Old connectors and documentation
 * examples send booleans; they are read as "true" / "false". Absent means
 * "false", the field's default.
 */
export type SnapshotMarker = 'true' | 'false' | 'first' | 'first_in_data_collection' | 'last_in_data_collection' | 'last' | 'incremental' | (string & {});

/** The `transaction` block of a change event (when transaction metadata is on). */
export interface TransactionRef {
  readonly id: string;
  readonly totalOrder: number;
  readonly dataCollectionOrder: number;
}

export function readSnapshotMarker(value: unknown, path: string): SnapshotMarker {
  if (value === null || value === undefined || value === false) return 'false';
  if (value === true) return 'true';
  return requireString(value, path);
}

/** True when the marker says the row was read by a snapshot rather than streamed. */
export function isSnapshotMarker(marker: SnapshotMarker): boolean {
  return marker !== 'false';
}

/** The table a row change names in its source block (MongoDB's `collection` stands in for a table). */
export function readTableRef(source: JsonObject, path: string): TableRef {
  const table = optionalString(source['table'], child(path, 'table')) ?? optionalString(source['collection'], child(path, 'collection'));
  if (table === null || table === '') return undecodable(child(path, 'table'), 'a row change must name its table');
  return {
    db: optionalString(source['db'], child(path, 'db')),
    schema: optionalString(source['schema'], child(path, 'schema')),
    table,
  };
}

export function readTransactionRef(value: unknown, path: string): TransactionRef | null {
  const block = optionalObject(value, path);
  if (block === null) return null;
  return {
    id: requireString(block['id'], child(path, 'id')),
    totalOrder: requireSafeInteger(block['total_order'], child(path, 'total_order')),
    dataCollectionOrder: requireSafeInteger(block['data_collection_order'], child(path, 'data_collection_order')),
  };
}
