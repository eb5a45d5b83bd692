import { decode, encode } from '@msgpack/msgpack';
import { decodeValue, encodeKey, encodeValue, type Key, partitionOf } from '@shoal/client/protocol';
import { SecondaryIndex, SqlEngine } from '../../src/index.js';
import type { IndexRange, IndexSchema, MapScope, SqlHost, StoredRow, TableInfo, TableSchema } from '../../src/index.js';

/**
 * A real SqlHost over plain Maps: an in-process grid of N partitions led by K
 * owners. Rows are partitioned by the protocol's partitionOf, each owner's
 * map phase runs SqlEngine.runMap over only the partitions it leads, and
 * requests, outputs and stored values go through msgpack as on a cluster.
 * For the engine's own tests; the node is what serves SQL for real.
 */
interface Table {
  info: TableInfo;
  readonly partitions: Map<string, StoredRow>[];
  readonly indexes: Map<string, SecondaryIndex[]>;
}

const wire = { useBigInt64: true } as const;

export class InMemoryGrid implements SqlHost {
  readonly engine: SqlEngine;
  readonly tables = new Map<string, Table>();
  mapCalls: { table: string; partitions?: readonly number[] }[] = [];
  writes = 0;

  constructor(
    readonly owners = 3,
    readonly partitionCount = 16,
  ) {
    this.engine = new SqlEngine(this);
  }

  sql(text: string, params: readonly unknown[] = []) {
    return this.engine.execute(text, params);
  }

  table(name: string): TableInfo | undefined {
    return this.tables.get(name)?.info;
  }

  async createTable(name: string, schema: TableSchema, options: { mode?: 'partitioned' | 'replicated'; backups?: number }): Promise<boolean> {
    if (this.tables.has(name)) return false;
    const info: TableInfo = { name, mode: options.mode ?? 'partitioned', partitions: this.partitionCount, schema };
    this.tables.set(name, { info, partitions: Array.from({ length: this.partitionCount }, () => new Map()), indexes: new Map() });
    for (const index of schema.indexes) this.buildIndex(this.tables.get(name)!, index);
    return true;
  }

  async dropTable(name: string): Promise<boolean> {
    return this.tables.delete(name);
  }

  async createIndex(tableName: string, index: IndexSchema): Promise<boolean> {
    if ([...this.tables.values()].some((table) => table.indexes.has(index.name))) return false;
    const table = this.mustGet(tableName);
    table.info = { ...table.info, schema: { ...table.info.schema, indexes: [...table.info.schema.indexes, index] } };
    this.buildIndex(table, index);
    return true;
  }

  async dropIndex(name: string): Promise<boolean> {
    for (const table of this.tables.values()) {
      if (!table.indexes.delete(name)) continue;
      table.info = { ...table.info, schema: { ...table.info.schema, indexes: table.info.schema.indexes.filter((index) => index.name !== name) } };
      return true;
    }
    return false;
  }

  private buildIndex(table: Table, index: IndexSchema): void {
    const perPartition = table.partitions.map((rows) => {
      const built = new SecondaryIndex(table.info.schema, index);
      for (const [id, row] of rows) built.insert(id, row.value);
      return built;
    });
    table.indexes.set(index.name, perPartition);
  }

  async map(tableName: string, request: unknown, partitions?: readonly number[]): Promise<readonly unknown[]> {
    this.mapCalls.push(partitions ? { table: tableName, partitions } : { table: tableName });
    this.mustGet(tableName);
    const covered = partitions ?? Array.from({ length: this.partitionCount }, (_, p) => p);
    const outputs: unknown[] = [];
    for (let owner = 0; owner < this.owners; owner++) {
      const mine = covered.filter((p) => p % this.owners === owner);
      if (mine.length === 0) continue;
      const received = decode(encode(request, wire), wire);
      const output = this.engine.runMap(received, this.scope(new Set(mine)));
      outputs.push(decode(encode(output, wire), wire));
    }
    return outputs;
  }

  private scope(covered: ReadonlySet<number>): MapScope {
    const grid = this;
    return {
      *scan(table) {
        const partitions = grid.mustGet(table).partitions;
        for (const p of covered) yield* partitions[p]!.values();
      },
      get(table, key) {
        const bytes = encodeKey(key);
        const p = partitionOf(bytes, grid.partitionCount);
        return covered.has(p) ? grid.mustGet(table).partitions[p]!.get(Buffer.from(bytes).toString('latin1')) : undefined;
      },
      indexRange(table, index, range: IndexRange) {
        const stored = grid.mustGet(table);
        const perPartition = stored.indexes.get(index);
        if (!perPartition) return undefined;
        return (function* () {
          for (const p of covered) for (const id of perPartition[p]!.range(range)) yield stored.partitions[p]!.get(id)!;
        })();
      },
      *replicated(table) {
        for (const partition of grid.mustGet(table).partitions) yield* partition.values();
      },
    };
  }

  private mustGet(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw new Error(`no table ${name}`);
    return table;
  }

  private write(tableName: string, key: Key, value: unknown | undefined): void {
    const table = this.mustGet(tableName);
    const bytes = encodeKey(key);
    const id = Buffer.from(bytes).toString('latin1');
    const partition = partitionOf(bytes, this.partitionCount);
    const old = table.partitions[partition]!.get(id);
    for (const indexes of table.indexes.values()) {
      if (old) indexes[partition]!.delete(id, old.value);
      if (value !== undefined) indexes[partition]!.insert(id, value);
    }
    if (value === undefined) table.partitions[partition]!.delete(id);
    else table.partitions[partition]!.set(id, { key: decode(bytes) as Key, value });
    this.writes++;
  }

  private has(tableName: string, key: Key): boolean {
    const bytes = encodeKey(key);
    return this.mustGet(tableName).partitions[partitionOf(bytes, this.partitionCount)]!.has(Buffer.from(bytes).toString('latin1'));
  }

  async put(table: string, entries: readonly (readonly [Key, unknown])[]): Promise<void> {
    for (const [key, value] of entries) this.write(table, key, decodeValue(encodeValue(value)));
  }

  async putIfAbsent(table: string, key: Key, row: unknown): Promise<boolean> {
    if (this.has(table, key)) return false;
    this.write(table, key, decodeValue(encodeValue(row)));
    return true;
  }

  async remove(table: string, keys: readonly Key[]): Promise<number> {
    let removed = 0;
    for (const key of keys) {
      if (!this.has(table, key)) continue;
      this.write(table, key, undefined);
      removed++;
    }
    return removed;
  }

  /** Every stored row of a table, for assertions. */
  rows(table: string): StoredRow[] {
    return this.mustGet(table).partitions.flatMap((partition) => [...partition.values()]);
  }
}
