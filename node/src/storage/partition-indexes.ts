import { decodeValue } from '@shoal/client/protocol';
import { SecondaryIndex, type TableSchema } from '@shoal/sql';
import type { EntryObserver } from './partition-store.js';

/**
 * The secondary indexes of one partition of a table, kept current by every
 * write to the partition (the primary's and a replica's alike, so a promoted
 * backup has them already). Entries are named by their key's canonical bytes.
 */
export class PartitionIndexes implements EntryObserver {
  private readonly indexes = new Map<string, SecondaryIndex>();

  constructor(
    private readonly table: TableSchema,
    entries: ReadonlyMap<string, string>,
  ) {
    for (const index of table.indexes) this.indexes.set(index.name, new SecondaryIndex(table, index));
    for (const [key, value] of entries) this.changed(key, undefined, value);
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

  cleared(): void {
    for (const index of this.table.indexes) this.indexes.set(index.name, new SecondaryIndex(this.table, index));
  }
}

/** A stored value (msgpack bytes held as latin1) as the row object it encodes. */
export function rowOf(stored: string): unknown {
  return decodeValue(Buffer.from(stored, 'latin1'));
}
