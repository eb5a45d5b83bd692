import type { Key } from '@shoal/client/protocol';
import type { ColumnDefinition, SqlValue } from './ast.js';

/**
 * The boundary between the SQL engine (this package, no I/O of its own) and
 * the node that hosts it. The engine parses, plans, evaluates and reduces; the
 * node supplies the catalog, fans map requests out to the primaries, writes
 * through the grid's normal write path, and gives the map phase its local rows.
 *
 * How a table's rows are stored, so the same data answers `cache.get` and SQL
 * (and matches what the CDC ingester writes): the key is the primary-key
 * column's value when there is one key column, else a plain object
 * `{ col: value, ... }` of the key columns; the value is the whole row, a
 * plain object of every column (key columns included), absent fields read as NULL.
 */

export interface IndexSchema {
  readonly name: string;
  readonly columns: readonly string[];
}

/** A table: a cache with a schema. */
export interface TableSchema {
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  readonly indexes: readonly IndexSchema[];
}

/** What the catalog knows of a table. */
export interface TableInfo {
  readonly name: string;
  readonly mode: 'partitioned' | 'replicated';
  readonly partitions: number;
  readonly schema: TableSchema;
}

/** A stored row: its grid key and its value (normally the row object). */
export interface StoredRow {
  readonly key: Key;
  readonly value: unknown;
  /**
   * Optional fast path of a scan: writes the value's fields straight into
   * `target[offset + position]` for the columns named in `positions` (leaving
   * the others as they are) without building the value object; false when it
   * cannot (the value is not a flat map), and the engine reads `value` instead.
   */
  readColumns?(positions: ReadonlyMap<string, number>, target: unknown[], offset: number): boolean;
}

/** An index range: each bound a prefix of the index's columns' values. Equality is `lower = upper`, both inclusive. */
export interface IndexRange {
  readonly lower?: { readonly values: readonly SqlValue[]; readonly inclusive: boolean };
  readonly upper?: { readonly values: readonly SqlValue[]; readonly inclusive: boolean };
}

/** One answer of a statement. */
export interface SqlResult {
  /** The command tag, as PostgreSQL names it: 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE TABLE', 'EXPLAIN', ... */
  readonly command: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows inserted, updated or deleted by DML; rows returned by SELECT. */
  readonly rowCount: number;
}

/** What the node does for the engine. Every method may throw a `ShoalError` (SQL_ERROR, UNAVAILABLE, ...). */
export interface SqlHost {
  /** The table's current schema, or undefined when no cache of that name has one. */
  table(name: string): TableInfo | undefined;

  /** Creates the cache with its schema; false when it existed with this very definition. */
  createTable(name: string, schema: TableSchema, options: { readonly mode?: 'partitioned' | 'replicated'; readonly backups?: number }): Promise<boolean>;
  /** Destroys the cache; false when there was none. */
  dropTable(name: string): Promise<boolean>;
  /** Adds the index to the table's schema (every node then builds it over its partitions); false when an index of that name exists. */
  createIndex(table: string, index: IndexSchema): Promise<boolean>;
  /** Removes the index wherever it is; false when there was none. */
  dropIndex(name: string): Promise<boolean>;

  /**
   * Runs `request` (the engine's own, plain msgpack-able data) as the map
   * phase on the primary of every partition of `table`, or of just
   * `partitions`, each partition's rows exactly once even while primaries
   * move; resolves to each responding node's output of `SqlEngine.runMap`.
   */
  map(table: string, request: unknown, partitions?: readonly number[]): Promise<readonly unknown[]>;

  /** Optional: resolves once this node applied every catalog change the cluster had committed when asked (a table created through another node). */
  catchUp?(): Promise<void>;

  /** Puts rows (key → whole row object) through the grid's write path. */
  put(table: string, entries: readonly (readonly [Key, unknown])[]): Promise<void>;
  /** Puts the row unless the key is present; true if it did. */
  putIfAbsent(table: string, key: Key, row: unknown): Promise<boolean>;
  /** Removes the keys; resolves to how many were present. */
  remove(table: string, keys: readonly Key[]): Promise<number>;
}

/** What the map phase reads on the node that runs it: only partitions this node leads, and only those the request covers. */
export interface MapScope {
  /** Every row of `table` in the covered partitions. */
  scan(table: string): Iterable<StoredRow>;
  /** The row with this key, if it is in a covered partition. */
  get(table: string, key: Key): StoredRow | undefined;
  /** Rows of the covered partitions whose index columns fall in `range`, via the index named; undefined when this node has no such index. */
  indexRange(table: string, index: string, range: IndexRange): Iterable<StoredRow> | undefined;
  /** Every row of a replicated table, from this node's copy (a join's replicated side). */
  replicated(table: string): Iterable<StoredRow>;
}
