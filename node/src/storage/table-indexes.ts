import { SecondaryIndex, type TableSchema } from '@shoal/sql';
import { readStoredRow as rowOf } from './flat-row-reader.js';
import type { EntryObserver, PartitionStore } from './partition-store.js';

/**
 * The secondary indexes of a table on this node: one per index over every
 * partition this node holds, so an equality or range lookup is one probe, not
 * one per partition. Each partition's writes reach it through the
 * partition's observer (the primary's and a replica's alike, so a promoted
 * backup has them already); a lookup keeps only the partitions it covers.
 * Entries are named by their key's canonical bytes (latin1).
 */
export class TableIndexes {
  private readonly indexes = new Map<string, SecondaryIndex>();

  constructor(table: TableSchema, partitions: readonly PartitionStore[]) {
    for (const index of table.indexes) this.indexes.set(index.name, new SecondaryIndex(table, index));
    for (const partition of partitions) {
      partition.observer = new IndexedPartition(this, partition.entries);
      for (const [key, value] of partition.entries) this.changed(key, undefined, value);
    }
  }

  /** The index named, if the table has it. */
  get(name: string): SecondaryIndex | undefined {
    return this.indexes.get(name);
  }

  changed(key: string, previous: string | undefined, next: string | undefined): void {
    const before = previous === undefined ? undefined : rowOf(previous);
    const after = next === undefined ? undefined : rowOf(next);
    for (const index of this.indexes.values()) {
      if (before !== undefined) index.delete(key, before);
      if (after !== undefined) index.insert(key, after);
    }
  }
}

/** One partition's link to its table's indexes. */
class IndexedPartition implements EntryObserver {
  constructor(
    private readonly indexes: TableIndexes,
    private readonly entries: ReadonlyMap<string, string>,
  ) {}

  changed(key: string, previous: string | undefined, next: string | undefined): void {
    this.indexes.changed(key, previous, next);
  }

  /** Called before the partition drops its entries: they leave the indexes one by one. */
  clearing(): void {
    for (const [key, value] of this.entries) this.indexes.changed(key, value, undefined);
  }
}
